/**
 * Merging partial ctnetlink messages into what the table already knows. The table keeps one
 * object per flow for the flow's whole life and changes it in place: a re-dump then leaves its
 * freshly decoded flows as young garbage instead of keeping them and leaving the old ones to a
 * full collection (~60 MB of old generation per re-dump at 100k flows).
 */
import {sameAddress} from '../flow/address.js';
import type {Counters, Flow, Tuple} from '../flow/types.js';

/** One direction's counters as the table keeps them: changed in place. */
export type StoredCounters = {-readonly [K in keyof Counters]: Counters[K]};

/**
 * A flow as the table keeps it: the table's own object (never one a caller also holds, such as
 * an event the event log shows), whose changing fields `mergeInto` overwrites. Identity fields
 * (id, family, protocol, original tuple, zone) never change; tuples are replaced, not mutated.
 */
export type StoredFlow = {-readonly [K in keyof Omit<Flow, 'counters'>]: Flow[K]} & {
	counters?: {original: StoredCounters; reply: StoredCounters};
};

/** Bits `mergeInto` returns: which fields took a different value. */
export const flowChange = {
	state: 1,
	mark: 2,
	reply: 4,
	status: 8,
	helper: 16,
	nat: 32,
	counters: 64,
	start: 128,
	/** timeout, use, stop or labels. */
	other: 256,
} as const;

/**
 * The table's own copy of `flow`: every field in one literal (one hidden class for all stored
 * flows), counters copied so they can change in place, tuples copied (see `copyTuple`), labels
 * and IPv6 address arrays shared (never mutated).
 */
export function storedFlow(flow: Flow): StoredFlow {
	const {counters} = flow;
	return {
		id: flow.id,
		family: flow.family,
		protonum: flow.protonum,
		proto: flow.proto,
		original: copyTuple(flow.original),
		reply: copyTuple(flow.reply),
		status: flow.status,
		state: flow.state,
		timeout: flow.timeout,
		mark: flow.mark,
		use: flow.use,
		zone: flow.zone,
		counters: counters === undefined ? undefined : copyCounters(counters),
		start: flow.start,
		stop: flow.stop,
		helper: flow.helper,
		labels: flow.labels,
		nat: flow.nat,
	};
}

/**
 * Writes into `stored` every optional field `incoming` defines with a different value (a field
 * it leaves undefined keeps the stored value; `null` is a value, a state-less protocol), and a
 * reply tuple that differs by value. Identity fields are not read: `incoming` is the same flow.
 * Returns the `flowChange` bits of what changed, 0 when nothing did.
 */
export function mergeInto(stored: StoredFlow, incoming: Flow): number {
	let changed = 0;
	if (incoming.state !== undefined && incoming.state !== stored.state) {
		stored.state = incoming.state;
		changed |= flowChange.state;
	}

	if (incoming.mark !== undefined && incoming.mark !== stored.mark) {
		stored.mark = incoming.mark;
		changed |= flowChange.mark;
	}

	// Decoders build fresh tuples for every message: compare values, keep the stored one.
	if (incoming.reply !== stored.reply && !sameTuple(stored.reply, incoming.reply)) {
		stored.reply = copyTuple(incoming.reply);
		changed |= flowChange.reply;
	}

	if (incoming.status !== undefined && incoming.status !== stored.status) {
		stored.status = incoming.status;
		changed |= flowChange.status;
	}

	if (incoming.helper !== undefined && incoming.helper !== stored.helper) {
		stored.helper = incoming.helper;
		changed |= flowChange.helper;
	}

	if (incoming.nat !== undefined && incoming.nat !== stored.nat) {
		stored.nat = incoming.nat;
		changed |= flowChange.nat;
	}

	if (incoming.counters !== undefined && mergeCounters(stored, incoming.counters)) {
		changed |= flowChange.counters;
	}

	if (incoming.start !== undefined && incoming.start !== stored.start) {
		stored.start = incoming.start;
		changed |= flowChange.start;
	}

	if (incoming.timeout !== undefined && incoming.timeout !== stored.timeout) {
		stored.timeout = incoming.timeout;
		changed |= flowChange.other;
	}

	if (incoming.use !== undefined && incoming.use !== stored.use) {
		stored.use = incoming.use;
		changed |= flowChange.other;
	}

	if (incoming.stop !== undefined && incoming.stop !== stored.stop) {
		stored.stop = incoming.stop;
		changed |= flowChange.other;
	}

	if (incoming.labels !== undefined && !sameLabels(stored.labels, incoming.labels)) {
		stored.labels = incoming.labels;
		changed |= flowChange.other;
	}

	return changed;
}

/**
 * The pure form of `mergeInto`, for flows kept outside the table (tests use it as the
 * reference): `incoming` with every optional field it leaves undefined taken from `stored`; identity
 * fields (id, family, protocol, tuples, zone) come from `incoming`. Returns `incoming` itself
 * when it lacks nothing `stored` has, so full dump rows cost no allocation. `null` is a value
 * (a state-less protocol), not a gap.
 */
export function mergeFlow(stored: Flow, incoming: Flow): Flow {
	const lacks =
		(incoming.status === undefined && stored.status !== undefined) ||
		(incoming.state === undefined && stored.state !== undefined) ||
		(incoming.timeout === undefined && stored.timeout !== undefined) ||
		(incoming.mark === undefined && stored.mark !== undefined) ||
		(incoming.use === undefined && stored.use !== undefined) ||
		(incoming.counters === undefined && stored.counters !== undefined) ||
		(incoming.start === undefined && stored.start !== undefined) ||
		(incoming.stop === undefined && stored.stop !== undefined) ||
		(incoming.helper === undefined && stored.helper !== undefined) ||
		(incoming.labels === undefined && stored.labels !== undefined) ||
		(incoming.nat === undefined && stored.nat !== undefined);
	if (!lacks) return incoming;
	// One literal with every field, so merged flows share one hidden class.
	return {
		id: incoming.id,
		family: incoming.family,
		protonum: incoming.protonum,
		proto: incoming.proto,
		original: incoming.original,
		reply: incoming.reply,
		status: incoming.status === undefined ? stored.status : incoming.status,
		state: incoming.state === undefined ? stored.state : incoming.state,
		timeout: incoming.timeout === undefined ? stored.timeout : incoming.timeout,
		mark: incoming.mark === undefined ? stored.mark : incoming.mark,
		use: incoming.use === undefined ? stored.use : incoming.use,
		zone: incoming.zone,
		counters: incoming.counters === undefined ? stored.counters : incoming.counters,
		start: incoming.start === undefined ? stored.start : incoming.start,
		stop: incoming.stop === undefined ? stored.stop : incoming.stop,
		helper: incoming.helper === undefined ? stored.helper : incoming.helper,
		labels: incoming.labels === undefined ? stored.labels : incoming.labels,
		nat: incoming.nat === undefined ? stored.nat : incoming.nat,
	};
}

/**
 * The table's copy of a tuple. The decoder's own objects are then garbage as soon as a message
 * is merged, always: were some kept (the first dump's), V8 would learn that the decoder's
 * tuples live long and allocate every later one straight in the old generation, where each
 * re-dump's would wait for a full collection.
 */
function copyTuple(tuple: Tuple): Tuple {
	return {
		src: tuple.src,
		dst: tuple.dst,
		sport: tuple.sport,
		dport: tuple.dport,
		icmpType: tuple.icmpType,
		icmpCode: tuple.icmpCode,
		icmpId: tuple.icmpId,
		zone: tuple.zone,
	};
}

function copyCounters(counters: NonNullable<Flow['counters']>): StoredFlow['counters'] {
	const {original, reply} = counters;
	return {
		original: {packets: original.packets, bytes: original.bytes},
		reply: {packets: reply.packets, bytes: reply.bytes},
	};
}

function mergeCounters(stored: StoredFlow, incoming: NonNullable<Flow['counters']>): boolean {
	const counters = stored.counters;
	if (counters === undefined) {
		stored.counters = copyCounters(incoming);
		return true;
	}

	const {original, reply} = counters;
	if (
		original.packets === incoming.original.packets &&
		original.bytes === incoming.original.bytes &&
		reply.packets === incoming.reply.packets &&
		reply.bytes === incoming.reply.bytes
	) {
		return false;
	}

	original.packets = incoming.original.packets;
	original.bytes = incoming.original.bytes;
	reply.packets = incoming.reply.packets;
	reply.bytes = incoming.reply.bytes;
	return true;
}

function sameLabels(a: readonly number[] | undefined, b: readonly number[]): boolean {
	if (a === b) return true;
	if (a === undefined || a.length !== b.length) return false;
	return a.every((label, i) => label === b[i]);
}

/** Whether two tuples hold the same values. */
export function sameTuple(a: Tuple, b: Tuple): boolean {
	return (
		a.sport === b.sport &&
		a.dport === b.dport &&
		a.icmpType === b.icmpType &&
		a.icmpCode === b.icmpCode &&
		a.icmpId === b.icmpId &&
		a.zone === b.zone &&
		sameAddress(a.src, b.src) &&
		sameAddress(a.dst, b.dst)
	);
}
