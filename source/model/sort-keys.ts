/**
 * Sort columns and the numeric keys they sort by. Keys go into uint32 chunk arrays indexed by
 * table slot; strings are never compared (sorting 100k IPs as strings takes 80-150 ms, a radix
 * pass over numbers ~2 ms: docs/facts.md#sorting).
 */
import {natAddressOf, natKindOf} from '../flow/nat.js';
import type {Address, Flow} from '../flow/types.js';
import {rowField, type FlowStore} from './store.js';
import {stateRank} from './names.js';
import {encodeNumbers} from './radix.js';

/** Every column the flow view sorts by. */
export type SortColumn =
	| 'proto'
	| 'src'
	| 'sport'
	| 'dst'
	| 'dport'
	| 'state'
	| 'ttl'
	| 'packets'
	| 'bytes'
	| 'rate'
	| 'age'
	| 'mark'
	| 'zone'
	| 'nat';

/** The columns in display order. */
export const sortColumns: readonly SortColumn[] = [
	'proto',
	'src',
	'sport',
	'dst',
	'dport',
	'state',
	'ttl',
	'packets',
	'bytes',
	'rate',
	'age',
	'mark',
	'zone',
	'nat',
];

/** One bit per column, to track which columns' keys a change touched. */
export const columnBit: Readonly<Record<SortColumn, number>> = Object.fromEntries(
	sortColumns.map((column, index) => [column, 1 << index]),
) as Record<SortColumn, number>;

/** How many work chunk arrays sorting and grouping need. */
export const maxChunks = 3;

/** `none` < `snat` < `dnat` < `both`: untranslated flows first. */
export function natRank(kind: string | null | undefined): number {
	switch (kind) {
		case 'snat':
			return 1;
		case 'dnat':
			return 2;
		case 'both':
			return 3;
		default:
			return 0;
	}
}

/**
 * Writes `address` as five chunks at `index`: family rank (1 IPv4, 2 IPv6; 0 for none) then
 * four words, so IPv4 sorts before IPv6 and each family numerically.
 */
export function writeAddressChunks(
	address: Address | undefined,
	chunks: readonly Uint32Array[],
	first: number,
	index: number,
): void {
	const family = chunks[first];
	if (address === undefined) {
		family[index] = 0;
		for (let w = 1; w <= 4; w++) chunks[first + w][index] = 0;
	} else if (typeof address === 'number') {
		family[index] = 1;
		chunks[first + 1][index] = address;
		chunks[first + 2][index] = 0;
		chunks[first + 3][index] = 0;
		chunks[first + 4][index] = 0;
	} else {
		family[index] = 2;
		for (let w = 0; w < 4; w++) {
			const i = w * 4;
			chunks[first + 1 + w][index] =
				((address[i] << 24) | (address[i + 1] << 16) | (address[i + 2] << 8) | address[i + 3]) >>>
				0;
		}
	}
}

/**
 * Where each column's uint32 key chunks live among the store's per-row key columns: kept up
 * to date as flows change, so sorting reads typed arrays in slot order instead of chasing
 * 100k flow objects (which cost more than the sort itself).
 */
export const keyColumn = {
	id: 0,
	proto: 1,
	sport: 2,
	dport: 3,
	state: 4,
	mark: 5,
	zone: 6,
	/** Five chunks: family rank, then four words. */
	src: 7,
	dst: 12,
	/** Six chunks: NAT rank, then the translated address as five. */
	nat: 17,
	/** The reply tuple, for filters: addresses as five chunks each, then ports. */
	replySrc: 23,
	replyDst: 28,
	replySport: 33,
	replyDport: 34,
	/** CTA_STATUS bits (0 when unknown), for `flag:` filters. */
	status: 35,
} as const;

/** How many key columns the store keeps. */
export const keyColumnCount = 36;

/** Writes every key column of `slot` from `flow`. */
export function writeRowKeys(columns: readonly Uint32Array[], slot: number, flow: Flow): void {
	columns[keyColumn.id][slot] = flow.id >>> 0;
	columns[keyColumn.proto][slot] = flow.protonum;
	columns[keyColumn.sport][slot] = flow.original.sport;
	columns[keyColumn.dport][slot] = flow.original.dport;
	columns[keyColumn.zone][slot] = flow.zone >>> 0;
	writeAddressChunks(flow.original.src, columns, keyColumn.src, slot);
	writeAddressChunks(flow.original.dst, columns, keyColumn.dst, slot);
	writeChangingKeys(columns, slot, flow);
}

/**
 * Writes the key columns that can change during a flow's life (state, mark, status, reply
 * tuple, NAT).
 */
export function writeChangingKeys(columns: readonly Uint32Array[], slot: number, flow: Flow): void {
	columns[keyColumn.state][slot] = stateRank(flow.state);
	columns[keyColumn.mark][slot] = (flow.mark ?? 0) >>> 0;
	columns[keyColumn.status][slot] = (flow.status ?? 0) >>> 0;
	columns[keyColumn.nat][slot] = natRank(natKindOf(flow));
	writeAddressChunks(natAddressOf(flow), columns, keyColumn.nat + 1, slot);
	const {reply} = flow;
	writeAddressChunks(reply.src, columns, keyColumn.replySrc, slot);
	writeAddressChunks(reply.dst, columns, keyColumn.replyDst, slot);
	columns[keyColumn.replySport][slot] = reply.sport;
	columns[keyColumn.replyDport][slot] = reply.dport;
}

/** The number a numeric column sorts by (ascending); age sorts by start time, newest first. */
function numericValue(column: SortColumn, store: FlowStore, slot: number): number {
	switch (column) {
		case 'ttl':
			// Expiry time, not time left: constant between observations, so a clock tick keeps
			// the order.
			return store.get(slot, rowField.expiresAt);
		case 'packets':
			return store.get(slot, rowField.totalPackets);
		case 'bytes':
			return store.get(slot, rowField.totalBytes);
		case 'rate':
			return store.bytesPerSecond(slot);
		default:
			// Age: the later a flow started, the younger it is.
			return -store.get(slot, rowField.since);
	}
}

/** A sort key: chunk arrays indexed by slot, most significant first, read XOR `flip`. */
export interface ColumnKey {
	readonly chunks: Uint32Array[];
	readonly flip: number;
}

/**
 * The key `column` sorts by, leaving out chunks that hold one value for all rows. Numeric
 * columns are encoded into `work` (two chunks) via `values`; the others are the store's own
 * key columns, flipped on read when `reverse`. Reverse flips only the key: the tie-breaker is
 * the order the indices arrive in, so equal rows keep their places.
 */
export function columnKey(
	column: SortColumn,
	reverse: boolean,
	store: FlowStore,
	work: readonly Uint32Array[],
	values: Float64Array,
): ColumnKey {
	const n = store.length;
	const {flows, keyColumns} = store;
	switch (column) {
		case 'ttl':
		case 'packets':
		case 'bytes':
		case 'rate':
		case 'age': {
			for (let slot = 0; slot < n; slot++) {
				values[slot] = flows[slot] === undefined ? Number.NaN : numericValue(column, store, slot);
			}

			encodeNumbers(values, n, work[0], work[1], reverse);
			return {chunks: varying([work[0], work[1]], store), flip: 0};
		}

		case 'src':
		case 'dst':
		case 'sport':
		case 'dport':
		case 'nat': {
			return {
				chunks: varying(endpointChunks(column, keyColumns), store),
				flip: reverse ? 0xffffffff : 0,
			};
		}

		default:
			return {
				chunks: varying([keyColumns[keyColumn[column]]], store),
				flip: reverse ? 0xffffffff : 0,
			};
	}
}

/**
 * An endpoint column's chunks: an address sorts on by its port and a port by its address, so
 * the flows of one host (or one service) come out in a stable, readable order.
 */
function endpointChunks(
	column: 'src' | 'dst' | 'sport' | 'dport' | 'nat',
	keyColumns: readonly Uint32Array[],
): Uint32Array[] {
	const at = (first: number, count: number) => keyColumns.slice(first, first + count);
	switch (column) {
		case 'src':
			return [...at(keyColumn.src, 5), keyColumns[keyColumn.sport]];
		case 'dst':
			return [...at(keyColumn.dst, 5), keyColumns[keyColumn.dport]];
		case 'sport':
			return [keyColumns[keyColumn.sport], ...at(keyColumn.src, 5)];
		case 'dport':
			return [keyColumns[keyColumn.dport], ...at(keyColumn.dst, 5)];
		case 'nat':
			return at(keyColumn.nat, 6);
	}
}

/** The chunks that differ between rows; constant ones cannot change an order. */
function varying(chunks: Uint32Array[], store: FlowStore): Uint32Array[] {
	const {flows} = store;
	const n = store.length;
	return chunks.filter((chunk) => {
		let first = -1;
		for (let slot = 0; slot < n; slot++) {
			if (flows[slot] === undefined) continue;
			if (first === -1) first = chunk[slot];
			else if (chunk[slot] !== first) return true;
		}

		return false;
	});
}
