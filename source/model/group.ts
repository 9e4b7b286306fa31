/**
 * Group-by: aggregate matched flows into rows by a key (address, /24 or /64, port, protocol,
 * state, NAT address) and sort those rows with the same radix machinery as flows.
 */
import {formatAddress} from '../flow/address-text.js';
import {natAddressOf} from '../flow/nat.js';
import {hasPorts, protocolName} from '../flow/protocols.js';
import type {Address, Flow} from '../flow/types.js';
import {addressPrefix} from './cidr.js';
import {stateRank, unknownStateRank} from './names.js';
import {encodeNumbers, radixSort, radixSortRefined} from './radix.js';
import {keyColumn, rowField, rowStride} from './row-layout.js';
import type {FlowStore} from './store.js';

/**
 * What to group by: `src`/`dst` the original addresses; `src24` the source's /24 (IPv4) or
 * /64 (IPv6); `dport` the original destination port with the protocol (`443/tcp`); `proto`;
 * `state` (`-` for none); `nat` the translated address (reply dst for SNAT and both, reply
 * src for DNAT; `-` for flows without NAT).
 */
export type GroupBy = 'src' | 'dst' | 'src24' | 'dport' | 'proto' | 'state' | 'nat';

/** Every group-by choice. */
export const groupBys: readonly GroupBy[] = [
	'src',
	'dst',
	'src24',
	'dport',
	'proto',
	'state',
	'nat',
];

/** Columns a grouped view sorts by; `key` is the group value in its natural order. */
export type GroupSortColumn = 'key' | 'count' | 'packets' | 'bytes' | 'rate';

/** Every group sort column. */
export const groupSortColumns: readonly GroupSortColumn[] = [
	'key',
	'count',
	'packets',
	'bytes',
	'rate',
];

/** One aggregated row. */
export interface GroupRow {
	/** The group's label, unique within one grouping (`10.0.0.0/24`, `443/tcp`, `-`). */
	readonly key: string;
	/** Flows in the group, closed ones included. */
	readonly count: number;
	/** Closed flows among `count`. */
	readonly closed: number;
	readonly packets: number;
	readonly bytes: number;
	readonly bytesPerSecond: number;
	readonly packetsPerSecond: number;
}

/** Slot-indexed scratch the table lends for grouping. */
export interface GroupWork {
	/** At least 3 arrays as long as the store. */
	readonly chunks: readonly Uint32Array[];
	readonly scratch: Int32Array;
}

function fit<T extends Int32Array | Float64Array>(array: T, size: number): T {
	if (array.length >= size) return array;
	return new (array.constructor as new (length: number) => T)(Math.max(size, array.length * 2));
}

/**
 * The groups of one aggregation as columns (a 100k-group `src` grouping would otherwise
 * allocate 100k objects with boxed sums per query), in key order. Rows and labels are made
 * only for groups on screen. Reused by the next aggregation: read it before regrouping.
 */
export class GroupTable {
	/** Groups in the table. */
	length = 0;
	/** What the groups were made by. */
	by: GroupBy = 'src';
	/** A member slot of each group, standing for the key (label, order). */
	first = new Int32Array(0);
	count = new Int32Array(0);
	closed = new Int32Array(0);
	packets = new Float64Array(0);
	bytes = new Float64Array(0);
	bytesPerSecond = new Float64Array(0);
	packetsPerSecond = new Float64Array(0);
	private labels: Array<string | undefined> = [];

	constructor(private readonly store: FlowStore) {}

	/** Empties the table for `size` groups at most, grouped by `by`. */
	reset(by: GroupBy, size: number): void {
		this.by = by;
		this.length = 0;
		this.labels = [];
		this.first = fit(this.first, size);
		this.count = fit(this.count, size);
		this.closed = fit(this.closed, size);
		this.packets = fit(this.packets, size);
		this.bytes = fit(this.bytes, size);
		this.bytesPerSecond = fit(this.bytesPerSecond, size);
		this.packetsPerSecond = fit(this.packetsPerSecond, size);
	}

	/** The display label of group `i`; also its identity for the cursor. */
	label(i: number): string {
		let label = this.labels[i];
		if (label === undefined) {
			label = groupLabel(this.store.flows[this.first[i]]!, this.by);
			this.labels[i] = label;
		}

		return label;
	}

	/** The row form of group `i`. */
	row(i: number): GroupRow {
		return {
			key: this.label(i),
			count: this.count[i],
			closed: this.closed[i],
			packets: this.packets[i],
			bytes: this.bytes[i],
			bytesPerSecond: this.bytesPerSecond[i],
			packetsPerSecond: this.packetsPerSecond[i],
		};
	}
}

/** The address a flow is grouped under, or undefined (`nat` of a flow without NAT). */
function groupAddress(flow: Flow, by: GroupBy): Address | undefined {
	switch (by) {
		case 'dst':
			return flow.original.dst;
		case 'nat':
			return natAddressOf(flow);
		case 'src24': {
			const src = flow.original.src;
			return addressPrefix(src, typeof src === 'number' ? 24 : 64);
		}

		default:
			return flow.original.src;
	}
}

/**
 * The group key of each slot as chunk arrays: the store's own key columns where they fit,
 * else written into `work` for the slots listed.
 */
function groupKeys(
	store: FlowStore,
	slots: Int32Array,
	n: number,
	by: GroupBy,
	work: readonly Uint32Array[],
): Uint32Array[] {
	const {flows, keyColumns} = store;
	switch (by) {
		case 'src':
		case 'dst':
			return keyColumns.slice(keyColumn[by], keyColumn[by] + 5);
		case 'nat':
			return keyColumns.slice(keyColumn.nat + 1, keyColumn.nat + 6);
		case 'dport':
			return [keyColumns[keyColumn.dport], keyColumns[keyColumn.proto]];
		case 'proto':
			return [keyColumns[keyColumn.proto]];
		case 'src24': {
			// The prefix from the source's chunks: IPv4 /24 masks the one word, IPv6 /64 keeps
			// the first two words.
			const src = keyColumns.slice(keyColumn.src, keyColumn.src + 5);
			for (let i = 0; i < n; i++) {
				const slot = slots[i];
				const v4 = src[0][slot] === 1;
				work[0][slot] = src[0][slot];
				work[1][slot] = v4 ? (src[1][slot] & 0xffffff00) >>> 0 : src[1][slot];
				work[2][slot] = v4 ? 0 : src[2][slot];
			}

			return work.slice(0, 3);
		}

		case 'state': {
			// Names no list knows rank after the known ones, alphabetically, before "no state".
			const unknown = new Set<string>();
			for (let i = 0; i < n; i++) {
				const state = flows[slots[i]]!.state;
				if (state && stateRank(state) === unknownStateRank) unknown.add(state);
			}

			const unknownIndex = new Map([...unknown].sort().map((name, index) => [name, index]));
			for (let i = 0; i < n; i++) {
				const slot = slots[i];
				const state = flows[slot]!.state;
				work[0][slot] = state ? (unknownIndex.get(state) ?? 0) : 0;
			}

			return [keyColumns[keyColumn.state], work[0]];
		}
	}
}

/**
 * Aggregates the rows `slots[0..n)` of `store` by `by` into `into`, groups in their key's
 * natural order (addresses numerically, IPv4 first; ports; protocol numbers; states by rank).
 * Sorts `slots` by that key in place: equal keys end up adjacent, so no hash map is needed.
 */
export function groupSlots(
	store: FlowStore,
	slots: Int32Array,
	n: number,
	by: GroupBy,
	work: GroupWork,
	into: GroupTable,
): void {
	const keys = groupKeys(store, slots, n, by, work.chunks);
	radixSortRefined(slots, n, keys.slice(0, 3), keys.slice(3), work.scratch);
	into.reset(by, n);
	// Pass 1 (key order) finds the groups; pass 2 sums in slot order, so the rows' numbers are
	// read sequentially rather than jumping across the table.
	const groupOf = work.scratch;
	groupOf.fill(-1, 0, store.length);
	const {first, count, closed, packets, bytes, bytesPerSecond, packetsPerSecond} = into;
	const k0 = keys[0];
	const rest = keys.slice(1);
	let g = -1;
	let previous = -1;
	for (let i = 0; i < n; i++) {
		const slot = slots[i];
		if (g === -1 || k0[slot] !== k0[previous] || !sameKey(rest, previous, slot)) {
			g++;
			first[g] = slot;
			count[g] = 0;
			closed[g] = 0;
			packets[g] = 0;
			bytes[g] = 0;
			bytesPerSecond[g] = 0;
			packetsPerSecond[g] = 0;
		}

		groupOf[slot] = g;
		previous = slot;
	}

	const {numbers, columns} = store;
	for (let slot = 0; slot < store.length; slot++) {
		const group = groupOf[slot];
		if (group === -1) continue;
		const row = slot * rowStride;
		count[group]++;
		const closedAt = numbers[row + rowField.closedAt];
		if (closedAt === closedAt) closed[group]++;
		packets[group] += columns.totalPackets(slot);
		bytes[group] += columns.totalBytes(slot);
		bytesPerSecond[group] +=
			numbers[row + rowField.originalByteRate] + numbers[row + rowField.replyByteRate];
		packetsPerSecond[group] +=
			numbers[row + rowField.originalPacketRate] + numbers[row + rowField.replyPacketRate];
	}

	into.length = g + 1;
}

function sameKey(keys: readonly Uint32Array[], a: number, b: number): boolean {
	for (let i = 0; i < keys.length; i++) if (keys[i][a] !== keys[i][b]) return false;
	return true;
}
/** The label of the group `flow` belongs to when grouping by `by`. */
export function groupLabel(flow: Flow, by: GroupBy): string {
	switch (by) {
		case 'src':
		case 'dst':
		case 'nat': {
			const address = groupAddress(flow, by);
			return address === undefined ? '-' : formatAddress(address);
		}

		case 'src24': {
			const address = groupAddress(flow, by)!;
			return `${formatAddress(address)}/${typeof address === 'number' ? 24 : 64}`;
		}

		case 'dport':
			return hasPorts(flow.protonum)
				? `${flow.original.dport}/${protocolName(flow.protonum)}`
				: protocolName(flow.protonum);
		case 'proto':
			return protocolName(flow.protonum);
		case 'state':
			return flow.state ?? '-';
	}
}

/**
 * The order of `groups` (in key order, as `groupSlots` leaves them) by `column`,
 * ascending or, with `reverse`, descending; ties stay in key order either way, so equal rows
 * keep their places when the direction flips. Returns indices into `groups`.
 */
export function sortGroups(
	groups: GroupTable,
	column: GroupSortColumn,
	reverse: boolean,
): Int32Array {
	const n = groups.length;
	const order = new Int32Array(n);
	for (let i = 0; i < n; i++) order[i] = reverse && column === 'key' ? n - 1 - i : i;
	if (column === 'key') return order;
	const values =
		column === 'count'
			? Float64Array.from(groups.count.subarray(0, n))
			: (column === 'packets'
					? groups.packets
					: column === 'bytes'
						? groups.bytes
						: groups.bytesPerSecond
				).subarray(0, n);
	const high = new Uint32Array(n);
	const low = new Uint32Array(n);
	encodeNumbers(values, n, high, low, reverse);
	radixSort(order, n, [high, low], new Int32Array(n));
	return order;
}
