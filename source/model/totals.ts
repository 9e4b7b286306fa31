/**
 * The header's counts: live flows by protocol, TCP flows by state, NAT, summed byte rates.
 * Counted by one pass over the table, again only after a row joined, changed, closed or left.
 */
import {natKindOf} from '../flow/nat.js';
import {IPPROTO_TCP} from '../flow/protocols.js';
import {Stamp, type Version} from './stamp.js';
import type {FlowStore} from './store.js';
import type {Totals} from './view-types.js';

/** Totals without the event rate, which the table's event counter gives at query time. */
export type RowTotals = Omit<Totals, 'eventsPerSecond'>;

/** Counts the live rows of `store` (`live` of them, `closed` tombstones beside). */
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

/** `countTotals`, cached until a row joins, changes, closes or leaves. */
export class TotalsCache {
	private totals: RowTotals | undefined;
	private readonly countedAt: Stamp;

	/** Totals recounted when `changes` or `removals` move. */
	constructor(changes: Version, removals: Version) {
		this.countedAt = new Stamp(changes, removals);
	}

	/** The totals of `store` now, counted again only if the rows changed since the last count. */
	get(store: FlowStore, live: number, closed: number): RowTotals {
		if (this.totals === undefined || !this.countedAt.isFresh()) {
			this.totals = countTotals(store, live, closed);
			this.countedAt.record();
		}

		return this.totals;
	}
}
