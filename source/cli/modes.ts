/**
 * The non-interactive modes: `--once` (text, JSON, CSV; in once.ts) and `--events` (text or
 * NDJSON). No React is loaded here.
 */
import {eventToJson} from '../flow/json.js';
import type {EventSource} from '../flow/source.js';
import {EventStream} from '../kernel/events.js';
import {eventSubject, type Filter} from '../model/filter.js';
import {eventLine} from './flow-text.js';

export {runOnce, type OnceFormat, type OnceOptions} from './once.js';

/** What `--events` reads: the kernel's EventStream, or the router's (--ssh). */
export type EventsStream = EventSource & {
	once(event: 'ready', listener: (receiveBuffer: number) => void): unknown;
};

/** What `--events` needs from the flags. */
export interface EventsOptions {
	readonly filter?: Filter;
	readonly json: boolean;
	readonly family?: 'ipv4' | 'ipv6';
}

/**
 * Streams events until SIGINT/SIGTERM or a closed stdout. Lost events are reported in the
 * stream itself (`{"resync": reason}` with --json, a `[LOST]` line otherwise), since a script
 * reading it must know its picture has a gap.
 */
export async function runEvents(
	options: EventsOptions,
	open: () => EventsStream = () => new EventStream(),
): Promise<number> {
	const stream = open();
	return new Promise<number>((resolve) => {
		const stop = (code: number) => {
			stream.stop();
			resolve(code);
		};

		stream.on('event', (event) => {
			if (options.family && event.flow.family !== options.family) return;
			if (options.filter && !options.filter.test(eventSubject(event), event.time)) return;
			process.stdout.write(
				(options.json ? JSON.stringify(eventToJson(event)) : eventLine(event)) + '\n',
			);
		});
		stream.on('resync', (reason) => {
			const time = new Date().toISOString();
			process.stdout.write(
				options.json
					? JSON.stringify({event: 'lost', time, reason}) + '\n'
					: `[${time}]    [LOST] ${reason}\n`,
			);
		});
		// Said on stderr even when it is not a terminal: stdout stays pure NDJSON, and a script
		// (or a test) learns when a change can no longer be missed. Only the first time: a
		// restarted event process reports its gap as a lost event instead.
		stream.once('ready', () => {
			const hint = process.stderr.isTTY ? ' (Ctrl-C to stop)' : '';
			process.stderr.write(`conntop: following conntrack events${hint}\n`);
		});
		stream.on('error', (error) => {
			process.stderr.write(`conntop: ${error.message}\n`);
			stop(error.exitCode);
		});
		// `on`, not `once`: a repeated Ctrl-C (see netns.ts) must not kill us mid-stop.
		process.on('SIGINT', () => stop(0));
		process.on('SIGTERM', () => stop(0));
	});
}
