/**
 * Tombstones: destroyed flows kept on screen for `closedMs` (htop's `tombStampMs`), queued in
 * the order they closed so expiry reads only the ones that are due and never scans the table.
 */
import {rowField} from './row-layout.js';
import type {FlowStore} from './store.js';

/** The queue of closed rows and how many are kept. */
export class Tombstones {
	/** Tombstones currently kept. */
	count = 0;

	// Slot and closing time of each tombstone, oldest first from `head` (a slot reused since
	// no longer holds its closing time and is skipped).
	private slots: number[] = [];
	private times: number[] = [];
	private head = 0;

	/** Tombstones that stay `closedMs` after they closed. */
	constructor(readonly closedMs: number) {}

	/** Queues the row in `slot`, closed at `now`. */
	closed(slot: number, now: number): void {
		this.count++;
		this.slots.push(slot);
		this.times.push(now);
	}

	/** Says a tombstone left the table (expired, replaced or re-read as gone). */
	left(): void {
		this.count--;
	}

	/** Whether a row closed at `closedAt` is past its time at `now`. */
	isDue(closedAt: number, now: number): boolean {
		return closedAt + this.closedMs <= now;
	}

	/**
	 * Dequeues the oldest tombstone due at `now` and returns its slot for the caller to remove,
	 * or -1 when none is due. Call it until -1: only then is the queue's spent head trimmed.
	 */
	nextDue(now: number, store: FlowStore): number {
		const {slots, times} = this;
		while (this.head < slots.length) {
			const slot = slots[this.head];
			const closedAt = times[this.head];
			if (store.flows[slot] !== undefined && store.get(slot, rowField.closedAt) === closedAt) {
				if (!this.isDue(closedAt, now)) break;
				this.head++;
				return slot;
			}

			this.head++;
		}

		if (this.head > 1024 && this.head * 2 > slots.length) {
			this.slots = slots.slice(this.head);
			this.times = times.slice(this.head);
			this.head = 0;
		}

		return -1;
	}
}
