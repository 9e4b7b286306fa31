/**
 * The interactive mode's wiring: table, sync, deleter and name cache in, `runTui` out.
 * Imported lazily by cli.tsx so the scripting modes never load React.
 */
import type {ConntrackClient} from '../kernel/client.js';
import type {EventStream} from '../kernel/events.js';
import {FlowTable} from '../model/table.js';
import {defaultDeleteLogPath, makeDeleter} from '../sync/deleter.js';
import {ReverseDns} from '../sync/reverse-dns.js';
import {TableSync} from '../sync/table-sync.js';
import {runTui, type TuiOptions} from '../ui/run.js';

/** What the interactive mode needs from the flags: the TUI's options plus the sync's. */
export interface InteractiveOptions extends Omit<TuiOptions, 'canDelete'> {
	readonly resyncMs: number;
	readonly family?: 'ipv4' | 'ipv6';
	readonly deleteLog?: string;
	/** Starts the event stream (injected so tests can run without one). */
	readonly events: () => EventStream;
}

/**
 * Reads the table once (so a permission or kernel problem is reported before the screen is
 * taken), then runs the TUI until the user quits. Resolves with the exit code.
 */
export async function startInteractive(
	client: ConntrackClient,
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
		statsIntervalMs: options.intervalMs,
		family: options.family,
	});
	try {
		await sync.start();
	} catch (error) {
		sync.stop();
		throw error;
	}

	const deleteLogPath = options.deleteLog ?? defaultDeleteLogPath();
	const dns = new ReverseDns();
	try {
		return await runTui(
			{
				table,
				sync,
				deleter: makeDeleter(async (flow) => sync.delete(flow), deleteLogPath, now),
				events,
				deleteLogPath,
				resolveName: (address) => dns.name(address),
				now,
			},
			{
				...options,
				// The dump above needed CAP_NET_ADMIN, which is all a delete needs too.
				canDelete: true,
			},
		);
	} finally {
		sync.stop();
	}
}
