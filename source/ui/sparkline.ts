/**
 * Sparklines: a minute of figures drawn in eight heights of block, for what people would
 * rather glance at than read (a flow's byte rate, the table's churn). Written here rather than
 * taken from a package: the ones on npm bring a colour library along, and this is a few lines.
 */

const blocks = '▁▂▃▄▅▆▇█';

/**
 * `values` as one block each, scaled so `max` (default: the largest value) is the tallest.
 * Zero draws the lowest block only when something else is above zero, so a quiet minute is a
 * flat line and an empty history is blank; a value that is not a number draws a space.
 */
export function sparkline(values: readonly number[], max?: number): string {
	let top = max ?? 0;
	if (max === undefined) for (const value of values) if (value > top) top = value;
	let out = '';
	for (const value of values) {
		if (!(value >= 0)) out += ' ';
		else if (top <= 0) out += blocks[0];
		else out += blocks[Math.min(7, Math.max(0, Math.round((value / top) * 7)))];
	}

	return out;
}

/**
 * Samples taken at irregular times in the last `spanMs` before `now`, as `width` buckets (the
 * largest sample in each; NaN where none fell), oldest first, for `sparkline`.
 */
export function bucketed(
	samples: ReadonlyArray<{readonly time: number; readonly value: number}>,
	now: number,
	width: number,
	spanMs = 60_000,
): number[] {
	const out = new Array<number>(width).fill(Number.NaN);
	const from = now - spanMs;
	for (const {time, value} of samples) {
		if (time <= from || time > now) continue;
		const i = Math.min(width - 1, Math.floor(((time - from) / spanMs) * width));
		if (!(out[i] >= value)) out[i] = value;
	}

	return out;
}
