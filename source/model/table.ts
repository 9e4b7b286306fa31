/**
 * The live flow table between the kernel and the screen: flows keyed by `flowKey`, TTLs that
 * count down without being touched, smoothed rates, tombstones, and cached sorted/filtered
 * views (htop's Table: id hashtable, needsSort, following). Time is always an argument.
 */
import {flowKey} from '../flow/key.js';
import {natKindOf} from '../flow/nat.js';
import {IPPROTO_TCP} from '../flow/protocols.js';
import type {Flow, FlowEvent, RereadResult} from '../flow/types.js';
import {EventRate} from './event-rate.js';
import {evaluateFilter} from './filter-columns.js';
import type {Filter} from './filter.js';
import {
	GroupTable,
	groupSlots,
	sortGroups,
	type GroupBy,
	type GroupRow,
	type GroupSortColumn,
} from './group.js';
import {FlowHistory, TableHistory, type RateSample, type TableSecond} from './history.js';
import {IdentityOrder} from './identity-order.js';
import {mergeFlow} from './merge.js';
import {radixSortRefined} from './radix.js';
import {rowField} from './row-layout.js';
import {columnBit, type SortColumn} from './sort-columns.js';
import {columnKey, maxChunks} from './sort-keys.js';
import {SlotIndex} from './slot-index.js';
import {FlowStore} from './store.js';
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

const initialCapacity = 1024;

/**
 * The flow table. Mutated only by `applySnapshot`, `applyEvent(s)` and `expire`; every query
 * takes `now` (ms, one clock for all calls, Date.now() if kernel start times are used for
 * age) and is cached, so querying an unchanged table again costs no sort and no filter pass.
 */
export class FlowTable {
	private readonly closedMs: number;
	private readonly newMs: number;
	private readonly timeConstantMs: number;

	private readonly store = new FlowStore(initialCapacity);
	private readonly identity = new IdentityOrder(this.store);
	private readonly index = new SlotIndex(this.store.flows);
	private live = 0;
	private closedCount = 0;
	// Tombstones in the order they closed: slot and closing time (a reused slot no longer
	// matches its time and is skipped).
	private tombstoneSlots: number[] = [];
	private tombstoneTimes: number[] = [];
	private tombstoneHead = 0;
	private hasBaseline = false;
	private generation = 0;

	// Work arrays, sized to the store's capacity.
	private capacity = 0;
	private chunks: Uint32Array[] = [];
	private values = new Float64Array(0);
	private scratch = new Int32Array(0);
	private sorted = new Int32Array(0);
	private sortedLength = 0;
	private view = new Int32Array(0);
	private viewLength = 0;
	private matchBits = new Uint8Array(0);
	private matched = new Int32Array(0);
	/** Per bare word of the current filter, which slots contain it. */
	private readonly wordHits: Uint8Array[] = [];

	// Stamps: additions force a rebuild; removals alone only compact cached orders.
	private membershipStamp = 0;
	private removalStamp = 0;
	private version = 0;
	private sortMembership = -1;
	private sortRemoval = -1;
	private sortColumn: SortColumn | undefined;
	private sortReverse = false;
	private dirtyColumns = 0;
	private orderStamp = 0;
	private matchAll = true;
	private matchFilter: Filter | undefined;
	private matchVersion = -1;
	private matchNow = Number.NaN;
	private matchCount = 0;
	private matchStamp = 0;
	private viewOrderStamp = -1;
	private viewMatchStamp = -1;
	private groupCache: {by: GroupBy; matchStamp: number; version: number} | undefined;

	private groupOrderCache:
		| {
				stamp: number;
				column: GroupSortColumn;
				reverse: boolean;
				order: Int32Array;
		  }
		| undefined;

	private readonly groups = new GroupTable(this.store);
	private groupStamp = 0;
	private totalsCache: {version: number; totals: Omit<Totals, 'eventsPerSecond'>} | undefined;
	private readonly events: EventRate;
	private readonly counters = {sorts: 0, filterPasses: 0, groupings: 0};
	private readonly history = new TableHistory();
	private readonly flowHistory = new FlowHistory();

	constructor(options: FlowTableOptions = {}) {
		this.closedMs = options.closedMs ?? 3000;
		this.newMs = options.newMs ?? 2000;
		this.timeConstantMs = options.rateTimeConstantMs ?? 2000;
		this.events = new EventRate(Math.max(1, Math.floor(options.eventWindowSeconds ?? 5)));
		this.fitWorkArrays();
	}

	/** Live flows (tombstones excluded). */
	get size(): number {
		return this.live;
	}

	/** Tombstones currently kept. */
	get closed(): number {
		return this.closedCount;
	}

	/** Work counters since construction. */
	get stats(): TableStats {
		return {...this.counters, textIndexBuilds: this.store.textIndex.rebuilds};
	}

	/**
	 * Replaces the table with a full dump taken at `now`. Flows already known keep their
	 * history (first seen, rates) and are merged; unknown ones are added, marked new unless this
	 * is the first snapshot (everything is new at startup); live flows missing from the dump
	 * become tombstones. Tombstones stay closed even if the dump lists them: a dump started
	 * before a destroy event can arrive after it.
	 */
	applySnapshot(flows: Iterable<Flow>, now: number): SnapshotResult {
		const generation = ++this.generation;
		const markNew = this.hasBaseline;
		const {store} = this;
		// The first dump says how many rows there will be: size for them plus an eighth for
		// churn, rather than doubling past them (1.31x at 100k flows, ~60 B a flow of arrays).
		if (store.length === 0 && Array.isArray(flows) && flows.length > store.capacity) {
			store.grow(Math.ceil(flows.length * 1.125));
		}

		let added = 0;
		let updated = 0;
		let closed = 0;
		for (const flow of flows) {
			const existing = this.index.find(flow);
			if (existing !== -1) {
				if (!store.isClosed(existing)) {
					this.update(existing, flow, now);
					store.generation[existing] = generation;
					updated++;
				}

				continue;
			}

			const slot = this.add(flow, now, markNew);
			this.store.generation[slot] = generation;
			added++;
		}

		for (let slot = 0; slot < store.length; slot++) {
			if (
				store.flows[slot] !== undefined &&
				!store.isClosed(slot) &&
				store.generation[slot] !== generation
			) {
				this.close(slot, now);
				closed++;
			}
		}

		this.hasBaseline = true;
		return {added, updated, closed};
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
		this.events.count(now);
		const {flow} = event;
		const existing = this.index.find(flow);
		switch (event.type) {
			case 'new': {
				if (existing !== -1 && !this.store.isClosed(existing)) {
					this.update(existing, flow, now);
					return true;
				}

				if (existing !== -1) this.remove(existing);
				this.add(flow, now, true);
				return true;
			}

			case 'update': {
				if (existing === -1) {
					this.add(flow, now, false);
					return true;
				}

				if (this.store.isClosed(existing)) return false;
				this.update(existing, flow, now);
				return true;
			}

			case 'destroy': {
				if (existing === -1 || this.store.isClosed(existing)) return false;
				this.update(existing, flow, now);
				this.close(existing, now);
				return true;
			}
		}
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
		let changed = 0;
		for (let i = 0; i < flows.length; i++) {
			const result = results[i];
			if (result === undefined || result === 'unreadable') continue;
			const slot = this.index.find(flows[i]);
			if (slot === -1 || this.store.isClosed(slot)) continue;
			if (result === 'gone') {
				this.remove(slot);
				this.history.count(now, 0, 1, this.live);
			} else if (result.id === flows[i].id) {
				this.update(slot, result, now);
				if (result.counters) this.flowHistory.record(flowKey(result), result.counters, now);
			} else {
				this.remove(slot);
				this.history.count(now, 0, 1, this.live);
				this.add(result, now, true);
			}

			changed++;
		}

		return changed;
	}

	/**
	 * Drops tombstones older than `closedMs` at `now`; queries call it themselves. Removing rows
	 * never re-sorts: cached orders are compacted. Returns how many left.
	 */
	expire(now: number): number {
		let removed = 0;
		const {store} = this;
		const slots = this.tombstoneSlots;
		const times = this.tombstoneTimes;
		while (this.tombstoneHead < slots.length) {
			const slot = slots[this.tombstoneHead];
			const closedAt = times[this.tombstoneHead];
			if (store.flows[slot] !== undefined && store.get(slot, rowField.closedAt) === closedAt) {
				if (closedAt + this.closedMs > now) break;
				this.remove(slot);
				removed++;
			}

			this.tombstoneHead++;
		}

		if (this.tombstoneHead > 1024 && this.tombstoneHead * 2 > slots.length) {
			this.tombstoneSlots = slots.slice(this.tombstoneHead);
			this.tombstoneTimes = times.slice(this.tombstoneHead);
			this.tombstoneHead = 0;
		}

		return removed;
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
			return {kind: 'groups', rows, total: order.length, flows: this.matchCount, offset};
		}

		const {order, length} = this.flowView(q, now);
		const end = Math.min(length, offset + Math.max(0, q.rows));
		const rows: FlowRow[] = [];
		for (let i = offset; i < end; i++) rows.push(this.makeRow(order[i], now));
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
		const slot = this.slotOfKey(key);
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
		const {store, identity} = this;
		for (let i = 0; i < identity.length; i++) {
			const slot = identity.order[i];
			if (!store.isClosed(slot) && (this.matchAll || this.matchBits[slot] === 1)) {
				keys.push(flowKey(store.flows[slot]!));
			}
		}

		return keys;
	}

	/** The row of flow `key` at `now` (live or tombstone), or undefined. */
	row(key: string, now: number): FlowRow | undefined {
		const slot = this.slotOfKey(key);
		if (slot === -1) return undefined;
		if (
			this.store.isClosed(slot) &&
			this.store.get(slot, rowField.closedAt) + this.closedMs <= now
		) {
			return undefined;
		}

		return this.makeRow(slot, now);
	}

	/**
	 * Builds the text index bare filter words search (~40 ms at 100k flows), which the first
	 * bare-word filter would otherwise do on its keystroke. Call it when the filter prompt
	 * opens. Optional: searches build or refresh the index themselves when needed.
	 */
	prepareTextSearch(): void {
		this.store.textIndex.prepare();
	}

	/** Counts for the header at `now`; recounted only after the table changed. */
	totals(now: number): Totals {
		this.expire(now);
		this.history.observe(now, this.live);
		const version = this.version + this.removalStamp;
		if (this.totalsCache?.version !== version) {
			const byProtocol: Record<string, number> = {};
			const byState: Record<string, number> = {};
			let nat = 0;
			let bytesPerSecond = 0;
			const {store} = this;
			for (let slot = 0; slot < store.length; slot++) {
				const flow = store.flows[slot];
				if (flow === undefined || store.isClosed(slot)) continue;
				bytesPerSecond += store.bytesPerSecond(slot);
				byProtocol[flow.proto] = (byProtocol[flow.proto] ?? 0) + 1;
				if (flow.protonum === IPPROTO_TCP && flow.state) {
					byState[flow.state] = (byState[flow.state] ?? 0) + 1;
				}

				if (natKindOf(flow)) nat++;
			}

			this.totalsCache = {
				version,
				totals: {
					total: this.live,
					closed: this.closedCount,
					byProtocol,
					byState,
					nat,
					bytesPerSecond,
				},
			};
		}

		return {...this.totalsCache.totals, eventsPerSecond: this.eventsPerSecond(now)};
	}

	/**
	 * The table's size and the flows that appeared and left, per second over the last minute
	 * before `now` (for the header's sparklines), from the first second the table was counted.
	 */
	tableHistory(now: number): readonly TableSecond[] {
		this.history.observe(now, this.live);
		return this.history.window(now);
	}

	/**
	 * The byte rate per direction of flow `key` between its re-reads over the last minute
	 * (for the detail view's sparkline); empty for a flow that was never re-read twice.
	 */
	rateHistory(key: string, now: number): readonly RateSample[] {
		return this.flowHistory.samples(key, now);
	}

	/**
	 * Events applied per second over the `eventWindowSeconds` whole seconds before the one
	 * `now` falls in (the current second is still filling).
	 */
	eventsPerSecond(now: number): number {
		return this.events.perSecond(now);
	}

	private makeRow(slot: number, now: number): FlowRow {
		const {store} = this;
		const expiresAt = store.get(slot, rowField.expiresAt);
		return {
			key: flowKey(store.flows[slot]!),
			flow: store.flows[slot]!,
			ttl: expiresAt === Number.POSITIVE_INFINITY ? expiresAt : Math.max(0, expiresAt - now) / 1000,
			age: Math.max(0, now - store.get(slot, rowField.since)) / 1000,
			rates: {
				originalBytes: store.get(slot, rowField.originalByteRate),
				originalPackets: store.get(slot, rowField.originalPacketRate),
				replyBytes: store.get(slot, rowField.replyByteRate),
				replyPackets: store.get(slot, rowField.replyPacketRate),
			},
			bytesPerSecond: store.bytesPerSecond(slot),
			packetsPerSecond: store.packetsPerSecond(slot),
			closed: store.isClosed(slot),
			isNew: now < store.get(slot, rowField.newUntil),
		};
	}

	/** The slot of the flow `key` names, or -1. */
	private slotOfKey(key: string): number {
		return this.index.findKey(key);
	}

	private add(flow: Flow, now: number, markNew: boolean): number {
		const {store} = this;
		const slot = store.allocate(flow, now);
		this.index.insert(slot);
		this.identity.added(slot);
		this.live++;
		store.observe(slot, flow, flow, now, this.timeConstantMs);
		if (markNew) {
			store.set(slot, rowField.newUntil, now + this.newMs);
			this.history.count(now, 1, 0, this.live);
		}

		this.membershipStamp++;
		this.version++;
		return slot;
	}

	private update(slot: number, incoming: Flow, now: number): void {
		const merged = mergeFlow(this.store.flows[slot]!, incoming);
		this.dirtyColumns |= this.store.observe(slot, incoming, merged, now, this.timeConstantMs);
		this.version++;
	}

	private close(slot: number, now: number): void {
		this.dirtyColumns |= this.store.close(slot, now);
		this.live--;
		this.history.count(now, 0, 1, this.live);
		this.closedCount++;
		this.tombstoneSlots.push(slot);
		this.tombstoneTimes.push(now);
		this.version++;
	}

	private remove(slot: number): void {
		const {store} = this;
		if (store.isClosed(slot)) this.closedCount--;
		else this.live--;
		this.index.remove(slot);
		this.flowHistory.forget(flowKey(store.flows[slot]!));
		store.release(slot);
		this.identity.removed(slot);

		// Removal leaves every other row's filter result valid: fix the count, keep the bits.
		if (!this.matchAll && this.matchBits[slot] === 1) this.matchCount--;
		this.matchBits[slot] = 0;
		this.removalStamp++;
	}

	/** Sizes the work arrays to the store; fresh arrays hold no order, so caches are dropped. */
	private fitWorkArrays(): void {
		const capacity = this.store.capacity;
		if (capacity === this.capacity) return;
		this.capacity = capacity;
		this.chunks = Array.from({length: maxChunks}, () => new Uint32Array(capacity));
		this.values = new Float64Array(capacity);
		this.scratch = new Int32Array(capacity);
		this.sorted = new Int32Array(capacity);
		this.view = new Int32Array(capacity);
		this.matchBits = new Uint8Array(capacity);
		this.matched = new Int32Array(capacity);
		this.identity.resize(capacity);
		this.membershipStamp++;
		this.version++;
	}

	private ensureIdentity(): void {
		this.fitWorkArrays();
		this.identity.update();
	}

	/** Drops freed slots from `order[0..length)` keeping the rest in order; the new length. */
	private compact(order: Int32Array, length: number): number {
		const {flows} = this.store;
		let n = 0;
		for (let i = 0; i < length; i++) {
			const slot = order[i];
			if (flows[slot] !== undefined) order[n++] = slot;
		}

		return n;
	}

	private ensureSorted(column: SortColumn, reverse: boolean): void {
		this.ensureIdentity();
		const fresh =
			this.sortColumn === column &&
			this.sortReverse === reverse &&
			this.sortMembership === this.membershipStamp &&
			(this.dirtyColumns & columnBit[column]) === 0;
		if (fresh) {
			if (this.sortRemoval !== this.removalStamp) {
				this.sortedLength = this.compact(this.sorted, this.sortedLength);
				this.sortRemoval = this.removalStamp;
				this.orderStamp++;
			}

			return;
		}

		const n = this.identity.length;
		this.sorted.set(this.identity.order.subarray(0, n));
		const key = columnKey(column, reverse, this.store, this.chunks, this.values);
		// Three head chunks cover a family rank and the top of an address; the rest only
		// matters where those tie.
		radixSortRefined(
			this.sorted,
			n,
			key.chunks.slice(0, 3),
			key.chunks.slice(3),
			this.scratch,
			key.flip,
		);
		this.sortedLength = n;
		this.sortColumn = column;
		this.sortReverse = reverse;
		this.sortMembership = this.membershipStamp;
		this.sortRemoval = this.removalStamp;
		this.dirtyColumns = 0;
		this.orderStamp++;
		this.counters.sorts++;
	}

	private ensureMatched(filter: Filter | undefined, now: number): void {
		this.fitWorkArrays();
		if (filter === undefined || filter.terms.length === 0) {
			if (!this.matchAll) {
				this.matchAll = true;
				this.matchFilter = undefined;
				this.matchStamp++;
			}

			this.matchCount = this.live + this.closedCount;
			return;
		}

		const fresh =
			!this.matchAll &&
			this.matchFilter === filter &&
			this.matchVersion === this.version &&
			(!filter.usesTime || this.matchNow === now);
		if (fresh) return;
		const {store} = this;
		const words = new Map<string, Uint8Array>();
		for (let i = 0; i < filter.words.length; i++) {
			if (this.wordHits.length <= i) this.wordHits.push(new Uint8Array(this.capacity));
			if (this.wordHits[i].length < this.capacity) this.wordHits[i] = new Uint8Array(this.capacity);
			store.textIndex.search(filter.words[i], this.wordHits[i]);
			words.set(filter.words[i], this.wordHits[i]);
		}

		const count = evaluateFilter(filter, store, now, this.matchBits, words);
		this.matchAll = false;
		this.matchFilter = filter;
		this.matchVersion = this.version;
		this.matchNow = now;
		this.matchCount = count;
		this.matchStamp++;
		this.counters.filterPasses++;
	}

	private flowView(q: FlowQuery, now: number): {order: Int32Array; length: number} {
		this.expire(now);
		this.ensureSorted(q.sort, q.reverse ?? false);
		this.ensureMatched(q.filter, now);
		if (this.matchAll) return {order: this.sorted, length: this.sortedLength};
		if (this.viewOrderStamp !== this.orderStamp || this.viewMatchStamp !== this.matchStamp) {
			let n = 0;
			const bits = this.matchBits;
			for (let i = 0; i < this.sortedLength; i++) {
				const slot = this.sorted[i];
				if (bits[slot] === 1) this.view[n++] = slot;
			}

			this.viewLength = n;
			this.viewOrderStamp = this.orderStamp;
			this.viewMatchStamp = this.matchStamp;
		}

		return {order: this.view, length: this.viewLength};
	}

	private groupView(q: GroupQuery, now: number): {groups: GroupTable; order: Int32Array} {
		this.expire(now);
		this.ensureMatched(q.filter, now);
		const cache = this.groupCache;
		if (
			cache?.by !== q.group ||
			cache.matchStamp !== this.matchStamp ||
			cache.version !== this.version + this.removalStamp
		) {
			const {store} = this;
			let n = 0;
			for (let slot = 0; slot < store.length; slot++) {
				if (store.flows[slot] !== undefined && (this.matchAll || this.matchBits[slot] === 1)) {
					this.matched[n++] = slot;
				}
			}

			const work = {chunks: this.chunks, scratch: this.scratch};
			groupSlots(store, this.matched, n, q.group, work, this.groups);
			this.groupCache = {
				by: q.group,
				matchStamp: this.matchStamp,
				version: this.version + this.removalStamp,
			};
			this.groupStamp++;
			this.counters.groupings++;
		}

		const reverse = q.reverse ?? false;
		let ordered = this.groupOrderCache;
		if (
			ordered?.stamp !== this.groupStamp ||
			ordered.column !== q.sort ||
			ordered.reverse !== reverse
		) {
			ordered = {
				stamp: this.groupStamp,
				column: q.sort,
				reverse,
				order: sortGroups(this.groups, q.sort, reverse),
			};
			this.groupOrderCache = ordered;
		}

		return {groups: this.groups, order: ordered.order};
	}
}
