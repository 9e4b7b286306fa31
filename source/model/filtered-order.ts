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
		this.builtAt.invalidate();
	}

	/** The slots in `order[0, length)`; both the sorted order and the match set must be up to date. */
	view(): {order: Int32Array; length: number} {
		const {sorted, matches} = this;
		if (matches.all) return {order: sorted.order, length: sorted.length};
		if (!this.builtAt.isFresh()) {
			let n = 0;
			const {bits} = matches;
			for (let i = 0; i < sorted.length; i++) {
				const slot = sorted.order[i];
				if (bits[slot] === 1) this.order[n++] = slot;
			}

			this.length = n;
			this.builtAt.record();
		}

		return {order: this.order, length: this.length};
	}
}
