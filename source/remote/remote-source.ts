/**
 * The router's table over SSH, behind the FlowSource interface the sync takes: dumps, stats
 * and deletes are router-side commands run over one master connection (ssh.ts), their output
 * read by the strict parsers. When the connection drops, every call fails at once with one
 * sentence (the sync keeps the table and marks it stale) while the source reconnects with
 * backoff; `reconnected` then tells the event side to resync.
 */
import {EventEmitter} from 'node:events';
import type {DeleteOutcome, DumpSummary, KernelStats, SourceCapabilities} from '../flow/source.js';
import type {Flow} from '../flow/types.js';
import {
	deleteCommand,
	dumpCommand,
	probeCommand,
	procTablePath,
	statsCommand,
	statsMarker,
	type Reader,
} from './commands.js';
import {maxLineLength, parseFlowLine} from './conntrack-line.js';
import {LineReader} from './line-reader.js';
import {printable} from './printable.js';
import type {ReaderChoice} from './reader-choice.js';
import {isLoginRefused, RemoteError} from './remote-error.js';
import {SshConnection, sshFailed, type SshSettings} from './ssh.js';
import {parseStatsText} from './stats-text.js';

/** How to open a RemoteSource. */
export interface RemoteSourceOptions {
	readonly ssh: SshSettings;
	readonly reader: ReaderChoice;
	/** The host's clock, ms. */
	readonly now?: () => number;
}

/** Events a RemoteSource emits. */
export interface RemoteSourceEvents {
	/** The connection dropped; the reason is ssh's or ours, printable. */
	down: [reason: string];
	/** A new master connection is up after a drop. */
	reconnected: [];
}

/** The most stats lines a dump's answer is read for (a router with 1000 CPUs is not one). */
const maxStatsLines = 1024;

/** Reconnect backoff: first wait, and the longest. */
const firstRetryMs = 1000;
const longestRetryMs = 30_000;

/** What the probe learned about the router. */
interface Probe {
	readonly uid?: number;
	readonly host?: string;
	readonly conntrack: boolean;
	readonly proc: boolean;
}

function parseProbe(text: string): Probe | undefined {
	let uid: number | undefined;
	let host: string | undefined;
	let conntrack = false;
	let proc = false;
	let ended = false;
	for (const line of text.split('\n')) {
		if (/^uid \d{1,10}$/.test(line)) uid = Number(line.slice(4));
		else if (line.startsWith('host ')) host = printable(line.slice(5), 64);
		else if (line === 'conntrack') conntrack = true;
		else if (line === 'proc') proc = true;
		else if (line === 'end') ended = true;
	}

	return ended ? {uid, host, conntrack, proc} : undefined;
}

/** The router's conntrack table, read over SSH. */
export class RemoteSource extends EventEmitter<RemoteSourceEvents> {
	private downReason: string | undefined;
	private retryTimer: NodeJS.Timeout | undefined;
	private retrying = false;
	private retryMs = firstRetryMs;
	private closed = false;
	private connection!: SshConnection;

	private constructor(
		private readonly options: RemoteSourceOptions,
		/** How the table is read there. */
		readonly reader: Reader,
		/** The router's own host name (printable), or the --ssh host when it did not say. */
		readonly hostname: string,
	) {
		super();
	}

	/**
	 * Logs in (prompting on the terminal when ssh needs to), checks that the login is root and
	 * that the router has conntrack or /proc/net/nf_conntrack, and picks the reader. Rejects
	 * with a RemoteError: `connect` (ssh's message), `not-root`, `no-conntrack`.
	 */
	static async connect(options: RemoteSourceOptions): Promise<RemoteSource> {
		const label = options.ssh.target.label;
		let source: RemoteSource | undefined;
		let connection: SshConnection;
		try {
			connection = await SshConnection.open(options.ssh, (reason) => {
				source?.markDown(reason);
			});
		} catch (error) {
			const said = printable((error as Error).message);
			if (isLoginRefused(said))
				throw new RemoteError('auth', `${label} refused the ssh login: ${said}`);
			throw new RemoteError('connect', `cannot connect to ${label} over ssh: ${said}`);
		}

		try {
			const procPath =
				options.reader.kind === 'proc' ? (options.reader.path ?? procTablePath) : procTablePath;
			const answer = await connection.run(probeCommand(procPath));
			const probe = answer.code === 0 ? parseProbe(answer.stdout) : undefined;
			if (!probe)
				throw new RemoteError(
					'dropped',
					`${label} did not answer the capability check${answer.stderr ? `: ${answer.stderr}` : ''}`,
				);
			if (probe.uid !== 0)
				throw new RemoteError(
					'not-root',
					`logged in to ${label} as uid ${probe.uid ?? '?'}, not root: reading the conntrack table there needs root (try --ssh root@${options.ssh.target.host}).`,
				);
			const reader = chooseReader(options.reader, probe, procPath, label);
			source = new RemoteSource(options, reader, probe.host || options.ssh.target.host);
			source.connection = connection;
			return source;
		} catch (error) {
			connection.close();
			throw error;
		}
	}

	/** What this source can do on this router. */
	get capabilities(): SourceCapabilities {
		const full = this.reader.kind === 'conntrack';
		return {
			delete: full,
			events: full,
			reread: false,
			note: full ? undefined : 'read-only: no conntrack on the router',
		};
	}

	/** Why the connection is down, or undefined while it is up. */
	get down(): string | undefined {
		return this.downReason;
	}

	/** The connection (for the event stream, which runs over the same master). */
	get ssh(): SshConnection {
		return this.connection;
	}

	/**
	 * Streams the router's table to `onFlow`. Lines that do not parse are skipped and counted
	 * (`skipped`); `costMs` is the wall time of the whole read, the link included; `stats` are
	 * the router's, read in the same command after the table.
	 */
	async dump(onFlow: (flow: Flow) => void): Promise<DumpSummary> {
		this.throwIfDown();
		const now = (this.options.now ?? Date.now)();
		const started = performance.now();
		let flows = 0;
		let skipped = 0;
		const from = this.reader.kind;
		let statsText: string[] | undefined;
		const lines = new LineReader(
			(line) => {
				if (statsText) {
					// A few dozen lines (sysctls, one per CPU): more is not a stats answer.
					if (statsText.length < maxStatsLines) statsText.push(line);
					return;
				}

				if (line === statsMarker) {
					statsText = [];
					return;
				}

				if (line === '') return;
				const flow = parseFlowLine(line, now, from);
				if (flow === undefined) skipped++;
				else {
					flows++;
					onFlow(flow);
				}
			},
			() => {
				skipped++;
			},
			maxLineLength,
		);
		const generation = this.connection.generation;
		const running = this.connection.stream(dumpCommand(this.reader), (chunk) => {
			lines.push(chunk);
		});
		const {code, stderr} = await running.done;
		lines.end();
		this.check(code, stderr, generation);
		if (code !== 0)
			throw new RemoteError(
				'no-conntrack',
				`reading the table on ${this.options.ssh.target.label} failed${stderr ? `: ${stderr}` : ` (exit ${code ?? 'signal'})`}`,
			);
		return {
			flows,
			errors: [],
			skipped,
			unknownAttributes: 0,
			interrupted: false,
			costMs: performance.now() - started,
			stats: statsText && parseStatsText(statsText.join('\n')),
		};
	}

	/** Count, limit, per-CPU counters and the accounting and timestamp sysctls, in one round trip. */
	async stats(): Promise<KernelStats> {
		this.throwIfDown();
		const generation = this.connection.generation;
		const result = await this.connection.run(statsCommand(this.reader));
		this.check(result.code, result.stderr, generation);
		return parseStatsText(result.stdout);
	}

	/**
	 * Deletes `flow` on the router by original tuple and zone, only while the entry there still
	 * has `flow`'s id (see deleteCommand).
	 */
	async delete(flow: Flow): Promise<DeleteOutcome> {
		const note = this.capabilities.note;
		if (!this.capabilities.delete) return {result: 'error', reason: note ?? 'cannot delete'};
		if (this.downReason !== undefined) return {result: 'error', reason: this.downMessage()};
		const command = deleteCommand(flow);
		if (command === undefined)
			return {result: 'error', reason: `conntrack cannot select a ${flow.proto} flow by tuple`};
		const generation = this.connection.generation;
		const result = await this.connection.run(command);
		if (result.code === sshFailed) {
			this.markDown(result.stderr || 'ssh failed', generation);
			return {result: 'error', reason: this.downMessage()};
		}

		const [first, ...rest] = result.stdout.split('\n');
		if (first === 'deleted') return {result: 'deleted'};
		if (first === 'gone') return {result: 'gone'};
		const said = printable(rest.join(' ')) || result.stderr;
		return {result: 'error', reason: `conntrack -D failed on the router${said ? `: ${said}` : ''}`};
	}

	/** Ends the connection and its control directory; no reconnecting after this. */
	close(): void {
		this.closed = true;
		if (this.retryTimer) clearTimeout(this.retryTimer);
		this.connection.close();
	}

	/**
	 * Marks the connection down (once) and starts reconnecting. `generation` is the master the
	 * failing command ran over (SshConnection.generation): a report about a master already
	 * replaced is stale and changes nothing.
	 */
	markDown(reason: string, generation?: number): void {
		if (this.closed || this.downReason !== undefined) return;
		if (generation !== undefined && generation !== this.connection.generation) return;
		this.downReason = printable(reason);
		this.retryMs = firstRetryMs;
		this.emit('down', this.downReason);
		this.scheduleRetry();
	}

	/** One retry pending or running at a time: never a second timer beside the first. */
	private scheduleRetry(): void {
		if (this.closed || this.retrying) return;
		if (this.retryTimer) clearTimeout(this.retryTimer);
		this.retryTimer = setTimeout(() => void this.retry(), this.retryMs);
		this.retryTimer.unref();
	}

	private async retry(): Promise<void> {
		this.retryTimer = undefined;
		if (this.closed || this.retrying) return;
		this.retrying = true;
		let failed = false;
		try {
			// Stops the old master before a new one takes its socket (see SshConnection.reconnect).
			await this.connection.reconnect();
		} catch (error) {
			failed = true;
			this.downReason = printable((error as Error).message) || this.downReason;
			this.retryMs = Math.min(longestRetryMs, this.retryMs * 2);
		} finally {
			this.retrying = false;
		}

		if (this.closed) return;
		if (failed) {
			this.scheduleRetry();
			return;
		}

		this.downReason = undefined;
		this.emit('reconnected');
	}

	private downMessage(): string {
		return `lost the connection to ${this.options.ssh.target.label} (${this.downReason ?? '?'}); reconnecting`;
	}

	private throwIfDown(): void {
		if (this.downReason !== undefined) throw new RemoteError('dropped', this.downMessage());
	}

	/** An ssh failure (255) means the link is gone: mark it and fail this call. */
	private check(code: number | null, stderr: string, generation: number): void {
		if (code !== sshFailed) return;
		this.markDown(stderr || 'ssh failed', generation);
		throw new RemoteError('dropped', this.downMessage());
	}
}

function chooseReader(choice: ReaderChoice, probe: Probe, procPath: string, label: string): Reader {
	const wantsConntrack = choice.kind === 'conntrack' || (choice.kind === 'auto' && probe.conntrack);
	if (wantsConntrack) {
		if (probe.conntrack) return {kind: 'conntrack'};
		throw new RemoteError(
			'no-conntrack',
			`${label} has no conntrack command (opkg install conntrack).`,
		);
	}

	if (probe.proc) return {kind: 'proc', path: procPath};
	throw new RemoteError(
		'no-conntrack',
		choice.kind === 'proc'
			? `${label} cannot read ${procPath}.`
			: `${label} has neither the conntrack command nor ${procTablePath}: is nf_conntrack loaded there? (opkg install conntrack)`,
	);
}
