/**
 * Table-wide events per second, from per-second buckets of a ring: reading it is pure (the
 * answer depends on `now` only, not on how often it is asked).
 */

/** Counts events into whole-second buckets and averages the last complete ones. */
export class EventRate {
	private readonly counts: Float64Array;
	private readonly seconds: Float64Array;

	/** Averages over `windowSeconds` whole seconds (at least 1). */
	constructor(private readonly windowSeconds: number) {
		this.counts = new Float64Array(windowSeconds + 1);
		this.seconds = new Float64Array(windowSeconds + 1).fill(Number.NaN);
	}

	/** One event at `now` (ms). */
	count(now: number): void {
		const second = Math.floor(now / 1000);
		const length = this.seconds.length;
		const i = ((second % length) + length) % length;
		if (this.seconds[i] !== second) {
			this.seconds[i] = second;
			this.counts[i] = 0;
		}

		this.counts[i]++;
	}

	/**
	 * Events per second over the `windowSeconds` whole seconds before the one `now` falls in
	 * (the current second is still filling).
	 */
	perSecond(now: number): number {
		const second = Math.floor(now / 1000);
		let sum = 0;
		for (let i = 0; i < this.seconds.length; i++) {
			const s = this.seconds[i];
			if (s < second && s >= second - this.windowSeconds) sum += this.counts[i];
		}

		return sum / this.windowSeconds;
	}
}
