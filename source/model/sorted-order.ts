/**
 * The sorted order of every row (live and tombstones) by one column, cached: re-sorted (radix,
 * over the identity order) only when a row joined, the column changed, or a value of that
 * column changed; a row leaving only compacts it, and a change of direction only turns it
 * round (issue 12: re-sorting 1M rows to reverse them took ~100-250 ms, turning them ~5 ms).
 */
import type {GroupWork} from './group.js';
import type {IdentityOrder} from './identity-order.js';
import {radixSortRefined} from './radix.js';
import {columnBit, type SortColumn} from './sort-columns.js';
import {columnKey, maxChunks} from './sort-keys.js';
import {Stamp, Version} from './stamp.js';
import type {FlowStore} from './store.js';

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

	/** Sizes the arrays to `capacity` slots; fresh arrays hold no order, so the next update sorts. */
	fit(capacity: number): void {
		this.capacity = capacity;
		this.chunks = [];
		this.values = new Float64Array(0);
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
		const fresh =
			this.column === column &&
			this.sortedAt.isFresh() &&
			(dirtyColumns & columnBit[column]) === 0 &&
			(this.reverse === reverse || this.key !== undefined);
		if (fresh) {
			if (!this.compactedAt.isFresh()) {
				this.length = compactOrder(this.order, this.length, store.flows);
				this.compactedAt.record();
				this.version.bump();
			}

			if (this.reverse !== reverse) {
				reverseKeepingTies(this.order, this.length, this.key!);
				this.reverse = reverse;
				this.version.bump();
			}

			return false;
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
		this.sortedAt.record();
		this.compactedAt.record();
		this.version.bump();
		return true;
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
