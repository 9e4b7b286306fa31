/**
 * The sorted order of every row (live and tombstones) by one column, cached: re-sorted (radix,
 * over the identity order) only when a row joined, the column changed, or a value of that
 * column changed; a row leaving only compacts it, a change of direction only turns it round
 * (issue 12: re-sorting 1M rows to reverse them took ~100-250 ms, turning them ~5 ms), and a
 * few rows whose number changed are moved to their new places (`mend`).
 */
import {compareFlowIdentity} from '../flow/key.js';
import {ChangeLog, type LogMark} from './change-log.js';
import type {GroupWork} from './group.js';
import type {IdentityOrder} from './identity-order.js';
import {radixSortRefined} from './radix.js';
import {keyColumn} from './row-layout.js';
import {columnBit, type SortColumn} from './sort-columns.js';
import {columnKey, isNumericColumn, maxChunks, numericValue} from './sort-keys.js';
import {Stamp, Version} from './stamp.js';
import type {FlowStore} from './store.js';

/**
 * The most changed rows an order is mended for instead of re-sorted (a second's re-read of the
 * rows on screen is a few dozen); more, or more than a sixteenth of the table, sort afresh.
 */
const mendLimit = 4096;

/** Drops freed slots from `order[0..length)` keeping the rest in order; returns the new length. */
export function compactOrder(order: Int32Array, length: number, flows: FlowStore['flows']): number {
	let n = 0;
	for (let i = 0; i < length; i++) {
		const slot = order[i];
		if (flows[slot] !== undefined) order[n++] = slot;
	}

	return n;
}

/**
 * Turns `order[0..length)`, sorted stably by `chunks` one way, into the order a stable sort the
 * other way gives: reversed where keys differ, rows with equal keys still in their old relative
 * order (the tie rule is the order rows arrive in, whichever the direction).
 */
export function reverseKeepingTies(
	order: Int32Array,
	length: number,
	chunks: readonly Uint32Array[],
): void {
	order.subarray(0, length).reverse();
	for (let start = 0; start < length;) {
		let end = start + 1;
		while (end < length && sameKey(chunks, order[start], order[end])) end++;
		if (end - start > 1) order.subarray(start, end).reverse();
		start = end;
	}
}

function sameKey(chunks: readonly Uint32Array[], a: number, b: number): boolean {
	for (const chunk of chunks) if (chunk[a] !== chunk[b]) return false;
	return true;
}

/** `reverseKeepingTies` for an order sorted by the numbers `values` holds by slot. */
export function reverseKeepingValueTies(
	order: Int32Array,
	length: number,
	values: Float64Array,
): void {
	order.subarray(0, length).reverse();
	for (let start = 0; start < length;) {
		let end = start + 1;
		while (end < length && values[order[end]] === values[order[start]]) end++;
		if (end - start > 1) order.subarray(start, end).reverse();
		start = end;
	}
}

/** Slots in sorted order, with the work arrays sorting them (lent to grouping as well). */
export class SortedOrder {
	/** Slots, sorted in `[0, length)`. */
	order = new Int32Array(0);
	length = 0;
	/** Moves whenever `order` changes (re-sorted or compacted). */
	readonly version = new Version();

	// Only numeric sorts and grouping use `chunks` and `values`: they are made on first use,
	// not with the other arrays (20 bytes a slot a table sorted by address never needs).
	private chunks: Uint32Array[] = [];
	private values = new Float64Array(0);
	private scratch = new Int32Array(0);
	private capacity = 0;
	private column: SortColumn | undefined;
	private reverse = false;
	/**
	 * The key the order was last sorted by, while it still holds the values sorted: numeric keys
	 * live in the work arrays, so lending them to grouping drops it.
	 */
	private key: readonly Uint32Array[] | undefined;
	/** When the order was last sorted: rows joining make it stale. */
	private readonly sortedAt: Stamp;
	/** When freed slots were last dropped: rows leaving make it stale. */
	private readonly compactedAt: Stamp;
	/** Rows that joined, changed or closed since `loggedAt` (the last sort or mend). */
	private readonly log = new ChangeLog(mendLimit);
	private loggedAt: LogMark = this.log.mark();
	/** The numeric column whose values `values` holds for every row in the order, if any. */
	private valuesOf: SortColumn | undefined;

	/** An order rebuilt when `additions` moves, compacted when `removals` does. */
	constructor(additions: Version, removals: Version) {
		this.sortedAt = new Stamp(additions);
		this.compactedAt = new Stamp(removals);
	}

	/** The slot-indexed scratch grouping borrows between sorts. */
	get work(): GroupWork {
		this.key = undefined;
		return {chunks: this.numericWork().chunks, scratch: this.scratch};
	}

	/** Records that the row in `slot` joined, changed or closed. */
	changed(slot: number): void {
		this.log.changed(slot);
	}

	/** Sizes the arrays to `capacity` slots; fresh arrays hold no order, so the next update sorts. */
	fit(capacity: number): void {
		this.capacity = capacity;
		this.chunks = [];
		this.values = new Float64Array(0);
		this.valuesOf = undefined;
		this.scratch = new Int32Array(capacity);
		this.order = new Int32Array(capacity);
		this.key = undefined;
		this.sortedAt.invalidate();
	}

	/**
	 * Brings the order up to date for `column` and `reverse`, given the columns whose values
	 * changed since the last sort (`dirtyColumns`, which the caller clears when this sorted).
	 * Returns whether it sorted; compacting or turning the order round alone is not a sort.
	 */
	update(
		column: SortColumn,
		reverse: boolean,
		dirtyColumns: number,
		identity: IdentityOrder,
		store: FlowStore,
	): boolean {
		// An order can be turned round by its key, or after a mend by the values it holds.
		const canTurn = this.key !== undefined || this.valuesOf === column;
		const fresh =
			this.column === column &&
			this.sortedAt.isFresh() &&
			(dirtyColumns & columnBit[column]) === 0 &&
			(this.reverse === reverse || canTurn);
		if (fresh) {
			if (!this.compactedAt.isFresh()) {
				this.length = compactOrder(this.order, this.length, store.flows);
				this.compactedAt.record();
				this.version.bump();
			}

			if (this.reverse !== reverse) this.turn(reverse);
			return false;
		}

		// Rows changed: re-place them in the order as it stands, then turn it if asked (`r` on a
		// view sorted by ttl at 1M rows would otherwise sort afresh after every second's re-read).
		if (
			this.column === column &&
			this.sortedAt.isFresh() &&
			this.valuesOf === column &&
			this.mend(store)
		) {
			if (this.reverse !== reverse) this.turn(reverse);
			return true;
		}

		const n = identity.length;
		this.order.set(identity.order.subarray(0, n));
		const key = columnKey(column, reverse, store, () => this.numericWork());
		// Three head chunks cover a family rank and the top of an address; the rest only
		// matters where those tie.
		radixSortRefined(
			this.order,
			n,
			key.chunks.slice(0, 3),
			key.chunks.slice(3),
			this.scratch,
			key.flip,
		);
		this.length = n;
		this.column = column;
		this.reverse = reverse;
		this.key = key.chunks;
		this.valuesOf = isNumericColumn(column) ? column : undefined;
		this.loggedAt = this.log.mark();
		this.sortedAt.record();
		this.compactedAt.record();
		this.version.bump();
		return true;
	}

	/** Turns the order round into the one a sort the other way gives. */
	private turn(reverse: boolean): void {
		if (this.key === undefined) reverseKeepingValueTies(this.order, this.length, this.values);
		else reverseKeepingTies(this.order, this.length, this.key);
		this.reverse = reverse;
		this.version.bump();
	}

	/**
	 * Re-places the rows whose number changed since the last sort instead of sorting every row
	 * again: the screen's rows are re-read every second, and sorted by ttl, packets, bytes or rate
	 * at 1M rows each re-read cost a full sort (~45 ms, docs/facts.md#sort-keys-at-1m-rows). The
	 * changed rows leave the order (with any freed slot), are sorted among themselves and put
	 * back where binary search says, by value then identity: the order a sort would give. No row
	 * joined since (the caller checks). Returns false, having changed nothing, when the log
	 * overflowed or too many rows changed.
	 */
	private mend(store: FlowStore): boolean {
		const changed = this.log.since(this.loggedAt);
		const column = this.column!;
		if (!changed || !isNumericColumn(column)) return false;
		if (changed.length > mendLimit || changed.length * 16 > this.length) return false;
		const {flows} = store;
		const {values} = this;
		// A row changed twice is listed twice; a row that left since is dropped by compacting.
		const moved = [...new Set(changed)].filter((slot) => flows[slot] !== undefined);
		const movedValues = moved.map((slot) => numericValue(column, store, slot));
		// NaN has no place in an order; a full sort treats it as it always has.
		if (movedValues.some((value) => value !== value)) return false;
		if (!this.compactedAt.isFresh()) {
			this.length = compactOrder(this.order, this.length, flows);
			this.compactedAt.record();
		}

		const sign = this.reverse ? -1 : 1;
		const ids = store.keyColumns[keyColumn.id];
		const before = (a: number, b: number): number => {
			const x = values[a];
			const y = values[b];
			if (x !== y) return x < y ? -sign : sign;
			if (ids[a] !== ids[b]) return ids[a] < ids[b] ? -1 : 1;
			return compareFlowIdentity(flows[a]!, flows[b]!);
		};

		const {order, scratch} = this;
		// Where the moving rows are: `values` still holds what they were sorted by.
		const positions: number[] = [];
		for (const slot of moved) {
			const at = this.search(slot, 0, this.length, before, order);
			// Not where its old value says: something changed unlogged; sort afresh.
			if (order[at] !== slot) return false;
			positions.push(at);
		}

		positions.sort((a, b) => a - b);
		let kept = 0;
		let from = 0;
		for (const at of positions) {
			scratch.set(order.subarray(from, at), kept);
			kept += at - from;
			from = at + 1;
		}

		scratch.set(order.subarray(from, this.length), kept);
		kept += this.length - from;

		for (const [i, slot] of moved.entries()) values[slot] = movedValues[i];
		moved.sort(before);
		from = 0;
		let to = 0;
		for (const slot of moved) {
			const at = this.search(slot, from, kept, before, scratch);
			order.set(scratch.subarray(from, at), to);
			to += at - from;
			order[to++] = slot;
			from = at;
		}

		order.set(scratch.subarray(from, kept), to);
		this.length = to + kept - from;
		// The encoded key no longer matches the moved rows: reversing sorts afresh.
		this.key = undefined;
		this.loggedAt = this.log.mark();
		this.sortedAt.record();
		this.version.bump();
		return true;
	}

	/** The first index in `within[lo..hi)` whose slot does not come before `slot`. */
	private search(
		slot: number,
		lo: number,
		hi: number,
		before: (a: number, b: number) => number,
		within: Int32Array,
	): number {
		while (lo < hi) {
			const mid = (lo + hi) >>> 1;
			if (before(within[mid], slot) < 0) lo = mid + 1;
			else hi = mid;
		}

		return lo;
	}

	/** The slot-sized arrays numeric keys are encoded into, made when first wanted. */
	private numericWork(): {chunks: Uint32Array[]; values: Float64Array} {
		if (this.chunks.length === 0) {
			this.chunks = Array.from({length: maxChunks}, () => new Uint32Array(this.capacity));
			this.values = new Float64Array(this.capacity);
		}

		return {chunks: this.chunks, values: this.values};
	}
}
