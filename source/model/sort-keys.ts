/**
 * The keys the flow view sorts by: uint32 chunk arrays indexed by table slot, the store's own
 * key columns (row-keys.ts writes them) or numbers encoded on demand; strings are never
 * compared (sorting 100k IPs as strings takes 80-150 ms, a radix pass over numbers ~2 ms:
 * docs/facts.md#sorting).
 */
import {encodeNumbers} from './radix.js';
import {keyColumn, rowField} from './row-layout.js';
import type {SortColumn} from './sort-columns.js';
import type {FlowStore} from './store.js';

/** How many work chunk arrays sorting and grouping need. */
export const maxChunks = 3;

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
 * columns are encoded into the work arrays `numericWork` hands out (two chunks, via `values`),
 * asked for only then; the others are the store's own key columns, flipped on read when
 * `reverse`. Reverse flips only the key: the tie-breaker is the order the indices arrive in, so
 * equal rows keep their places.
 */
export function columnKey(
	column: SortColumn,
	reverse: boolean,
	store: FlowStore,
	numericWork: () => {readonly chunks: readonly Uint32Array[]; readonly values: Float64Array},
): ColumnKey {
	const n = store.length;
	const {flows, keyColumns} = store;
	switch (column) {
		case 'ttl':
		case 'packets':
		case 'bytes':
		case 'rate':
		case 'age': {
			const {chunks: work, values} = numericWork();
			for (let slot = 0; slot < n; slot++) {
				values[slot] = flows[slot] === undefined ? Number.NaN : numericValue(column, store, slot);
			}

			// Scanning a chunk that holds one value for every row costs a pass over the table
			// (~15 ms at 1M rows, issue 12); the encoder knows when the high one does. A constant
			// low chunk left in changes no order.
			const highVaries = encodeNumbers(values, n, work[0], work[1], reverse);
			return {chunks: highVaries ? varying([work[0], work[1]], store) : [work[1]], flip: 0};
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
