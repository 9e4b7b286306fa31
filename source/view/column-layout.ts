/**
 * Table layout, without Ink: which columns fit a width, how wide each is, and the order they
 * are dropped or narrowed in when they do not. row-format.ts turns rows into text in these
 * columns; the TUI and the CLI's `--once` output both use them. The columns themselves (titles,
 * preferred widths, display order) are in column-specs.ts.
 */
import {hasPorts} from '../flow/protocols.js';
import type {FlowRow} from '../model/table.js';
import type {GroupBy} from '../model/group.js';
import {endpointText, natTarget} from './flow-cells.js';
import {
	flowDisplayOrder,
	groupDisplayOrder,
	ipv4EndpointWidth,
	ipv6EndpointWidth,
	specs,
	type Column,
	type ColumnId,
	type Spec,
} from './column-specs.js';

// The layout's callers take the placed column's type from here.
export type {Column, ColumnId} from './column-specs.js';

/** A narrow State column fits the `shortStates` names. */
const narrowStateWidth = 6;

/** A narrow TTL column fits `23:59:59`, and days as `4d23h`. */
const narrowTtlWidth = 8;

/** What to show besides the columns every width gets. */
export interface ColumnOptions {
	/** Byte, rate and packet columns (the `c` key). Default false, as in iptstate. */
	readonly counters?: boolean;
	/** The two-character mark column (tag, new/closed/offload). Default true. */
	readonly tags?: boolean;
	/**
	 * The widest numeric endpoint the rows will show (`widestEndpoint`). Address columns ask
	 * for this much, at least `ipv4EndpointWidth`; IPv6 rows make it larger.
	 */
	readonly endpoints?: number;
}

interface Placed {
	readonly spec: Spec;
	width: number;
}

function used(placed: readonly Placed[]): number {
	let sum = Math.max(0, placed.length - 1);
	for (const p of placed) sum += p.width;
	return sum;
}

/** Narrows flexible columns, the widest first, until `placed` fits `width` or they reach min. */
function shrink(placed: Placed[], width: number): void {
	let excess = used(placed) - width;
	while (excess > 0) {
		let widest: Placed | undefined;
		for (const p of placed) {
			if (p.spec.min !== undefined && p.width > p.spec.min && (!widest || p.width > widest.width)) {
				widest = p;
			}
		}

		if (!widest) return;
		widest.width--;
		excess--;
	}
}

/** Hands spare columns to flexible ones, one at a time in turn, up to their max. */
function grow(placed: Placed[], width: number): void {
	let spare = width - used(placed);
	while (spare > 0) {
		let gave = false;
		for (const p of placed) {
			if (spare > 0 && p.spec.max !== undefined && p.width < p.spec.max) {
				p.width++;
				spare--;
				gave = true;
			}
		}

		if (!gave) return;
	}
}

function tryAdd(placed: Placed[], id: ColumnId, width: number): boolean {
	const spec = specs[id];
	if (used(placed) + 1 + spec.pref > width) return false;
	placed.push({spec, width: spec.pref});
	return true;
}

function finish(placed: readonly Placed[], order: readonly ColumnId[]): Column[] {
	return [...placed]
		.sort((a, b) => order.indexOf(a.spec.id) - order.indexOf(b.spec.id))
		.map(({spec, width}) => ({
			id: spec.id,
			title: spec.title,
			width,
			align: spec.align,
			sorts: spec.sorts,
			sortTitles: spec.sortTitles,
		}));
}

/** Flow columns being fitted: id to width. */
type Draft = Map<ColumnId, number>;

/** One way to make the flow table narrower. */
interface Step {
	/** A narrowing step may be taken back afterwards when its room is there. */
	readonly narrows?: boolean;
	readonly apply: (draft: Draft) => void;
}

function drop(id: ColumnId): Step {
	return {apply: (draft) => draft.delete(id)};
}

function narrow(id: ColumnId, width: number): Step {
	return {
		narrows: true,
		apply(draft) {
			if (draft.has(id)) draft.set(id, width);
		},
	};
}

/**
 * Ways to make room, in the order they are taken (the least useful column first, as htop and
 * bandwhich do); addresses come after all of them.
 */
const flowSteps: readonly Step[] = [
	drop('zone'),
	drop('ctmark'),
	drop('age'),
	drop('packets'),
	narrow('state', narrowStateWidth),
	{
		narrows: true,
		apply(draft) {
			if (!draft.delete('nat')) return;
			draft.set('natKind', specs.natKind.pref);
		},
	},
	narrow('ttl', narrowTtlWidth),
	drop('ttl'),
	drop('bytes'),
	drop('rate'),
	drop('natKind'),
];

/** What an IPv4-only table cannot do without: below their sum, addresses would be cut. */
const lastResortSteps: readonly Step[] = [drop('state'), drop('proto'), drop('tag')];

function draftWidth(draft: Draft): number {
	let sum = Math.max(0, draft.size - 1);
	for (const width of draft.values()) sum += width;
	return sum;
}

function fullDraft(counters: boolean, tags: boolean, endpoints: number): Draft {
	const draft: Draft = new Map();
	for (const id of flowDisplayOrder) {
		if (id === 'natKind' || (id === 'tag' && !tags)) continue;
		if (!counters && (id === 'bytes' || id === 'rate' || id === 'packets')) continue;
		const endpoint = id === 'src' || id === 'dst' ? endpoints : id === 'nat' ? endpoints + 2 : 0;
		draft.set(id, Math.max(specs[id].pref, endpoint));
	}

	return draft;
}

/** Both address columns at most `target` wide, sharing what the other columns leave. */
function fitAddresses(draft: Draft, width: number, target: number): void {
	const room = width - (draftWidth(draft) - draft.get('src')! - draft.get('dst')!);
	const src = Math.max(1, Math.min(target, Math.ceil(room / 2)));
	draft.set('src', src);
	draft.set('dst', Math.max(1, Math.min(target, room - src)));
}

/**
 * The flow columns for a terminal `width` columns wide, in display order, with their widths.
 * An IPv4 address is never cut: the address columns stay at least `ipv4EndpointWidth` wide
 * and other columns make room, in this fixed order, until the rest fits:
 *
 * 1. Zone, then Mark, then Age, then Pkts go.
 * 2. State narrows to short names (`ESTAB`).
 * 3. The NAT column (the translated address:port) becomes its one-letter kind (`N`: S/D/B).
 * 4. TTL narrows (days as `4d23h`), then goes; then Bytes, then Rate; then the NAT letter.
 *
 * Narrowings from steps 2-4 are taken back afterwards, the latest first, while they fit.
 * From 60 columns that leaves mark, protocol, both addresses and a short state. Wider IPv6
 * endpoints (`endpoints`) ask for their full width through the same steps; when they still do
 * not fit, they share what is left, never under the IPv4 width, and lose their middle (`…`).
 * Only below that (43 columns for two addresses, in `--once --width`) do State, Proto and
 * the mark column go, and at last any address is shortened in the middle. Spare columns
 * widen the address and NAT columns, up to a whole IPv6 endpoint, for DNS names.
 */
export function chooseColumns(width: number, options: ColumnOptions = {}): Column[] {
	const {counters = false, tags = true} = options;
	const endpoints = Math.min(
		ipv6EndpointWidth,
		Math.max(ipv4EndpointWidth, options.endpoints ?? ipv4EndpointWidth),
	);
	const build = (taken: ReadonlySet<Step>): Draft => {
		const draft = fullDraft(counters, tags, endpoints);
		for (const step of [...flowSteps, ...lastResortSteps]) if (taken.has(step)) step.apply(draft);
		return draft;
	};

	const taken = new Set<Step>();
	let draft = build(taken);
	for (const step of flowSteps) {
		if (draftWidth(draft) <= width) break;
		taken.add(step);
		draft = build(taken);
	}

	if (draftWidth(draft) <= width) {
		for (const step of [...flowSteps].reverse()) {
			if (!step.narrows || !taken.has(step)) continue;
			taken.delete(step);
			const trial = build(taken);
			if (draftWidth(trial) <= width) draft = trial;
			else taken.add(step);
		}
	} else {
		fitAddresses(draft, width, endpoints);
		if (draft.get('dst')! < ipv4EndpointWidth) {
			draft.set('src', ipv4EndpointWidth);
			draft.set('dst', ipv4EndpointWidth);
			for (const step of lastResortSteps) {
				if (draftWidth(draft) <= width) break;
				step.apply(draft);
			}

			if (draftWidth(draft) > width) fitAddresses(draft, width, ipv4EndpointWidth);
		}
	}

	const placed: Placed[] = [...draft].map(([id, w]) => ({spec: specs[id], width: w}));
	grow(placed, width);
	return finish(placed, flowDisplayOrder);
}

/**
 * The widest endpoint `rows` show as numbers (source, destination, NAT target, each with its
 * port), for `ColumnOptions.endpoints`. DNS names are left out: they are shortened from the
 * middle to the room there is, rather than pushing columns out.
 */
export function widestEndpoint(rows: readonly FlowRow[]): number {
	let widest = 0;
	for (const {flow} of rows) {
		const ports = hasPorts(flow.protonum);
		const {src, dst, sport, dport} = flow.original;
		widest = Math.max(
			widest,
			endpointText(src, sport, ports).length,
			endpointText(dst, dport, ports).length,
		);
		const target = natTarget(flow);
		if (target) widest = Math.max(widest, endpointText(target.address, target.port, ports).length);
	}

	return widest;
}

const groupTitles: Readonly<Record<GroupBy, string>> = {
	src: 'Source',
	dst: 'Destination',
	src24: 'Source net',
	dport: 'Port',
	proto: 'Proto',
	state: 'State',
	nat: 'NAT address',
};

/**
 * The columns of a grouped view: the group (titled by `by`) and its flow count always, then
 * bytes, rate and packets while they fit; the group column takes what is left.
 */
export function chooseGroupColumns(width: number, by: GroupBy): Column[] {
	const placed: Placed[] = [
		{spec: {...specs.key, title: groupTitles[by]}, width: specs.key.pref},
		{spec: specs.count, width: specs.count.pref},
	];
	shrink(placed, width);
	for (const id of ['bytes', 'rate', 'packets'] as const) tryAdd(placed, id, width);
	grow(placed, width);
	return finish(placed, groupDisplayOrder);
}
