/**
 * The last minute, kept for sparklines: the table's size and its new and closed flows per
 * second, and the byte rate of each flow that is re-read every tick (the rows on screen and
 * the one in the detail view). Pure: every call takes `now` (ms).
 */
import type {Counters} from '../flow/types.js';
import {counterRate} from './rates.js';

/** How far back the history reaches. */
export const historySeconds = 60;

/** Flows whose byte rates are remembered; the least recently read go first past it. */
const flowHistoryLimit = 512;

/** One second of the table: its size at the end of the second and what came and went in it. */
export interface TableSecond {
	/** Whole seconds since the epoch. */
	readonly second: number;
	readonly flows: number;
	readonly opened: number;
	readonly closed: number;
}

/** Per-second figures of the table over the last minute. */
export class TableHistory {
	private readonly buckets = new Map<number, {flows: number; opened: number; closed: number}>();

	/** Counts flows that appeared (`opened`) and left (`closed`) at `now`, leaving `flows`. */
	count(now: number, opened: number, closed: number, flows: number): void {
		const bucket = this.bucket(Math.floor(now / 1000));
		bucket.opened += opened;
		bucket.closed += closed;
		bucket.flows = flows;
	}

	/** Notes the table's size at `now` (the last note of a second is that second's size). */
	observe(now: number, flows: number): void {
		this.bucket(Math.floor(now / 1000)).flows = flows;
	}

	/**
	 * The whole seconds of the last minute before the one `now` falls in, oldest first, from the
	 * first one the table was observed in. A second nobody observed keeps the size before it.
	 */
	window(now: number): readonly TableSecond[] {
		const current = Math.floor(now / 1000);
		const out: TableSecond[] = [];
		let flows = Number.NaN;
		for (let second = current - historySeconds; second < current; second++) {
			const bucket = this.buckets.get(second);
			if (bucket !== undefined && bucket.flows === bucket.flows) flows = bucket.flows;
			if (flows !== flows) continue;
			out.push({second, flows, opened: bucket?.opened ?? 0, closed: bucket?.closed ?? 0});
		}

		return out;
	}

	private bucket(second: number): {flows: number; opened: number; closed: number} {
		let bucket = this.buckets.get(second);
		if (bucket === undefined) {
			bucket = {flows: Number.NaN, opened: 0, closed: 0};
			this.buckets.set(second, bucket);
			for (const key of this.buckets.keys()) {
				if (key < second - historySeconds - 1) this.buckets.delete(key);
			}
		}

		return bucket;
	}
}

/** One reading of a flow's byte rate per direction, bytes/s. */
export interface RateSample {
	readonly time: number;
	readonly original: number;
	readonly reply: number;
}

interface FlowTrace {
	at: number;
	original: number;
	reply: number;
	samples: RateSample[];
}

/**
 * Byte rates of individual flows between successive reads, for the detail view's sparkline.
 * Only flows read often (on screen) are worth a history; a bounded map keeps the rest out.
 */
export class FlowHistory {
	private readonly traces = new Map<string, FlowTrace>();

	/** Records the counters of flow `key` read at `now`; the first read only sets a baseline. */
	record(
		key: string,
		counters: {readonly original: Counters; readonly reply: Counters},
		now: number,
	): void {
		let trace = this.traces.get(key);
		if (trace === undefined) {
			if (this.traces.size >= flowHistoryLimit) {
				const oldest = this.traces.keys().next().value;
				if (oldest !== undefined) this.traces.delete(oldest);
			}

			trace = {
				at: now,
				original: counters.original.bytes,
				reply: counters.reply.bytes,
				samples: [],
			};
			this.traces.set(key, trace);
			return;
		}

		// Re-inserting keeps the map in least-recently-read order for the limit above.
		this.traces.delete(key);
		this.traces.set(key, trace);
		const elapsed = now - trace.at;
		if (elapsed <= 0) return;
		const original = counterRate(trace.original, counters.original.bytes, elapsed);
		const reply = counterRate(trace.reply, counters.reply.bytes, elapsed);
		trace.at = now;
		trace.original = counters.original.bytes;
		trace.reply = counters.reply.bytes;
		// A counter that went down was reset: no sample, start again from here.
		if (original !== original || reply !== reply) return;
		trace.samples.push({time: now, original, reply});
		const from = now - historySeconds * 1000;
		while (trace.samples.length > 0 && trace.samples[0].time < from) trace.samples.shift();
	}

	/** Forgets a flow that left the table. */
	forget(key: string): void {
		this.traces.delete(key);
	}

	/** The samples of the last minute before `now`, oldest first (empty when never re-read). */
	samples(key: string, now: number): readonly RateSample[] {
		const trace = this.traces.get(key);
		if (trace === undefined) return [];
		const from = now - historySeconds * 1000;
		return trace.samples.filter((sample) => sample.time >= from);
	}
}
