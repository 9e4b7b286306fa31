/**
 * The rows of a flow table and the only code that changes them: a snapshot, an event or a
 * re-read merged in at `now`, and tombstones expired. Every change bumps the version that the
 * table's caches stamp (`stamp.ts`): `additions` (a row joined), `changes` (a row joined,
 * changed or closed) and `removals` (a row left).
 */
import {flowKey} from '../flow/key.js';
import type {Flow, FlowEvent, RereadResult} from '../flow/types.js';
import {EventRate} from './event-rate.js';
import {FlowHistory, TableHistory} from './history.js';
import {IdentityOrder} from './identity-order.js';
import {rowField} from './row-layout.js';
import {SlotIndex} from './slot-index.js';
import {Version} from './stamp.js';
import {FlowStore} from './store.js';
import {Tombstones} from './tombstones.js';
import {RunningTotals} from './totals.js';
import type {FlowTableOptions, SnapshotResult} from './view-types.js';

const initialCapacity = 1024;

/** Flows by slot, their index and identity order, tombstones, and the counts they feed. */
export class TableRows {
	readonly store = new FlowStore(initialCapacity);
	readonly identity = new IdentityOrder(this.store);
	readonly index = new SlotIndex(this.store);
	readonly tombstones: Tombstones;
	/** Live flows (tombstones excluded). */
	live = 0;
	/** The header's counts over the live rows, kept as they change. */
	readonly totals = new RunningTotals();
	/** Sort columns (`columnBit`) whose values changed since the sorted order last cleared them. */
	dirtyColumns = 0;

	/** A row joined; cached orders must be rebuilt. */
	readonly additions = new Version();
	/** A row joined, changed or closed: what filters, groups and totals read may differ. */
	readonly changes = new Version();
	/** A row left: cached orders only drop it, every other row's results stay valid. */
	readonly removals = new Version();

	/** Flows that appeared and left per second, and the table's size, over the last minute. */
	readonly history = new TableHistory();
	/** Byte rates of re-read flows over the last minute. */
	readonly flowHistory = new FlowHistory();
	/** Events applied per second. */
	readonly events: EventRate;

	private readonly newMs: number;
	private readonly timeConstantMs: number;
	private hasBaseline = false;
	private generation = 0;
	/** What the snapshot under way has done so far. */
	private snapshot: {added: number; updated: number; closed: number} = {
		added: 0,
		updated: 0,
		closed: 0,
	};

	/**
	 * Rows tuned by `options`; `onRemove` hears of each slot just before it is freed, `onChange`
	 * of each slot that joined, changed or closed.
	 */
	constructor(
		options: FlowTableOptions,
		private readonly onRemove: (slot: number) => void,
		private readonly onChange: (slot: number) => void = () => undefined,
	) {
		this.tombstones = new Tombstones(options.closedMs ?? 3000);
		this.newMs = options.newMs ?? 2000;
		this.timeConstantMs = options.rateTimeConstantMs ?? 2000;
		this.events = new EventRate(Math.max(1, Math.floor(options.eventWindowSeconds ?? 5)));
	}

	/** `FlowTable.applySnapshot`: merges a full dump, closes live flows it lacks. */
	applySnapshot(flows: Iterable<Flow>, now: number): SnapshotResult {
		const {store} = this;
		// The first dump says how many rows there will be: size for them plus an eighth for
		// churn, rather than doubling past them (1.31x at 100k flows, ~60 B a flow of arrays).
		if (store.length === 0 && Array.isArray(flows) && flows.length > store.capacity) {
			store.grow(Math.ceil(flows.length * 1.125));
		}

		this.startSnapshot();
		for (const flow of flows) this.addToSnapshot(flow, now);
		return this.endSnapshot(now);
	}

	/** `FlowTable.startSnapshot`: a dump begins; its flows come one by one. */
	startSnapshot(): void {
		// Cycles through 1-255 (the store keeps a byte a row): a row is listed by every dump or
		// removed at its end, so one generation never meets its namesake 255 dumps on.
		this.generation = (this.generation % 255) + 1;
		this.snapshot = {added: 0, updated: 0, closed: 0};
	}

	/** `FlowTable.addToSnapshot`: one flow of the dump under way, merged at `now`. */
	addToSnapshot(flow: Flow, now: number): void {
		const {store, generation, snapshot} = this;
		const existing = this.index.find(flow);
		if (existing !== -1) {
			if (!store.isClosed(existing)) {
				this.update(existing, flow, now);
				store.generation[existing] = generation;
				snapshot.updated++;
			}

			return;
		}

		const slot = this.add(flow, now, this.hasBaseline);
		store.generation[slot] = generation;
		snapshot.added++;
	}

	/**
	 * `FlowTable.endSnapshot`: the dump is complete: live flows it lacked leave at `now`, at once
	 * and without a tombstone, as a re-read's ENOENT does: the kernel dropped them and sent no
	 * DESTROY (an entry made while nobody listened has none), so a "closing" row would show for
	 * seconds a flow the kernel no longer has. Only a DESTROY leaves a tombstone.
	 */
	endSnapshot(now: number): SnapshotResult {
		const {store, generation, snapshot} = this;
		for (let slot = 0; slot < store.length; slot++) {
			if (
				store.flows[slot] !== undefined &&
				!store.isClosed(slot) &&
				store.generation[slot] !== generation
			) {
				this.remove(slot);
				this.history.count(now, 0, 1, this.live);
				snapshot.closed++;
			}
		}

		this.hasBaseline = true;
		return {...snapshot};
	}

	/** `FlowTable.applyEvent`: one new, update or destroy; whether the table changed. */
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

	/** `FlowTable.applyReread`: merges what re-reading `flows` found; how many rows changed. */
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

	/** `FlowTable.expire`: removes the tombstones due at `now`; how many left. */
	expire(now: number): number {
		let removed = 0;
		for (let slot = this.tombstones.nextDue(now, this.store); slot !== -1;) {
			this.remove(slot);
			removed++;
			slot = this.tombstones.nextDue(now, this.store);
		}

		return removed;
	}

	/** The slot of the flow `key` names, or -1. */
	slotOfKey(key: string): number {
		return this.index.findKey(key);
	}

	private add(flow: Flow, now: number, markNew: boolean): number {
		const {store} = this;
		const slot = store.allocate(flow, now);
		this.index.insert(slot);
		this.identity.added(slot);
		this.live++;
		store.observe(slot, flow, now, this.timeConstantMs);
		this.totals.enter(store, slot);
		if (markNew) {
			store.set(slot, rowField.newUntil, now + this.newMs);
			this.history.count(now, 1, 0, this.live);
		}

		this.additions.bump();
		this.changes.bump();
		this.onChange(slot);
		return slot;
	}

	private update(slot: number, incoming: Flow, now: number): void {
		const {store, totals} = this;
		totals.leave(store, slot);
		this.dirtyColumns |= store.observe(slot, incoming, now, this.timeConstantMs);
		totals.enter(store, slot);
		this.changes.bump();
		this.onChange(slot);
	}

	private close(slot: number, now: number): void {
		this.totals.leave(this.store, slot);
		this.dirtyColumns |= this.store.close(slot, now);
		this.live--;
		this.history.count(now, 0, 1, this.live);
		this.tombstones.closed(slot, now);
		this.changes.bump();
		this.onChange(slot);
	}

	private remove(slot: number): void {
		const {store} = this;
		if (store.isClosed(slot)) {
			this.tombstones.left();
		} else {
			this.totals.leave(store, slot);
			this.live--;
		}

		this.index.remove(slot);
		this.flowHistory.forget(flowKey(store.flows[slot]!));
		store.release(slot);
		this.identity.removed(slot);
		this.onRemove(slot);
		this.removals.bump();
	}
}
