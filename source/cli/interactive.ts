/**
 * The interactive mode's wiring: table, sync, deleter and name cache in, `runTui` out.
 * Imported lazily by cli.tsx so the scripting modes never load React.
 */
import type {EventSource, FlowSource} from '../flow/source.js';
import {FlowTable} from '../model/table.js';
import {defaultDeleteLogPath, makeDeleter, type Deleter} from '../sync/deleter.js';
import {ReverseDns} from '../sync/reverse-dns.js';
import type {RefreshBudget} from '../sync/refresh-period.js';
import {TableSync} from '../sync/table-sync.js';
import {runTui, type EventFeed, type TuiOptions} from '../ui/run.js';

/** What the interactive mode needs from the flags: the TUI's options plus the sync's. */
export interface InteractiveOptions extends Omit<TuiOptions, 'canDelete'> {
	/** Background re-dump period; undefined: chosen from the cost of the last dump. */
	readonly resyncMs: number | undefined;
	readonly family?: 'ipv4' | 'ipv6';
	readonly deleteLog?: string;
	/** Starts the event stream (injected so tests can run without one). */
	readonly events: () => EventSource & EventFeed;
	/** What background re-dumps may cost; default: refresh-period.ts's. */
	readonly refreshBudget?: RefreshBudget;
	/** The host the delete log names, when not `hostname` (a remote source's router). */
	readonly logHost?: string;
}

const heldSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** How long quitting waits for deletes still running (a kernel reply never takes this long). */
const finishDeletesMs = 10_000;

/**
 * Starts reading the table and waits for its first flows (so a permission or kernel problem
 * is reported before the screen is taken), then runs the TUI until the user quits, the rest
 * of a big table streaming in under it. Resolves with the exit code.
 */
export async function startInteractive(
	client: FlowSource,
	options: InteractiveOptions,
): Promise<number> {
	const now = () => Date.now();
	const table = new FlowTable();
	// Events first, so nothing between the dump and the subscription is missed.
	const events = options.events();
	const sync = new TableSync({
		source: client,
		events,
		target: table,
		now,
		resyncIntervalMs: options.resyncMs,
		refreshBudget: options.refreshBudget,
		// The rows on screen are re-read as often as the screen is redrawn.
		rereadIntervalMs: options.intervalMs,
		statsIntervalMs: options.intervalMs,
		family: options.family,
	});
	const started = sync.start();
	try {
		await Promise.race([started, sync.firstFlows]);
	} catch (error) {
		sync.stop();
		throw error;
	}

	// A failure after the first flows is in the sync's status, which the header shows.
	started.catch(() => undefined);

	const deleteLogPath = options.deleteLog ?? defaultDeleteLogPath();
	const deleter = makeDeleter(async (flow) => sync.delete(flow), deleteLogPath, now, {
		host: options.logHost ?? options.hostname,
		netns: options.netns,
	});
	const dns = new ReverseDns();
	// From the TUI's start until the last delete is logged, a signal must not end us: the TUI
	// turns the first into a quit, and a repeat (a Ctrl-C reaches a --netns child twice) would
	// otherwise kill us while a delete's log line is still being written.
	const holdSignal = () => undefined;
	for (const signal of heldSignals) process.on(signal, holdSignal);
	try {
		const code = await runTui(
			{
				table,
				sync,
				deleter,
				events,
				deleteLogPath,
				resolveName: (address) => dns.name(address),
				now,
			},
			{
				...options,
				// The dump above needed CAP_NET_ADMIN (root on the router), which is all a delete
				// needs too; a source that cannot delete says so in `source`.
				canDelete: true,
			},
		);
		await finishDeletes(deleter);
		return code;
	} finally {
		for (const signal of heldSignals) process.off(signal, holdSignal);
		sync.stop();
	}
}

/**
 * Waits for the deletes still running when the TUI ended (an `x` just before `q`), so they
 * reach the kernel and the log before the socket closes and the process exits.
 */
async function finishDeletes(deleter: Deleter): Promise<void> {
	if (deleter.pending === 0) return;
	let timer: NodeJS.Timeout | undefined;
	const timedOut = new Promise<boolean>((resolve) => {
		timer = setTimeout(() => {
			resolve(true);
		}, finishDeletesMs);
	});
	const late = await Promise.race([deleter.idle().then(() => false), timedOut]);
	clearTimeout(timer);
	if (late) {
		process.stderr.write(
			`conntop: ${deleter.pending} delete batch(es) still running after ${finishDeletesMs / 1000} s; their flows may be missing from the log\n`,
		);
	}
}
