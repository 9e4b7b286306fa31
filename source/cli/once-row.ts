/**
 * The table row of a flow read once, as `--once` text draws it: the view's row type filled
 * from one read, with no rates, tags or history.
 */
import type {Flow} from '../flow/types.js';
import type {FlowRow} from '../model/view-types.js';

/** The row of a flow read once at `now`: TTL as read, age from its start, no rate yet. */
export function onceRow(flow: Flow, now: number): FlowRow {
	return {
		key: '',
		flow,
		ttl: flow.timeout === undefined ? Number.POSITIVE_INFINITY : flow.timeout,
		age: flow.start === undefined ? 0 : Math.max(0, now - flow.start) / 1000,
		rates: {originalBytes: 0, originalPackets: 0, replyBytes: 0, replyPackets: 0},
		bytesPerSecond: 0,
		packetsPerSecond: 0,
		closed: false,
		isNew: false,
	};
}
