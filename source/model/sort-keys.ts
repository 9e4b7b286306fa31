/**
 * The keys the flow view sorts by: uint32 chunk arrays indexed by table slot, the store's own
 * key columns (row-keys.ts writes them) or numbers encoded on demand; strings are never
 * compared (sorting 100k IPs as strings takes 80-150 ms, a radix pass over numbers ~2 ms:
 * docs/facts.md#sorting).
 */
import {encodeNumbers, type NumberRange} from './radix.js';
import {keyColumn, rowField} from './row-layout.js';
import type {SortColumn} from './sort-columns.js';
import type {FlowStore} from './store.js';

/** How many work chunk arrays sorting and grouping need. */
export const maxChunks = 3;

/**
 * Where a numeric column's number comes from: the flow's counters (packets, bytes: both
 * directions summed), or row doubles summed and signed. Age sorts by start time, newest first;
 * ttl by expiry time, not time left (constant between observations, so a clock tick keeps the
 * order).
 */
interface ValueSource {
	readonly counter: 'packets' | 'bytes' | undefined;
	readonly first: number;
	readonly second: number;
	readonly sign: number;
}

function valueSource(column: NumericColumn): ValueSource {
	switch (column) {
		case 'ttl':
			return {counter: undefined, first: rowField.expiresAt, second: -1, sign: 1};
		case 'packets':
		case 'bytes':
			return {counter: column, first: -1, second: -1, sign: 1};
		case 'rate':
			return {
				counter: undefined,
				first: rowField.originalByteRate,
				second: rowField.replyByteRate,
				sign: 1,
			};
		case 'age':
			return {counter: undefined, first: rowField.since, second: -1, sign: -1};
	}
}

function valueAt(store: FlowStore, slot: number, source: ValueSource): number {
	const {counter, first, second} = source;
	if (counter !== undefined) {
		return counter === 'bytes' ? store.columns.totalBytes(slot) : store.columns.totalPackets(slot);
	}

	return second === -1
		? source.sign * store.get(slot, first)
		: store.get(slot, first) + store.get(slot, second);
}

/** The columns whose keys are numbers read from the rows, not key columns of the store. */
export type NumericColumn = 'ttl' | 'packets' | 'bytes' | 'rate' | 'age';

/** Whether `column` sorts by a number read from the rows. */
export function isNumericColumn(column: SortColumn): column is NumericColumn {
	return (
		column === 'ttl' ||
		column === 'packets' ||
		column === 'bytes' ||
		column === 'rate' ||
		column === 'age'
	);
}

/** The number `column` sorts `slot` by (ascending), as `fillValues` writes it. */
export function numericValue(column: NumericColumn, store: FlowStore, slot: number): number {
	return valueAt(store, slot, valueSource(column));
}

/**
 * Fills `values` with the numbers `column` sorts by, NaN for free slots, and returns their
 * range. One pass that also finds the range: reading one double of each 112-byte row is the
 * cost of a numeric sort (~20 ms at 1M rows), so the values are not read twice.
 */
function fillValues(column: NumericColumn, store: FlowStore, values: Float64Array): NumberRange {
	const source = valueSource(column);
	const {flows} = store;
	const n = store.length;
	let min = Number.POSITIVE_INFINITY;
	let max = Number.NEGATIVE_INFINITY;
	let integers = true;
	for (let slot = 0; slot < n; slot++) {
		if (flows[slot] === undefined) {
			values[slot] = Number.NaN;
			continue;
		}

		const value = valueAt(store, slot, source);
		values[slot] = value;
		if (value < min) min = value;
		if (value > max) max = value;
		if (integers && !Number.isSafeInteger(value)) integers = false;
	}

	return {min, max, integers};
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
	const {keyColumns} = store;
	switch (column) {
		case 'ttl':
		case 'packets':
		case 'bytes':
		case 'rate':
		case 'age': {
			const {chunks: work, values} = numericWork();
			const range = fillValues(column, store, values);
			// Scanning a chunk that holds one value for every row costs a pass over the table
			// (~15 ms at 1M rows, issue 12); the encoder knows when the high one does. A constant
			// low chunk left in changes no order.
			const highVaries = encodeNumbers(values, n, work[0], work[1], reverse, range);
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

/**
 * The chunks that differ between rows; constant ones cannot change an order. A freed slot keeps
 * whatever its last flow wrote, so only a slot whose value differs is asked whether it is live:
 * a constant chunk costs one pass over a typed array, not a look at every flow. The address
 * words only IPv6 fills are one shared array until an IPv6 flow comes, so each array is
 * scanned once.
 */
function varying(chunks: Uint32Array[], store: FlowStore): Uint32Array[] {
	const {flows} = store;
	const n = store.length;
	let live = 0;
	while (live < n && flows[live] === undefined) live++;
	if (live === n) return [];
	const known = new Map<Uint32Array, boolean>();
	return chunks.filter((chunk) => {
		let varies = known.get(chunk);
		if (varies === undefined) {
			varies = false;
			const first = chunk[live];
			for (let slot = live + 1; slot < n; slot++) {
				if (chunk[slot] !== first && flows[slot] !== undefined) {
					varies = true;
					break;
				}
			}

			known.set(chunk, varies);
		}

		return varies;
	});
}
