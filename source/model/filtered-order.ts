/**
 * The flows a `FlowQuery` shows: the sorted order with the rows the match set drops left out,
 * rebuilt only when either of them changed.
 */
import type {MatchSet} from './match-set.js';
import type {SortedOrder} from './sorted-order.js';
import {Stamp} from './stamp.js';

/** Slots of the matching rows, in sorted order. */
export class FilteredOrder {
	private order = new Int32Array(0);
	private length = 0;
	/** The versions of the sorted order and the match set the order was built from (-1: none). */
	private builtSorted = -1;
	private builtMatches = -1;
	/** When the order was last filtered: a new sorted order or match set makes it stale. */
	private readonly builtAt: Stamp;

	/** The order of `sorted` filtered by `matches`. */
	constructor(
		private readonly sorted: SortedOrder,
		private readonly matches: MatchSet,
	) {
		this.builtAt = new Stamp(sorted.version, matches.version);
	}

	/** Sizes the order to `capacity` slots; fresh arrays hold no order, so the next view rebuilds. */
	fit(capacity: number): void {
		this.order = new Int32Array(capacity);
		this.builtMatches = -1;
		this.builtAt.invalidate();
	}

	/** The slots in `order[0, length)`; both the sorted order and the match set must be up to date. */
	view(): {order: Int32Array; length: number} {
		const {sorted, matches} = this;
		if (matches.all) return {order: sorted.order, length: sorted.length};
		if (!this.builtAt.isFresh()) {
			const {bits} = matches;
			// A narrower filter only dropped rows: drop them from this order, not the sorted one.
			const narrowed =
				this.builtMatches !== -1 &&
				matches.subsetOf === this.builtMatches &&
				sorted.version.value === this.builtSorted;
			const from = narrowed ? this.order : sorted.order;
			const length = narrowed ? this.length : sorted.length;
			let n = 0;
			for (let i = 0; i < length; i++) {
				const slot = from[i];
				if (bits[slot] === 1) this.order[n++] = slot;
			}

			this.length = n;
			this.builtSorted = sorted.version.value;
			this.builtMatches = matches.version.value;
			this.builtAt.record();
		}

		return {order: this.order, length: this.length};
	}
}
