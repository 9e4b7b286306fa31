/**
 * How the table's rows lie in the store's typed arrays, one idea read by the store, the key
 * writers, sorts, filters and group-by: the doubles of each row (`rowField`, `rowStride` per
 * slot) and the uint32 sort-key columns (`keyColumn`, `keyColumnCount` arrays indexed by slot).
 * Both counts are derived from the tables below, so adding a field cannot leave them stale.
 */

/**
 * Offsets of a row's doubles in `FlowStore.numbers`:
 * - firstSeen: when conntop first saw the flow (ms).
 * - newUntil: when the NEW mark ends (ms); -Infinity when never marked.
 * - closedAt: when the flow was destroyed (ms); NaN while live.
 * - expiresAt: when the kernel's timeout runs out (ms; read time + timeout), Infinity when
 *   unknown: remaining = expiresAt - now is computed, never stored.
 * - since: where age counts from (kernel start time, else first seen).
 * - countersAt and last*: the counters at the last observation that had them (NaN: none).
 * - *Rate: smoothed per-second rates.
 * Both directions' byte and packet totals are the flow's counters (`FlowColumns.totalBytes`).
 */
export const rowField = {
	firstSeen: 0,
	newUntil: 1,
	closedAt: 2,
	expiresAt: 3,
	since: 4,
	countersAt: 5,
	lastOriginalPackets: 6,
	lastOriginalBytes: 7,
	lastReplyPackets: 8,
	lastReplyBytes: 9,
	originalPacketRate: 10,
	originalByteRate: 11,
	replyPacketRate: 12,
	replyByteRate: 13,
} as const;

/** Doubles per row: one per `rowField` (14, so a row is 112 bytes, two cache lines). */
export const rowStride = Object.keys(rowField).length;

/**
 * How many uint32 chunks each key column takes, in the order they are laid out. Keys are kept
 * up to date as flows change, so sorting and filtering read typed arrays in slot order instead
 * of chasing 100k flow objects (which cost more than the sort itself).
 */
const keyWidths = {
	id: 1,
	proto: 1,
	sport: 1,
	dport: 1,
	state: 1,
	mark: 1,
	zone: 1,
	/** Family rank, then four words. */
	src: 5,
	dst: 5,
	/** NAT rank, then the translated address as five. */
	nat: 6,
	/** The reply tuple, for filters: addresses as five chunks each, then ports. */
	replySrc: 5,
	replyDst: 5,
	replySport: 1,
	replyDport: 1,
	/** CTA_STATUS bits (0 when unknown), for `flag:` filters. */
	status: 1,
} as const;

/** A key column's name. */
export type KeyColumnName = keyof typeof keyWidths;

/** Where each key column's first chunk is among the store's key columns. */
export const keyColumn: Readonly<Record<KeyColumnName, number>> = (() => {
	const offsets: Partial<Record<KeyColumnName, number>> = {};
	let next = 0;
	for (const [name, width] of Object.entries(keyWidths)) {
		offsets[name as KeyColumnName] = next;
		next += width;
	}

	return offsets as Record<KeyColumnName, number>;
})();

/** How many key columns the store keeps: every column's chunks. */
export const keyColumnCount = Object.values(keyWidths).reduce<number>(
	(sum, width) => sum + width,
	0,
);
