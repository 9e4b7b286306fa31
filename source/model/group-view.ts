/**
 * The grouped view: the matching rows aggregated by a `GroupBy` (`group.ts`), then the groups
 * sorted. Regrouped only when the grouping, the match set or a row changed; re-sorted only when
 * the groups or the sort changed.
 */
import {
	GroupTable,
	groupSlots,
	sortGroups,
	type GroupBy,
	type GroupSortColumn,
	type GroupWork,
} from './group.js';
import type {MatchSet} from './match-set.js';
import {Stamp, Version} from './stamp.js';
import type {FlowStore} from './store.js';

/** The groups of the matching rows and their order. */
export class GroupView {
	/** The groups of the last grouping. */
	readonly groups: GroupTable;
	/** Group indexes in sorted order, after `update`. */
	order: Int32Array = new Int32Array(0);

	private matched = new Int32Array(0);
	private capacity = 0;
	private by: GroupBy | undefined;
	private column: GroupSortColumn | undefined;
	private reverse = false;
	/** Moves whenever the rows are regrouped. */
	private readonly grouping = new Version();
	/** When the rows were last grouped: the match set or any row changing makes it stale. */
	private readonly groupedAt: Stamp;
	/** When the groups were last sorted: a regrouping makes it stale. */
	private readonly sortedAt: Stamp;

	/** Groups of `store`'s rows that `matches` keeps, regrouped when `changes` or `removals` move. */
	constructor(
		private readonly store: FlowStore,
		private readonly matches: MatchSet,
		changes: Version,
		removals: Version,
	) {
		this.groups = new GroupTable(store);
		this.groupedAt = new Stamp(matches.version, changes, removals);
		this.sortedAt = new Stamp(this.grouping);
	}

	/** Sizes the scratch of matching slots to `capacity`, made on the first grouping. */
	fit(capacity: number): void {
		this.capacity = capacity;
		this.matched = new Int32Array(0);
	}

	/**
	 * Brings `groups` and `order` up to date for grouping by `by`, sorted by `column`; the match
	 * set must be up to date. `work` is scratch as long as the store. Returns whether it regrouped.
	 */
	update(by: GroupBy, column: GroupSortColumn, reverse: boolean, work: GroupWork): boolean {
		let regrouped = false;
		if (this.by !== by || !this.groupedAt.isFresh()) {
			const {store, matches} = this;
			if (this.matched.length !== this.capacity) this.matched = new Int32Array(this.capacity);
			let n = 0;
			for (let slot = 0; slot < store.length; slot++) {
				if (store.flows[slot] !== undefined && matches.matches(slot)) this.matched[n++] = slot;
			}

			groupSlots(store, this.matched, n, by, work, this.groups);
			this.by = by;
			this.groupedAt.record();
			this.grouping.bump();
			regrouped = true;
		}

		if (!this.sortedAt.isFresh() || this.column !== column || this.reverse !== reverse) {
			this.order = sortGroups(this.groups, column, reverse);
			this.column = column;
			this.reverse = reverse;
			this.sortedAt.record();
		}

		return regrouped;
	}
}
