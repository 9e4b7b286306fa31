/**
 * Per-second rates of the kernel counters that signal trouble, from two stats samples: the
 * counters are totals since boot, so only their change says something is going wrong now.
 */
import type {KernelStats} from '../kernel/client.js';

/** The counters the header watches, as `conntrack -S` names them. */
export const troubleCounters = ['insert_failed', 'drop', 'early_drop', 'invalid'] as const;

/** One stats sample and when it was taken (ms). */
export interface StatsSample {
	readonly stats: KernelStats;
	readonly time: number;
}

/**
 * Each trouble counter's change per second from `previous` to `next`; undefined without an
 * earlier sample or time between them. A counter that went down (CPU hot-unplug, reset)
 * counts as 0 rather than a negative rate.
 */
export function troubleRates(
	previous: StatsSample | undefined,
	next: StatsSample,
): Record<(typeof troubleCounters)[number], number> | undefined {
	if (!previous || next.time <= previous.time) return undefined;
	const seconds = (next.time - previous.time) / 1000;
	const rate = (name: string) => {
		const delta = (next.stats.counters[name] ?? 0) - (previous.stats.counters[name] ?? 0);
		return delta > 0 ? delta / seconds : 0;
	};

	return {
		insert_failed: rate('insert_failed'),
		drop: rate('drop'),
		early_drop: rate('early_drop'),
		invalid: rate('invalid'),
	};
}
