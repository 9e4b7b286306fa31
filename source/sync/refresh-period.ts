/**
 * How often to re-dump the whole table in the background. The kernel refreshes counters and
 * timeouts on every packet without an event, so only a dump brings the rows off screen up to
 * date; its cost grows with the table, so the period is chosen from what the last dump cost.
 */

/** What refreshes may cost: a share of one core, and the bounds of the period. */
export interface RefreshBudget {
	/** Share of one core the background dumps may use (default 0.03). */
	readonly share?: number;
	/** Shortest period, ms (default 1000: no point refreshing faster than the screen). */
	readonly minMs?: number;
	/**
	 * Longest period, ms (default 900000: a table whose dump costs up to 27 s of CPU stays
	 * within the share; 1M flows cost ~10 s, every ~5 minutes, which the header says).
	 */
	readonly maxMs?: number;
}

/**
 * The period (ms) at which dumps that each cost `costMs` of CPU (user + system, which includes
 * the kernel walking its hash table for us) use `share` of a core, within the bounds, rounded
 * to a tenth of a second (never below `minMs`) so that the header's "refreshed every" does not flicker.
 */
export function refreshPeriodMs(costMs: number, budget: RefreshBudget = {}): number {
	const {share = 0.03, minMs = 1000, maxMs = 900_000} = budget;
	const wanted = costMs > 0 ? costMs / share : 0;
	const bounded = Math.min(maxMs, Math.max(minMs, wanted));
	return Math.max(minMs, Math.round(bounded / 100) * 100);
}
