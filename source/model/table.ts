/**
 * The live flow table between the kernel and the screen (htop's Table: id hashtable, needsSort,
 * following), and the one façade the rest of conntop uses. Time is always an argument. The
 * ideas behind it have a file each: the rows and how snapshots, events and re-reads change them
 * (`table-rows.ts`, tombstones in `tombstones.ts`); the cached views over them, the sorted order
 * (`sorted-order.ts`), the match set of a filter (`match-set.ts`), the two together
 * (`filtered-order.ts`) and groups (`group-view.ts`), each fresh while the versions it was
 * computed at hold (`stamp.ts`); and the header's totals, kept as rows change (`totals.ts`).
 */
import {flowKey} from '../flow/key.js';
import type {Flow, FlowEvent, RereadResult} from '../flow/types.js';
import type {Filter} from './filter.js';
import {FilteredOrder} from './filtered-order.js';
import {flowRow} from './flow-row.js';
import type {GroupRow} from './group.js';
import {GroupView} from './group-view.js';
import type {RateSample, TableSecond} from './history.js';
import {MatchSet} from './match-set.js';
import {rowField} from './row-layout.js';
import {SortedOrder} from './sorted-order.js';
import {TableRows} from './table-rows.js';
import type {
	FlowPage,
	FlowQuery,
	FlowRow,
	FlowTableOptions,
	GroupPage,
	GroupQuery,
	SnapshotResult,
	TableStats,
	Totals,
	ViewQuery,
} from './view-types.js';

export type {
	FlowPage,
	FlowQuery,
	FlowRates,
	FlowRow,
	FlowTableOptions,
	GroupPage,
	GroupQuery,
	SnapshotResult,
	TableStats,
	Totals,
	ViewQuery,
} from './view-types.js';

/**
 * The flow table. Mutated only by `applySnapshot`, `applyEvent(s)`, `applyReread` and
 * `expire`; every query takes `now` (ms, one clock for all calls, Date.now() if kernel start
 * times are used for age) and is cached, so querying an unchanged table again costs no sort
 * and no filter pass.
 */
export class FlowTable {
	private readonly rows: TableRows;
	private readonly sorted: SortedOrder;
	private readonly matches: MatchSet;
	private readonly filtered: FilteredOrder;
	private readonly grouped: GroupView;
	private readonly counters = {sorts: 0, filterPasses: 0, groupings: 0};
	/** Slots the work arrays of the views are sized for. */
	private capacity = 0;

	constructor(options: FlowTableOptions = {}) {
		// Removing a row leaves every other row's filter result valid: the match set only
		// uncounts it.
		const rows = new TableRows(
			options,
			(slot) => this.matches.removed(slot),
			(slot) => {
				this.matches.changed(slot);
				this.sorted.changed(slot);
			},
		);
		this.rows = rows;
		this.sorted = new SortedOrder(rows.additions, rows.removals);
		this.matches = new MatchSet();
		this.filtered = new FilteredOrder(this.sorted, this.matches);
		this.grouped = new GroupView(rows.store, this.matches, rows.changes, rows.removals);
		this.fitWorkArrays();
	}

	/** Live flows (tombstones excluded). */
	get size(): number {
		return this.rows.live;
	}

	/** Tombstones currently kept. */
	get closed(): number {
		return this.rows.tombstones.count;
	}

	/** Work counters since construction. */
	get stats(): TableStats {
		return {...this.counters, textIndexBuilds: this.rows.store.textIndex.rebuilds};
	}

	/**
	 * Replaces the table with a full dump taken at `now`. Flows already known keep their
	 * history (first seen, rates) and are merged; unknown ones are added, marked new unless this
	 * is the first snapshot (everything is new at startup); live flows missing from the dump
	 * become tombstones. Tombstones stay closed even if the dump lists them: a dump started
	 * before a destroy event can arrive after it.
	 */
	applySnapshot(flows: Iterable<Flow>, now: number): SnapshotResult {
		return this.rows.applySnapshot(flows, now);
	}

	/**
	 * `applySnapshot` one flow at a time, for a dump still under way: `startSnapshot`, then
	 * `addToSnapshot` as each flow arrives (the table shows them at once, and no array of the
	 * whole dump is held), then `endSnapshot` once it is complete, which closes the live flows
	 * it lacked. A dump that fails midway is simply never ended: what it merged stays.
	 */
	startSnapshot(): void {
		this.rows.startSnapshot();
	}

	/** One flow of the snapshot under way, merged at `now` (see `startSnapshot`). */
	addToSnapshot(flow: Flow, now: number): void {
		this.rows.addToSnapshot(flow, now);
	}

	/** Ends the snapshot under way at `now` (see `startSnapshot`). */
	endSnapshot(now: number): SnapshotResult {
		return this.rows.endSnapshot(now);
	}

	/**
	 * Applies one event at `now` (the event's own `time` is not read). `new` adds a flow marked
	 * new (or merges into a live one; a tombstone with the same key is replaced). `update`
	 * merges only the fields the event carries into the stored flow, and adds an unknown flow
	 * unmarked (its NEW was missed); updates to tombstones are stale and ignored. `destroy`
	 * merges the final fields and turns the flow into a tombstone for `closedMs`. Returns
	 * whether the table changed.
	 */
	applyEvent(event: FlowEvent, now: number): boolean {
		return this.rows.applyEvent(event, now);
	}

	/** `applyEvent` for each event, all at `now`; returns how many changed the table. */
	applyEvents(events: Iterable<FlowEvent>, now: number): number {
		let changed = 0;
		for (const event of events) if (this.applyEvent(event, now)) changed++;
		return changed;
	}

	/**
	 * Merges what re-reading `flows` by tuple found at `now` (`results[i]` for `flows[i]`): the
	 * kernel refreshes timeouts and counters on every packet without an event, so this is how
	 * the rows on screen stay exact. A flow the source no longer has is removed at once (it
	 * expired or was deleted, and no DESTROY will come for an entry made before anyone
	 * listened); one whose tuple now belongs to an entry with another id is replaced by it.
	 * Flows no longer in the table are skipped: an event got there first. Returns how many
	 * rows changed.
	 */
	applyReread(flows: readonly Flow[], results: readonly RereadResult[], now: number): number {
		return this.rows.applyReread(flows, results, now);
	}

	/**
	 * Drops tombstones older than `closedMs` at `now`; queries call it themselves. Removing rows
	 * never re-sorts: cached orders are compacted. Returns how many left.
	 */
	expire(now: number): number {
		return this.rows.expire(now);
	}

	/**
	 * The rows `offset .. offset+rows` of the view `q` at `now`, and how many there are in all.
	 * Sorting happens only when the table or the sort changed since the last query, filtering
	 * only when the table, the filter object or (for `ttl`/`age` filters) `now` changed.
	 */
	query(q: FlowQuery, now: number): FlowPage;
	query(q: GroupQuery, now: number): GroupPage;
	query(q: ViewQuery, now: number): FlowPage | GroupPage;
	query(q: ViewQuery, now: number): FlowPage | GroupPage {
		const offset = Math.max(0, Math.floor(q.offset ?? 0));
		if (q.group !== undefined) {
			const {groups, order} = this.groupView(q, now);
			const end = Math.min(order.length, offset + Math.max(0, q.rows));
			const rows: GroupRow[] = [];
			for (let i = offset; i < end; i++) rows.push(groups.row(order[i]));
			return {kind: 'groups', rows, total: order.length, flows: this.matches.count, offset};
		}

		const {order, length} = this.flowView(q, now);
		const end = Math.min(length, offset + Math.max(0, q.rows));
		const rows: FlowRow[] = [];
		const {store} = this.rows;
		for (let i = offset; i < end; i++) rows.push(flowRow(store, order[i], now));
		return {kind: 'flows', rows, total: length, offset};
	}

	/**
	 * Where the flow (or, for a grouped query, the group label) `key` is in the view `q` at
	 * `now`, or -1: the UI keeps its cursor on the same row when the order changes.
	 */
	indexOfKey(q: ViewQuery, key: string, now: number): number {
		if (q.group !== undefined) {
			const {groups, order} = this.groupView(q, now);
			for (let i = 0; i < order.length; i++) {
				if (groups.label(order[i]) === key) return i;
			}

			return -1;
		}

		const {order, length} = this.flowView(q, now);
		const slot = this.rows.slotOfKey(key);
		if (slot === -1) return -1;
		return order.subarray(0, length).indexOf(slot);
	}

	/**
	 * Keys of every live flow (tombstones excluded) matching `filter` at `now`, in the fixed
	 * identity order: for "tag all matching" and "delete all matching".
	 */
	keysMatching(filter: Filter | undefined, now: number): string[] {
		this.expire(now);
		this.ensureIdentity();
		this.ensureMatched(filter, now);
		const keys: string[] = [];
		const {store, identity} = this.rows;
		for (let i = 0; i < identity.length; i++) {
			const slot = identity.order[i];
			if (!store.isClosed(slot) && this.matches.matches(slot)) {
				keys.push(flowKey(store.flows[slot]!));
			}
		}

		return keys;
	}

	/** The row of flow `key` at `now` (live or tombstone), or undefined. */
	row(key: string, now: number): FlowRow | undefined {
		const {store, tombstones} = this.rows;
		const slot = this.rows.slotOfKey(key);
		if (slot === -1) return undefined;
		if (store.isClosed(slot) && tombstones.isDue(store.get(slot, rowField.closedAt), now)) {
			return undefined;
		}

		return flowRow(store, slot, now);
	}

	/**
	 * Builds the text index bare filter words search (~40 ms at 100k flows, ~0.5-1 s at 1M),
	 * which the first bare-word filter would otherwise build on its keystroke, in steps of about
	 * `rows` rows: call it while the filter prompt is open until it returns true (built). Never
	 * needed: searches build or refresh the index themselves; memory is spent only once called.
	 */
	prepareTextSearch(rows?: number): boolean {
		return this.rows.store.textIndex.prepare(rows);
	}

	/** Whether a bare-word search would find the text index built (see `prepareTextSearch`). */
	get textSearchReady(): boolean {
		return this.rows.store.textIndex.ready;
	}

	/** Counts for the header at `now`, kept as rows change: no pass over the table. */
	totals(now: number): Totals {
		this.expire(now);
		const {rows} = this;
		rows.history.observe(now, rows.live);
		const totals = rows.totals.get(rows.live, rows.tombstones.count);
		return {...totals, eventsPerSecond: this.eventsPerSecond(now)};
	}

	/**
	 * The table's size and the flows that appeared and left, per second over the last minute
	 * before `now` (for the header's sparklines), from the first second the table was counted.
	 */
	tableHistory(now: number): readonly TableSecond[] {
		this.rows.history.observe(now, this.rows.live);
		return this.rows.history.window(now);
	}

	/**
	 * The byte rate per direction of flow `key` between its re-reads over the last minute
	 * (for the detail view's sparkline); empty for a flow that was never re-read twice.
	 */
	rateHistory(key: string, now: number): readonly RateSample[] {
		return this.rows.flowHistory.samples(key, now);
	}

	/**
	 * Events applied per second over the `eventWindowSeconds` whole seconds before the one
	 * `now` falls in (the current second is still filling).
	 */
	eventsPerSecond(now: number): number {
		return this.rows.events.perSecond(now);
	}

	/** Sizes the views' work arrays to the store; fresh arrays hold no order, so caches are dropped. */
	private fitWorkArrays(): void {
		const {capacity} = this.rows.store;
		if (capacity === this.capacity) return;
		this.capacity = capacity;
		this.sorted.fit(capacity);
		this.filtered.fit(capacity);
		this.matches.fit(capacity);
		this.grouped.fit(capacity);
		this.rows.identity.resize(capacity);
	}

	private ensureIdentity(): void {
		this.fitWorkArrays();
		this.rows.identity.update();
	}

	private ensureSorted(q: FlowQuery): void {
		this.ensureIdentity();
		const {rows} = this;
		if (
			this.sorted.update(q.sort, q.reverse ?? false, rows.dirtyColumns, rows.identity, rows.store)
		) {
			rows.dirtyColumns = 0;
			this.counters.sorts++;
		}
	}

	private ensureMatched(filter: Filter | undefined, now: number): void {
		this.fitWorkArrays();
		const {rows} = this;
		if (this.matches.update(filter, now, rows.store, rows.live + rows.tombstones.count)) {
			this.counters.filterPasses++;
		}
	}

	private flowView(q: FlowQuery, now: number): {order: Int32Array; length: number} {
		this.expire(now);
		this.ensureSorted(q);
		this.ensureMatched(q.filter, now);
		return this.filtered.view();
	}

	private groupView(q: GroupQuery, now: number): GroupView {
		this.expire(now);
		this.ensureMatched(q.filter, now);
		if (this.grouped.update(q.group, q.sort, q.reverse ?? false, this.sorted.work)) {
			this.counters.groupings++;
		}

		return this.grouped;
	}
}
