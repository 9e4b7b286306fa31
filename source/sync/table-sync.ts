/**
 * Keeps a table in step with the kernel: subscribe to events first, dump, apply the snapshot,
 * replay the events that came during the dump, then follow events. Re-dump whenever the event
 * stream says events were lost. Events alone are not enough: the kernel grows counters and
 * refreshes timeouts on every packet without an event, and with nf_conntrack_events=2 an entry
 * made while nobody listened never sends DESTROY. So the flows on screen are re-read by tuple
 * every tick, and the whole table is re-dumped in the background at a period chosen from what
 * the last dump cost (see refresh-period.ts), or at a fixed `resyncIntervalMs`.
 * One idea past 350 lines: one class, as dumping, replaying, following, re-reading and
 * re-dumping all share the one sync's state (the queue of events, the status, the timers).
 */
import {EventEmitter} from 'node:events';
import {flowKey} from '../flow/key.js';
import type {DeleteOutcome, EventSource, FlowSource, KernelStats} from '../flow/source.js';
import type {Flow, FlowEvent, RereadResult} from '../flow/types.js';
import {refreshPeriodMs, type RefreshBudget} from './refresh-period.js';

/** Where the flows go: the model's table satisfies it. */
export interface SyncTarget {
	applySnapshot(flows: Iterable<Flow>, now: number): void;
	applyEvent(event: FlowEvent, now: number): void;
	applyReread(flows: readonly Flow[], results: readonly RereadResult[], now: number): void;
	/**
	 * Optional: a snapshot taken in as the dump streams (the model's table has it), so the
	 * first screen shows before a big dump ends and no array of the whole dump is held. Without
	 * it, or when events were lost (see runDump), the dump is collected and `applySnapshot`ed.
	 */
	startSnapshot?(): void;
	addToSnapshot?(flow: Flow, now: number): void;
	endSnapshot?(now: number): void;
}

/** What the header shows about the sync itself. */
export interface SyncStatus {
	/** Re-dumps after lost events or on request (not counting the first dump and refreshes). */
	readonly resyncs: number;
	/** Background re-dumps that refreshed every flow's counters and timeout. */
	readonly refreshes: number;
	/** The background re-dump period now in force, ms; undefined when refreshes are off. */
	readonly refreshEveryMs?: number;
	/** Whether that period follows the table's size (false: fixed by a flag). */
	readonly refreshAuto: boolean;
	/** CPU (user + system) the last dump and its merge cost, ms. */
	readonly lastDumpCostMs?: number;
	/** Time of the last re-read of the flows on screen. */
	readonly lastReread?: number;
	/** When and why the last re-dump happened. */
	readonly lastResync?: {readonly time: number; readonly reason: string};
	/** The last failure; the table is stale (kept, not cleared) while this is set. */
	readonly error?: string;
	/** Events are not being followed (event socket failed); only periodic dumps update the table. */
	readonly eventsDown: boolean;
	/** The receive buffer the kernel granted the event socket. */
	readonly receiveBuffer?: number;
	/** Time of the last complete dump. */
	readonly lastDump?: number;
	/** Messages skipped as malformed in the last dump. */
	readonly skipped: number;
	/** The first dump is still streaming in: the table is not complete yet. */
	readonly reading?: boolean;
}

/** Options for TableSync. */
export interface TableSyncOptions {
	readonly source: FlowSource;
	/** Null for snapshot-only use (periodic dumps, no events). */
	readonly events: EventSource | null;
	readonly target: SyncTarget;
	/** The host's clock, ms. */
	readonly now: () => number;
	/**
	 * Background re-dump period, ms; 0 turns it off. Undefined (the default): chosen after each
	 * dump from its cost, within `refreshBudget`.
	 */
	readonly resyncIntervalMs?: number;
	readonly refreshBudget?: RefreshBudget;
	/** How often the watched flows (see `watch`) are re-read, ms; 0 turns it off. Default 1 s. */
	readonly rereadIntervalMs?: number;
	/**
	 * Kernel stats poll. Default 1 s; 0 turns it off. A source whose dumps carry stats (a
	 * router: one round trip instead of one a second) is not polled: each dump's are emitted.
	 */
	readonly statsIntervalMs?: number;
	/** Keep only one family. */
	readonly family?: 'ipv4' | 'ipv6';
}

/** Events a TableSync emits. */
export interface TableSyncEvents {
	/** The table changed (coalesced: at most once per tick of the event loop). */
	changed: [];
	stats: [stats: KernelStats];
	status: [status: SyncStatus];
}

/** Drives a SyncTarget from the kernel. */
export class TableSync extends EventEmitter<TableSyncEvents> {
	private statusValue: SyncStatus = {
		resyncs: 0,
		refreshes: 0,
		refreshAuto: true,
		eventsDown: false,
		skipped: 0,
	};
	private dumping: Promise<void> | undefined;
	private again: {reason: string; afterLoss: boolean} | undefined;
	private queued: FlowEvent[] | undefined;
	private timers: NodeJS.Timeout[] = [];
	private refreshTimer: NodeJS.Timeout | undefined;
	private watched: readonly Flow[] = [];
	private rereading = false;
	private followUp: NodeJS.Timeout | undefined;
	private changePending = false;
	private stopped = false;
	/** The first dump carried stats: they come with every dump, not from a poll. */
	private statsFromDumps = false;
	private sawFirstFlows: (() => void) | undefined;

	/**
	 * Resolves once the first dump (see `start`) has streamed its first flows into the target,
	 * or has completed: a caller may show the table from then on. A dump that fails before
	 * that leaves it pending and rejects `start`.
	 */
	readonly firstFlows = new Promise<void>((resolve) => {
		this.sawFirstFlows = resolve;
	});

	constructor(private readonly options: TableSyncOptions) {
		super();
		this.statusValue = {...this.statusValue, refreshAuto: options.resyncIntervalMs === undefined};
		const events = options.events;
		if (events) {
			events.on('event', (event) => {
				this.onEvent(event);
			});
			events.on('resync', (reason) => {
				void this.resync(reason, true);
			});
			events.on('ready', (receiveBuffer) => {
				this.setStatus({receiveBuffer});
			});
			events.on('error', (error) => {
				this.setStatus({eventsDown: true, error: error.message});
			});
		}
	}

	/** The current status. */
	get status(): SyncStatus {
		return this.statusValue;
	}

	/**
	 * The first dump; rejects (with a KernelError) when the table cannot be read at all. A
	 * streaming target shows its flows as they come (see `firstFlows`).
	 */
	async start(): Promise<void> {
		this.setStatus({reading: true});
		try {
			await this.runDump(undefined);
		} finally {
			this.setStatus({reading: false});
		}

		this.sawFirstFlows?.();
		const {statsIntervalMs = 1000, rereadIntervalMs = 1000} = this.options;
		if (rereadIntervalMs > 0 && this.options.source.reread) {
			this.timers.push(setInterval(() => void this.reread(), rereadIntervalMs));
		}

		if (statsIntervalMs > 0 && !this.statsFromDumps) {
			void this.pollStats();
			this.timers.push(setInterval(() => void this.pollStats(), statsIntervalMs));
		}

		for (const timer of this.timers) timer.unref();
	}

	/**
	 * Re-dumps the table. A request while a dump runs is folded into one more dump after it, so a
	 * storm of lost-event reports costs at most two dumps (three with the check that `afterLoss`,
	 * set when events were lost, asks for: see runDump).
	 */
	async resync(reason: string, afterLoss = false): Promise<void> {
		if (this.stopped) return;
		if (this.dumping) {
			this.again = {reason, afterLoss: afterLoss || (this.again?.afterLoss ?? false)};
			return this.dumping;
		}

		try {
			await this.runDump(reason, afterLoss);
		} catch {
			// runDump recorded the error in the status; the table stays as it was, marked stale.
		}
	}

	/**
	 * Deletes one flow through the kernel and, when it is gone (deleted now or before), from the
	 * table too: an entry made while nobody listened has no event cache, so the kernel sends no
	 * DESTROY for it (nf_conntrack_events=2), and the row would linger until the next re-read.
	 */
	async delete(flow: Flow): Promise<DeleteOutcome> {
		const outcome = await this.options.source.delete(flow);
		if (outcome.result !== 'error') {
			const now = this.options.now();
			this.options.target.applyEvent({type: 'destroy', flow, time: now}, now);
			this.markChanged();
		}

		return outcome;
	}

	/**
	 * The flows to keep exact: the rows on screen and the one in the detail view. They are
	 * re-read by tuple every `rereadIntervalMs`; the list replaces the previous one.
	 */
	watch(flows: readonly Flow[]): void {
		this.watched = flows;
	}

	/**
	 * Re-reads the watched flows now and merges what the kernel says (skipped while a dump runs:
	 * the dump brings them up to date, or while the previous re-read is still out).
	 */
	async reread(): Promise<void> {
		const source = this.options.source;
		if (this.stopped || this.dumping || this.rereading || !source.reread) return;
		const flows = this.watched;
		if (flows.length === 0) return;
		// A dump within the last interval already brought every flow up to date (small tables
		// are dumped every second): re-reading them too would only cost a second frame.
		const {rereadIntervalMs = 1000} = this.options;
		const lastDump = this.statusValue.lastDump;
		if (lastDump !== undefined && this.options.now() - lastDump < rereadIntervalMs * 0.9) return;
		this.rereading = true;
		try {
			const results = await source.reread(flows);
			if (this.stopped || this.dumping) return;
			const now = this.options.now();
			this.options.target.applyReread(flows, results, now);
			this.setStatus({lastReread: now});
			this.markChanged();
			// An entry read with a second or less left expires between ticks, and the kernel sends
			// nothing when it does: look again soon, so a row does not sit at 0:00 for a tick.
			const ending = results.some(
				(result) =>
					typeof result === 'object' && result.timeout !== undefined && result.timeout <= 1,
			);
			if (ending && !this.followUp) {
				this.followUp = setTimeout(() => {
					this.followUp = undefined;
					void this.reread();
				}, endingRereadMs);
				this.followUp.unref();
			}
		} catch (error) {
			this.setStatus({error: (error as Error).message});
		} finally {
			this.rereading = false;
		}
	}

	/** Stops timers and the event stream and closes the socket. */
	stop(): void {
		this.stopped = true;
		for (const timer of this.timers) clearInterval(timer);
		if (this.refreshTimer) clearTimeout(this.refreshTimer);
		if (this.followUp) clearTimeout(this.followUp);
		this.options.events?.stop();
		this.options.source.close();
	}

	private async runDump(reason: string | undefined, afterLoss = false): Promise<void> {
		const run = async (): Promise<void> => {
			const cpu = process.cpuUsage();
			const {target} = this.options;
			try {
				// After a loss the dump is held whole until it is checked (below); otherwise a
				// streaming target takes each flow as it comes.
				const stream = afterLoss ? undefined : streamingTarget(target);
				let {flows, queued, skipped, sourceCostMs, stats} = await this.dumpOnce(
					stream,
					reason === undefined,
				);
				// After a loss, events still queued in the socket from before the overflow arrive
				// while the dump runs: a NEW or UPDATE for a flow the dump no longer has may be such
				// a stale event (its DESTROY was the one lost) or a flow born after its hash bucket
				// was read. One more dump, started after those stale events were read, tells them
				// apart; its own queued events are then trusted as usual.
				if (afterLoss && hasEventsForAbsentFlows(flows, queued))
					({flows, queued, skipped, sourceCostMs, stats} = await this.dumpOnce());
				const now = this.options.now();
				if (stream) stream.endSnapshot(now);
				else target.applySnapshot(flows, now);
				for (const event of queued) target.applyEvent(event, event.time);
				const spent = process.cpuUsage(cpu);
				const costMs = sourceCostMs ?? (spent.user + spent.system) / 1000;
				const counted = reason !== undefined && reason !== refreshReason;
				const refreshEveryMs = this.refreshPeriod(costMs);
				this.setStatus({
					resyncs: this.statusValue.resyncs + (counted ? 1 : 0),
					refreshes: this.statusValue.refreshes + (reason === refreshReason ? 1 : 0),
					lastResync: counted ? {time: now, reason} : this.statusValue.lastResync,
					lastDump: now,
					lastDumpCostMs: costMs,
					refreshEveryMs,
					skipped,
					error: this.statusValue.eventsDown ? this.statusValue.error : undefined,
				});
				this.scheduleRefresh(refreshEveryMs);
				this.markChanged();
				if (stats) {
					this.statsFromDumps = true;
					this.emit('stats', stats);
				}
			} catch (error) {
				this.setStatus({error: (error as Error).message});
				throw error;
			}
		};

		this.dumping = run();
		try {
			await this.dumping;
		} finally {
			this.dumping = undefined;
		}

		if (this.again !== undefined && !this.stopped) {
			const next = this.again;
			this.again = undefined;
			await this.resync(next.reason, next.afterLoss);
		}
	}

	/** The background period after a dump that cost `costMs`; undefined when off. */
	private refreshPeriod(costMs: number): number | undefined {
		const fixed = this.options.resyncIntervalMs;
		if (fixed !== undefined) return fixed > 0 ? fixed : undefined;
		return refreshPeriodMs(costMs, this.options.refreshBudget);
	}

	/** (Re)starts the countdown to the next background dump: any dump resets it. */
	private scheduleRefresh(periodMs: number | undefined): void {
		if (this.refreshTimer) clearTimeout(this.refreshTimer);
		this.refreshTimer = undefined;
		if (periodMs === undefined || this.stopped) return;
		this.refreshTimer = setTimeout(() => void this.resync(refreshReason), periodMs);
		this.refreshTimer.unref();
	}

	/**
	 * One dump, with the events that arrived while it ran (queued, not applied). With `stream`
	 * its flows go into the target's snapshot as they come (`flows` stays empty); with `show`
	 * (the first dump) the screen is asked to redraw as they do, a few times a second.
	 */
	private async dumpOnce(
		stream?: StreamingTarget,
		show = false,
	): Promise<{
		flows: Flow[];
		queued: FlowEvent[];
		skipped: number;
		sourceCostMs?: number;
		stats?: KernelStats;
	}> {
		this.queued = [];
		const flows: Flow[] = [];
		const family = this.options.family;
		stream?.startSnapshot();
		let seen = 0;
		let now = this.options.now();
		let shownAt = performance.now();
		try {
			const summary = await this.options.source.dump((flow) => {
				if (family && flow.family !== family) return;
				if (!stream) {
					flows.push(flow);
					return;
				}

				// One clock read per 256 flows: a dump of 1M flows takes seconds, not one instant.
				if ((++seen & 255) === 0) now = this.options.now();
				stream.addToSnapshot(flow, now);
				if (show && (seen === 1 || (seen & 4095) === 0)) {
					if (seen === 1) this.sawFirstFlows?.();
					if (seen === 1 || performance.now() - shownAt >= progressFrameMs) {
						shownAt = performance.now();
						this.markChanged();
					}
				}
			});
			return {
				flows,
				queued: this.queued,
				skipped: summary.skipped ?? summary.errors.length,
				sourceCostMs: summary.costMs,
				stats: summary.stats,
			};
		} finally {
			this.queued = undefined;
		}
	}

	private onEvent(event: FlowEvent): void {
		if (this.options.family && event.flow.family !== this.options.family) return;
		if (this.queued) {
			this.queued.push(event);
			return;
		}

		this.options.target.applyEvent(event, event.time);
		this.markChanged();
	}

	private async pollStats(): Promise<void> {
		try {
			this.emit('stats', await this.options.source.stats());
		} catch (error) {
			this.setStatus({error: (error as Error).message});
		}
	}

	private markChanged(): void {
		if (this.changePending) return;
		this.changePending = true;
		setImmediate(() => {
			this.changePending = false;
			this.emit('changed');
		});
	}

	private setStatus(change: Partial<SyncStatus>): void {
		this.statusValue = {...this.statusValue, ...change};
		this.emit('status', this.statusValue);
	}
}

/** A SyncTarget that takes snapshots as they stream. */
type StreamingTarget = Required<
	Pick<SyncTarget, 'startSnapshot' | 'addToSnapshot' | 'endSnapshot'>
>;

function streamingTarget(target: SyncTarget): StreamingTarget | undefined {
	if (!target.startSnapshot || !target.addToSnapshot || !target.endSnapshot) return undefined;
	return {
		startSnapshot: () => {
			target.startSnapshot?.();
		},
		addToSnapshot: (flow, now) => {
			target.addToSnapshot?.(flow, now);
		},
		endSnapshot: (now) => {
			target.endSnapshot?.(now);
		},
	};
}

/** How often the screen is redrawn while the first dump streams in, ms. */
const progressFrameMs = 500;

/** How soon flows about to expire are read again (see `reread`). */
const endingRereadMs = 250;

/** The reason a background refresh gives; it is counted apart from resyncs. */
export const refreshReason = 'background refresh';

/** Whether a queued NEW or UPDATE names a flow the snapshot does not hold. */
function hasEventsForAbsentFlows(flows: readonly Flow[], queued: readonly FlowEvent[]): boolean {
	const live = queued.filter((event) => event.type !== 'destroy');
	if (live.length === 0) return false;
	const keys = new Set(flows.map((flow) => flowKey(flow)));
	return live.some((event) => !keys.has(flowKey(event.flow)));
}
