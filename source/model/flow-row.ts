/**
 * One flow's row as a query hands it out: a plain copy of the stored flow, with its TTL and age at `now`, its
 * smoothed rates, and whether it is closed or new.
 */
import {flowKey} from '../flow/key.js';
import {rowField} from './row-layout.js';
import type {FlowStore} from './store.js';
import type {FlowRow} from './view-types.js';

/** The row of the flow in `slot` of `store` at `now` (the slot holds a flow). */
export function flowRow(store: FlowStore, slot: number, now: number): FlowRow {
	const expiresAt = store.get(slot, rowField.expiresAt);
	return {
		key: flowKey(store.flows[slot]!),
		flow: store.flows[slot]!.toFlow(),
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
