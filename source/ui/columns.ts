/**
 * Table layout, without Ink: which columns fit a width, how wide each is, and each row as one
 * pre-formatted string (FINDINGS: one <Text> per row is 2-2.5x cheaper than a Box of cells).
 * The CLI's `--once` output prints the same strings.
 */
import type {FlowRow} from '../model/table.js';
import type {GroupBy, GroupRow, GroupSortColumn} from '../model/group.js';
import type {SortColumn} from '../model/sort-keys.js';
import {formatBytes, formatCount, formatRate, formatTtl} from '../model/format.js';
import {
	endpointCell,
	hasPorts,
	isOffloaded,
	natLetters,
	natTarget,
	stateLabel,
	type NameResolver,
} from './flow-cells.js';
import {groupDigits, padCell, shortenMiddle} from './text.js';

/** Every column a flow or group table can show. */
export type ColumnId =
	| 'tag'
	| 'proto'
	| 'src'
	| 'dst'
	| 'nat'
	| 'natKind'
	| 'state'
	| 'ttl'
	| 'bytes'
	| 'rate'
	| 'packets'
	| 'age'
	| 'ctmark'
	| 'zone'
	| 'key'
	| 'count';

/** A column placed on screen: its final width, excluding the one-space separator. */
export interface Column {
	readonly id: ColumnId;
	readonly title: string;
	readonly width: number;
	readonly align: 'left' | 'right';
	/** Sort keys (SortColumn or GroupSortColumn) this column shows the arrow for. */
	readonly sorts: readonly string[];
}

interface Spec {
	readonly id: ColumnId;
	readonly title: string;
	readonly align: 'left' | 'right';
	readonly sorts: readonly string[];
	/** Fixed width, or the width a flexible column asks for before it grows or shrinks. */
	readonly pref: number;
	/** Flexible columns only: how far they shrink and grow. */
	readonly min?: number;
	readonly max?: number;
}

// An IPv4 endpoint with a port is at most 21 columns; an IPv6 one 47.
const endpointPref = 21;
const endpointMax = 47;

const specs: Readonly<Record<ColumnId, Spec>> = {
	tag: {id: 'tag', title: '', align: 'left', sorts: [], pref: 2},
	proto: {id: 'proto', title: 'Proto', align: 'left', sorts: ['proto'], pref: 5},
	src: {
		id: 'src',
		title: 'Source',
		align: 'left',
		sorts: ['src', 'sport'],
		pref: endpointPref,
		min: 12,
		max: endpointMax,
	},
	dst: {
		id: 'dst',
		title: 'Destination',
		align: 'left',
		sorts: ['dst', 'dport'],
		pref: endpointPref,
		min: 12,
		max: endpointMax,
	},
	nat: {
		id: 'nat',
		title: 'NAT',
		align: 'left',
		sorts: ['nat'],
		pref: endpointPref + 2,
		min: endpointPref + 2,
		max: endpointMax + 2,
	},
	natKind: {id: 'natKind', title: 'N', align: 'left', sorts: ['nat'], pref: 1},
	state: {id: 'state', title: 'State', align: 'left', sorts: ['state'], pref: 11},
	ttl: {id: 'ttl', title: 'TTL', align: 'right', sorts: ['ttl'], pref: 10},
	bytes: {id: 'bytes', title: 'Bytes', align: 'right', sorts: ['bytes'], pref: 6},
	rate: {id: 'rate', title: 'Rate', align: 'right', sorts: ['rate'], pref: 8},
	packets: {id: 'packets', title: 'Pkts', align: 'right', sorts: ['packets'], pref: 6},
	age: {id: 'age', title: 'Age', align: 'right', sorts: ['age'], pref: 10},
	ctmark: {id: 'ctmark', title: 'Mark', align: 'right', sorts: ['mark'], pref: 10},
	zone: {id: 'zone', title: 'Zone', align: 'right', sorts: ['zone'], pref: 5},
	key: {id: 'key', title: 'Group', align: 'left', sorts: ['key'], pref: 24, min: 12, max: 47},
	count: {id: 'count', title: 'Flows', align: 'right', sorts: ['count'], pref: 7},
};

const flowDisplayOrder: readonly ColumnId[] = [
	'tag',
	'proto',
	'src',
	'dst',
	'nat',
	'natKind',
	'state',
	'ttl',
	'bytes',
	'rate',
	'packets',
	'age',
	'ctmark',
	'zone',
];

const groupDisplayOrder: readonly ColumnId[] = ['key', 'count', 'bytes', 'rate', 'packets'];

/** What to show besides the columns every width gets. */
export interface ColumnOptions {
	/**
	 * Byte and rate columns (the `c` key), shown even at 80 columns by narrowing the address
	 * columns; packets join when there is room. Default false, as in iptstate.
	 */
	readonly counters?: boolean;
	/** The two-character mark column (tag, new/closed/offload). Default true. */
	readonly tags?: boolean;
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
		}));
}

/**
 * The flow columns for a terminal `width` columns wide, in display order, with their widths.
 * Mark, protocol, source, destination, state and TTL are always there (the address columns
 * narrow down to 12 before anything else goes; below ~60 columns rows get cut); with
 * `counters`, bytes and rate too. Then, while they fit: NAT target (else a one-letter NAT
 * kind), packets (with `counters`), age, conntrack mark, zone. What is left widens the
 * address columns (IPv6 endpoints need up to 47).
 */
export function chooseColumns(width: number, options: ColumnOptions = {}): Column[] {
	const {counters = false, tags = true} = options;
	const mandatory: ColumnId[] = ['proto', 'src', 'dst', 'state', 'ttl'];
	if (tags) mandatory.unshift('tag');
	const placed: Placed[] = mandatory.map((id) => ({spec: specs[id], width: specs[id].pref}));
	if (counters) {
		for (const id of ['bytes', 'rate'] as const) {
			const spec = specs[id];
			const trial = [...placed, {spec, width: spec.pref}];
			shrink(trial, width);
			if (used(trial) <= width) placed.push({spec, width: spec.pref});
		}
	}

	shrink(placed, width);
	if (!tryAdd(placed, 'nat', width)) tryAdd(placed, 'natKind', width);
	if (counters) tryAdd(placed, 'packets', width);
	for (const id of ['age', 'ctmark', 'zone'] as const) tryAdd(placed, id, width);
	shrink(placed, width);
	grow(placed, width);
	return finish(placed, flowDisplayOrder);
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

/** Which column is sorted and which way, for the header arrow. */
export interface SortMark {
	/** A SortColumn for flow tables, a GroupSortColumn for grouped ones. */
	readonly column: SortColumn | GroupSortColumn;
	readonly reverse: boolean;
}

function joinCells(columns: readonly Column[], cells: readonly string[], width: number): string {
	let line = '';
	for (let i = 0; i < columns.length; i++) {
		if (i > 0) line += ' ';
		line += padCell(cells[i], columns[i].width, columns[i].align);
	}

	return padCell(line, width);
}

/**
 * The title line of `columns`, exactly `width` columns wide; the sorted column's title gets
 * an arrow (`↑` ascending, `↓` descending, as k9s marks it).
 */
export function formatHeaderLine(
	columns: readonly Column[],
	width: number,
	sort?: SortMark,
): string {
	const titles = columns.map((column) => {
		if (!sort || !column.sorts.includes(sort.column)) return column.title;
		return column.title + (sort.reverse ? '↓' : '↑');
	});
	return joinCells(columns, titles, width);
}

/** How a flow row is drawn. */
export interface FlowRowOptions {
	/** Cached reverse DNS; names replace addresses when it knows them. */
	readonly resolveName?: NameResolver;
	/** The flow is tagged for deletion (`*` in the mark column). */
	readonly tagged?: boolean;
	/** This UI deleted the flow and the table has not caught up: shown like a closed one. */
	readonly removed?: boolean;
}

const protoShort: Readonly<Record<string, string>> = {icmpv6: 'icmp6', udplite: 'udpl'};

function markCell(row: FlowRow, options: FlowRowOptions): string {
	const gone = row.closed || options.removed === true;
	const second = gone ? '-' : row.isNew ? '+' : isOffloaded(row.flow) ? 'o' : ' ';
	return (options.tagged ? '*' : ' ') + second;
}

function flowCell(id: ColumnId, row: FlowRow, width: number, options: FlowRowOptions): string {
	const {flow} = row;
	const o = flow.original;
	const ports = hasPorts(flow.protonum);
	switch (id) {
		case 'tag':
			return markCell(row, options);
		case 'proto':
			return protoShort[flow.proto] ?? flow.proto;
		case 'src':
			return endpointCell(o.src, o.sport, ports, width, options.resolveName);
		case 'dst':
			return endpointCell(o.dst, o.dport, ports, width, options.resolveName);
		case 'nat': {
			const target = natTarget(flow);
			if (!target) return '';
			const cell = endpointCell(target.address, target.port, ports, width - 2, options.resolveName);
			return `${natLetters[target.kind]} ${cell}`;
		}

		case 'natKind': {
			const target = natTarget(flow);
			return target ? natLetters[target.kind] : '';
		}

		case 'state':
			return stateLabel(flow);
		case 'ttl':
			return row.closed ? 'closed' : options.removed ? 'deleted' : formatTtl(row.ttl);
		case 'bytes': {
			const c = flow.counters;
			return c ? formatBytes(c.original.bytes + c.reply.bytes) : '-';
		}

		case 'rate':
			return flow.counters ? formatRate(row.bytesPerSecond) : '-';
		case 'packets': {
			const c = flow.counters;
			return c ? formatCount(c.original.packets + c.reply.packets) : '-';
		}

		case 'age':
			return formatTtl(row.age);
		case 'ctmark':
			return flow.mark ? `0x${flow.mark.toString(16)}` : '';
		case 'zone':
			return flow.zone ? String(flow.zone) : '';
		default:
			return '';
	}
}

/**
 * One flow as a line exactly `width` columns wide (padded with spaces, so a highlighted row
 * spans the screen; trim it for plain output). The mark column shows `*` for a tagged flow,
 * then `+` new, `-` closed (or deleted, with `deleted` for its TTL) or `o` offloaded. Bytes, rate and packets are `-` without counters
 * (accounting off).
 */
export function formatFlowRow(
	row: FlowRow,
	columns: readonly Column[],
	width: number,
	options: FlowRowOptions = {},
): string {
	const cells = columns.map((column) => flowCell(column.id, row, column.width, options));
	return joinCells(columns, cells, width);
}

/**
 * One group as a line exactly `width` columns wide: its label (long addresses lose their
 * middle), flow count, bytes, rate and packets as the columns allow.
 */
export function formatGroupRow(row: GroupRow, columns: readonly Column[], width: number): string {
	const cells = columns.map((column) => {
		switch (column.id) {
			case 'key':
				return shortenMiddle(row.key, column.width);
			case 'count':
				return row.count < 10_000_000 ? groupDigits(row.count) : formatCount(row.count);
			case 'bytes':
				return formatBytes(row.bytes);
			case 'rate':
				return formatRate(row.bytesPerSecond);
			case 'packets':
				return formatCount(row.packets);
			default:
				return '';
		}
	});
	return joinCells(columns, cells, width);
}
