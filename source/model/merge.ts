/**
 * Merging partial ctnetlink messages into what is already known, as pure functions over plain
 * flows. The table merges in place into its own stored flows (`stored-flow.ts`) and must agree
 * with `mergeFlow`, which tests use as the reference.
 */
import type {Flow} from '../flow/types.js';

/**
 * `incoming` with every optional field it leaves undefined taken from `stored`; identity
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
