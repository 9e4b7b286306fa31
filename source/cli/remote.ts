/**
 * `--ssh`: the same modes on a router's table, read over SSH by source/remote. Loaded only
 * when --ssh is given. The connection is opened (and authenticated, on the terminal) before
 * any mode takes the screen, and closed on every way out, the control socket's directory too.
 */
import {RemoteEvents} from '../remote/remote-events.js';
import {RemoteError} from '../remote/remote-error.js';
import {RemoteSource} from '../remote/remote-source.js';
import type {ReaderChoice} from '../remote/reader-choice.js';
import type {SshSettings} from '../remote/ssh.js';
import type {InteractiveOptions} from './interactive.js';
import {runEvents, runOnce, type EventsOptions, type OnceOptions} from './modes.js';

/** What --ssh needs besides the mode's own options. */
export interface RemoteOptions {
	readonly ssh: SshSettings;
	readonly reader: ReaderChoice;
}

/** The modes over SSH; `mode` says which one and carries its options. */
export type RemoteMode =
	| {readonly kind: 'once'; readonly options: OnceOptions}
	| {readonly kind: 'events'; readonly options: EventsOptions}
	| {readonly kind: 'interactive'; readonly options: Omit<InteractiveOptions, 'events'>};

/**
 * Connects (rejecting with a RemoteError that names the failure), runs the mode on the
 * router's table, and closes the connection whatever happens. Resolves with the exit code.
 */
export async function runRemote(remote: RemoteOptions, mode: RemoteMode): Promise<number> {
	const source = await RemoteSource.connect({ssh: remote.ssh, reader: remote.reader});
	// Also on a hard exit (an uncaught error, process.exit in a signal handler): no master left.
	const closeOnExit = () => {
		source.close();
	};

	process.on('exit', closeOnExit);
	try {
		if (mode.kind === 'once') return await runOnce(source, mode.options);
		if (mode.kind === 'events') {
			if (!source.capabilities.events)
				throw new RemoteError(
					'no-conntrack',
					`--events needs the conntrack command on ${remote.ssh.target.label} (opkg install conntrack).`,
				);
			return await runEvents(mode.options, () => new RemoteEvents(source));
		}

		const {startInteractive} = await import('./interactive.js');
		return await startInteractive(source, {
			...mode.options,
			// The router's name: the header and the delete log say whose table it is.
			hostname: `${source.hostname} (ssh ${remote.ssh.target.label})`,
			logHost: source.hostname,
			source: source.capabilities,
			// A remote dump's cost is its wall time (round trip, router, link), not our CPU: a
			// tenth of it, every 2 s at least.
			refreshBudget: {share: 0.1, minMs: 2000},
			events: () => new RemoteEvents(source),
		});
	} finally {
		process.off('exit', closeOnExit);
		source.close();
	}
}
