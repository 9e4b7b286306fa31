/**
 * Rate arithmetic: counter deltas between observations, smoothed.
 */

/**
 * How far one sample after `elapsedMs` moves an exponentially weighted average with time
 * constant `timeConstantMs`: `1 - e^(-elapsed/timeConstant)`, in (0, 1).
 */
export function smoothingWeight(elapsedMs: number, timeConstantMs: number): number {
	return 1 - Math.exp(-elapsedMs / timeConstantMs);
}

/**
 * An exponentially weighted moving average over irregular intervals: the previous rate moves
 * towards `sample` by `1 - e^(-elapsed/timeConstant)`, so one sample after a long gap counts
 * almost fully and a burst of close samples does not swamp the history. `elapsedMs` must be
 * positive.
 */
export function smoothRate(
	previous: number,
	sample: number,
	elapsedMs: number,
	timeConstantMs: number,
): number {
	return previous + smoothingWeight(elapsedMs, timeConstantMs) * (sample - previous);
}

/**
 * Per-second rate of a counter that went from `before` to `after` in `elapsedMs`. A counter
 * that went down was reset (`conntrack -Z`) or belongs to a reused entry: no rate (NaN), so
 * the caller skips the sample rather than reporting a huge or negative one.
 */
export function counterRate(before: number, after: number, elapsedMs: number): number {
	if (after < before || !(elapsedMs > 0)) return Number.NaN;
	return ((after - before) * 1000) / elapsedMs;
}
