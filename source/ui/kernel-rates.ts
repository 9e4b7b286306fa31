/**
 * The kernel counters that signal trouble, followed across stats samples. The kernel's are
 * totals since the namespace was made, so only their change says something: how much since
 * conntop started (a burst must not vanish when the rate falls back to 0), how fast now, and
 * whether one rose recently enough to stay highlighted.
 */
import type {KernelStats} from '../flow/source.js';

/** The counters the header watches, as `conntrack -S` names them, in the order it shows them. */
export const troubleCounters = ['insert_failed', 'drop', 'early_drop', 'invalid'] as const;

/** One of `troubleCounters`. */
export type TroubleCounter = (typeof troubleCounters)[number];

/** One stats sample and when it was taken (ms). */
export interface StatsSample {
	readonly stats: KernelStats;
	readonly time: number;
}

/** What is kept of the samples so far; made and advanced by `recordStats`. */
export interface TroubleHistory {
	/** The newest sample. */
	readonly last: StatsSample;
	/** Rises since the first sample. */
	readonly sinceStart: Readonly<Record<TroubleCounter, number>>;
	/** Change per second between the last two samples; undefined after only one. */
	readonly perSecond?: Readonly<Record<TroubleCounter, number>>;
	/** When (sample time, ms) each counter last rose. */
	readonly lastRise: Readonly<Partial<Record<TroubleCounter, number>>>;
}

/** How long a counter stays highlighted after it last rose: long enough to be seen. */
export const burstMs = 10_000;

function zeros(): Record<TroubleCounter, number> {
	return {insert_failed: 0, drop: 0, early_drop: 0, invalid: 0};
}

/**
 * `history` advanced by the sample `next`; the first sample (no history) is the baseline.
 * Rises are summed sample to sample, and a counter that went down (a CPU unplugged, its
 * counters gone) counts as no rise, so the totals never go backwards. A sample not later than
 * the last gives no rate.
 */
export function recordStats(
	history: TroubleHistory | undefined,
	next: StatsSample,
): TroubleHistory {
	if (!history) return {last: next, sinceStart: zeros(), lastRise: {}};
	const previous = history.last;
	const seconds = (next.time - previous.time) / 1000;
	const sinceStart = {...history.sinceStart};
	const perSecond = zeros();
	const lastRise = {...history.lastRise};
	for (const name of troubleCounters) {
		const rise = Math.max(
			0,
			(next.stats.counters[name] ?? 0) - (previous.stats.counters[name] ?? 0),
		);
		sinceStart[name] += rise;
		if (rise > 0) lastRise[name] = next.time;
		if (seconds > 0) perSecond[name] = rise / seconds;
	}

	return {
		last: next,
		sinceStart,
		perSecond: seconds > 0 ? perSecond : history.perSecond,
		lastRise,
	};
}

/** One trouble counter as the header shows it. */
export interface TroubleFigure {
	readonly name: TroubleCounter;
	/** Rises since conntop started. */
	readonly sinceStart: number;
	/** Per second now; undefined until two samples came. */
	readonly perSecond?: number;
	/** It rose less than `burstMs` before `now`: highlight it. */
	readonly burst: boolean;
}

/** The figures of every trouble counter at `now`, in `troubleCounters` order; undefined before a sample. */
export function troubleFigures(
	history: TroubleHistory | undefined,
	now: number,
): TroubleFigure[] | undefined {
	if (!history) return undefined;
	return troubleCounters.map((name) => {
		const rose = history.lastRise[name];
		return {
			name,
			sinceStart: history.sinceStart[name],
			perSecond: history.perSecond?.[name],
			burst: rose !== undefined && now - rose < burstMs,
		};
	});
}
