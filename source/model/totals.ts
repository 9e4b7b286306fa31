/**
 * The header's counts: live flows by protocol, TCP flows by state, NAT, summed byte rates.
 * Kept up to date as rows join, change, close and leave (`RunningTotals`), so asking for them
 * costs nothing that grows with the table: a full count at 1M rows took a share of every idle
 * tick, because re-reading the rows on screen changes the table every interval.
 * `countTotals` is the full count the running one must always equal.
 */
import {natKindOf} from '../flow/nat.js';
import {IPPROTO_TCP} from '../flow/protocols.js';
import type {FlowStore} from './store.js';
import type {Totals} from './view-types.js';

/** Totals without the event rate, which the table's event counter gives at query time. */
export type RowTotals = Omit<Totals, 'eventsPerSecond'>;

/** Counts the live rows of `store` (`live` of them, `closed` tombstones beside) in one pass. */
export function countTotals(store: FlowStore, live: number, closed: number): RowTotals {
	const byProtocol: Record<string, number> = {};
	const byState: Record<string, number> = {};
	let nat = 0;
	let bytesPerSecond = 0;
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

	return {total: live, closed, byProtocol, byState, nat, bytesPerSecond};
}

function addCount(counts: Map<string, number>, name: string, delta: number): void {
	const count = (counts.get(name) ?? 0) + delta;
	// A name whose count drops to 0 leaves, as it is absent from a full count.
	if (count === 0) counts.delete(name);
	else counts.set(name, count);
}

/**
 * The totals of the live rows, maintained row by row. The table calls `leave` for a live row
 * just before anything it counts may change (an update, a close, a removal) and `enter` once
 * the row is live in its new form (added, or updated and still live); `get` then answers
 * without reading any row.
 */
export class RunningTotals {
	private readonly byProtocol = new Map<string, number>();
	private readonly byState = new Map<string, number>();
	private nat = 0;
	private bytesPerSecond = 0;
	private rows = 0;
	private totals: RowTotals | undefined;

	/** Counts the live row in `slot` of `store`. */
	enter(store: FlowStore, slot: number): void {
		this.count(store, slot, 1);
	}

	/** Uncounts the live row in `slot` of `store`, as it was last entered. */
	leave(store: FlowStore, slot: number): void {
		this.count(store, slot, -1);
	}

	/** The totals now, with `live` flows and `closed` tombstones; the same object until a row moves. */
	get(live: number, closed: number): RowTotals {
		let {totals} = this;
		if (totals === undefined || totals.total !== live || totals.closed !== closed) {
			totals = {
				total: live,
				closed,
				byProtocol: Object.fromEntries(this.byProtocol),
				byState: Object.fromEntries(this.byState),
				nat: this.nat,
				// Sums of rates added and taken away one by one keep rounding residue: an empty
				// table has none, and a sum never shows as negative.
				bytesPerSecond: this.rows === 0 ? 0 : Math.max(0, this.bytesPerSecond),
			};
			this.totals = totals;
		}

		return totals;
	}

	private count(store: FlowStore, slot: number, delta: 1 | -1): void {
		const flow = store.flows[slot]!;
		this.rows += delta;
		if (this.rows === 0) this.bytesPerSecond = 0;
		else this.bytesPerSecond += delta * store.bytesPerSecond(slot);
		addCount(this.byProtocol, flow.proto, delta);
		if (flow.protonum === IPPROTO_TCP && flow.state) addCount(this.byState, flow.state, delta);
		// The kind the columns keep is `natKindOf`'s, without building the tuples it reads.
		if (store.columns.kindOf(slot)) this.nat += delta;
		this.totals = undefined;
	}
}
