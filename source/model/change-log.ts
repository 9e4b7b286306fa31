/**
 * Which rows changed since a moment: results over every row (a filter's match set) catch up by
 * re-testing only those, instead of passing over the whole table again (issue 12: the screen
 * re-reads its rows every second, and each re-read made the next keystroke filter 1M rows).
 */

/** A moment of the log, taken with `mark`. */
export interface LogMark {
	readonly epoch: number;
	readonly at: number;
}

/** The slots that joined, changed or closed, in order, up to `size` of them. */
export class ChangeLog {
	private readonly slots: Int32Array;
	private length = 0;
	/** Moves when the log starts over: marks taken before it can no longer catch up. */
	private epoch = 0;

	/** A log that starts over after `size` changes (a dump changes every row). */
	constructor(size: number) {
		this.slots = new Int32Array(size);
	}

	/** Records that the row in `slot` joined, changed or closed. */
	changed(slot: number): void {
		if (this.length === this.slots.length) this.forget();
		else this.slots[this.length++] = slot;
	}

	/** Starts over: every mark taken so far is too old to catch up from. */
	forget(): void {
		this.epoch++;
		this.length = 0;
	}

	/** Now, to catch up from later. */
	mark(): LogMark {
		return {epoch: this.epoch, at: this.length};
	}

	/** Whether nothing changed since `mark`. */
	isCurrent(mark: LogMark): boolean {
		return mark.epoch === this.epoch && mark.at === this.length;
	}

	/** The slots changed since `mark` (repeats possible), or undefined when the log started over. */
	since(mark: LogMark): Int32Array | undefined {
		if (mark.epoch !== this.epoch) return undefined;
		return this.slots.subarray(mark.at, this.length);
	}
}
