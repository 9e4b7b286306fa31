/**
 * One SSH master connection to the router through the system's OpenSSH client, so ssh_config,
 * agents, ProxyJump and known_hosts work as they do for `ssh`. The master authenticates first,
 * on the terminal (a password or passphrase prompt works, before the TUI takes the screen);
 * every later command runs over it through a control socket in a private temp directory, and
 * costs a round trip instead of a handshake. `close` ends the master and removes the directory.
 * One idea past 350 lines: one class, as starting, replacing and stopping the master and running
 * commands over it all share the one connection's state.
 */
import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {lstatSync, mkdtempSync, rmSync, watch} from 'node:fs';
import type {Socket} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {LineReader} from './line-reader.js';
import {printable} from './printable.js';
import {targetArgs, type SshTarget} from './ssh-target.js';

/** How to reach the router. */
export interface SshSettings {
	readonly target: SshTarget;
	/** The ssh client to run (CONNTOP_SSH); default `ssh`. */
	readonly binary?: string;
	/** --ssh-config: passed to ssh as `-F FILE`. */
	readonly configFile?: string;
}

/** What a finished remote command left. */
export interface CommandResult {
	/** Its exit code; 255 is ssh's own failure. Null when it was killed. */
	readonly code: number | null;
	readonly stdout: string;
	/** Its stderr made printable (last lines, cut short). */
	readonly stderr: string;
}

/** A command still running on the router (see `SshConnection.stream`). */
export interface RunningCommand {
	/** Resolves when it has ended, with its code (null when killed) and printable stderr. */
	readonly done: Promise<{readonly code: number | null; readonly stderr: string}>;
	/** Ends it (the ssh client here; the server then closes the channel there). */
	stop(): void;
}

/** ssh's exit code for its own failures (cannot connect, refused, connection lost). */
export const sshFailed = 255;

/** How long a master gets to exit after SIGTERM before it is killed. */
const masterStopMs = 2000;

/** Output a short command may print before it is cut off (the router is not trusted). */
const shortOutputLimit = 1 << 20;

/** Keeps the last lines of a stderr stream, made printable. */
class Tail {
	private lines: string[] = [];
	readonly reader = new LineReader(
		(line) => {
			const text = printable(line);
			if (text === '') return;
			this.lines.push(text);
			if (this.lines.length > 3) this.lines.shift();
		},
		() => undefined,
		4096,
	);

	get text(): string {
		return this.lines.join(' / ');
	}
}

/** The master connection and the commands run over it. */
export class SshConnection {
	/** The master now serving the control socket (our own child), or undefined while there is none. */
	private master: ChildProcess | undefined;
	private closed = false;
	private masters = 0;
	private replacing: Promise<void> | undefined;
	private readonly running = new Set<ChildProcess>();

	private constructor(
		private readonly settings: SshSettings,
		private readonly directory: string,
		private readonly onMasterGone: (reason: string) => void,
	) {}

	/**
	 * Opens the master connection, asking for a password or passphrase on the terminal when
	 * ssh needs one. Rejects with ssh's own message when it cannot connect or log in.
	 * `onMasterGone` hears when the master exits later (the link dropped).
	 */
	static async open(
		settings: SshSettings,
		onMasterGone: (reason: string) => void = () => undefined,
	): Promise<SshConnection> {
		// A private directory: the socket in it lets anyone who can reach it run commands as us there.
		const directory = mkdtempSync(join(tmpdir(), 'conntop-ssh-'));
		const connection = new SshConnection(settings, directory, onMasterGone);
		try {
			await connection.startMaster(true);
		} catch (error) {
			connection.close();
			throw error;
		}

		return connection;
	}

	/** The control socket's path (inside the private directory). */
	get controlPath(): string {
		return join(this.directory, 'master');
	}

	/** The private directory the control socket lives in; removed by `close`. */
	get controlDirectory(): string {
		return this.directory;
	}

	/**
	 * Which master commands run over now: it goes up by one with each master started, so a
	 * failure reported by a command that ran over an earlier master can be told apart.
	 */
	get generation(): number {
		return this.masters;
	}

	/**
	 * Replaces the master after a drop, without a terminal (BatchMode: a key or an agent must
	 * do; a password cannot be asked while the TUI has the screen). One attempt at a time: a
	 * call while one runs waits for that one. The old master is stopped (and waited for) before
	 * its socket is removed and a new master binds it, so there is never a second master, nor a
	 * live one whose socket was taken. Rejects with ssh's message when it cannot.
	 */
	async reconnect(): Promise<void> {
		if (this.closed) throw new Error('the connection is closed');
		this.replacing ??= this.replaceMaster().finally(() => {
			this.replacing = undefined;
		});
		return this.replacing;
	}

	/** Runs `command` on the router and collects its output (cut off past 1 MB). */
	async run(command: string): Promise<CommandResult> {
		let stdout = '';
		let cut = false;
		const running = this.stream(command, (chunk) => {
			if (cut) return;
			stdout += chunk.toString('latin1');
			if (stdout.length > shortOutputLimit) {
				cut = true;
				running.stop();
			}
		});
		const {code, stderr} = await running.done;
		return {code: cut ? null : code, stdout, stderr};
	}

	/**
	 * Runs `command` on the router, handing its stdout to `onData` chunk by chunk. With `tty`
	 * it runs on a terminal there (`-tt`): stopping it then hangs the terminal up, which ends a
	 * command that would otherwise only notice at its next write (stderr joins stdout then).
	 */
	stream(
		command: string,
		onData: (chunk: Buffer) => void,
		onStderrLine?: (line: string) => void,
		tty = false,
	): RunningCommand {
		const stderr = new Tail();
		const child = spawn(
			this.binary,
			[
				...this.commonArgs(),
				'-o',
				'ControlMaster=no',
				'-o',
				'BatchMode=yes',
				'-o',
				'LogLevel=ERROR',
				tty ? '-tt' : '-T',
				...targetArgs(this.settings.target),
				command,
			],
			// A terminal session's stdin stays open (never written): its end would be sent as EOF.
			{stdio: [tty ? 'pipe' : 'ignore', 'pipe', 'pipe']},
		);
		this.running.add(child);
		child.stdout!.on('data', onData);
		const lines = new LineReader(
			(line) => {
				onStderrLine?.(line);
			},
			() => undefined,
			4096,
		);
		child.stderr!.on('data', (chunk: Buffer) => {
			stderr.reader.push(chunk);
			lines.push(chunk);
		});
		const done = new Promise<{code: number | null; stderr: string}>((resolve) => {
			child.on('error', (error) => {
				stderr.reader.push(Buffer.from(`${error.message}\n`));
			});
			child.on('close', (code) => {
				this.running.delete(child);
				stderr.reader.end();
				resolve({code, stderr: stderr.text});
			});
		});
		return {
			done,
			stop() {
				if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
			},
		};
	}

	/** Whether the master still answers on its socket. */
	check(): boolean {
		if (this.closed) return false;
		const result = spawnSync(
			this.binary,
			[...this.commonArgs(), '-O', 'check', ...targetArgs(this.settings.target)],
			{stdio: 'ignore', timeout: 5000},
		);
		return result.status === 0;
	}

	/**
	 * Stops every command still running, ends the master and removes the private directory.
	 * Synchronous, so it can run on the way out of the process too.
	 */
	close(): void {
		if (this.closed) return;
		this.closed = true;
		for (const child of this.running) child.kill('SIGTERM');
		this.running.clear();
		spawnSync(
			this.binary,
			[...this.commonArgs(), '-O', 'exit', ...targetArgs(this.settings.target)],
			{
				stdio: 'ignore',
				timeout: 5000,
			},
		);
		this.master?.kill('SIGTERM');
		this.master = undefined;
		rmSync(this.directory, {recursive: true, force: true});
	}

	private get binary(): string {
		return this.settings.binary ?? 'ssh';
	}

	/** -F and the control socket: every ssh we run names both. */
	private commonArgs(): string[] {
		const config = this.settings.configFile;
		return [...(config === undefined ? [] : ['-F', config]), '-S', this.controlPath];
	}

	private async replaceMaster(): Promise<void> {
		await this.stopMaster();
		if (this.closed) throw new Error('the connection is closed');
		// Its master is gone, so a socket it left behind is no one's: a new master cannot bind over it.
		rmSync(this.controlPath, {force: true});
		await this.startMaster(false);
	}

	/** Ends the current master, if it still runs, and resolves once it has exited. */
	private async stopMaster(): Promise<void> {
		const master = this.master;
		// Unset first: its exit is ours, not a drop to report.
		this.master = undefined;
		if (!master || master.exitCode !== null || master.signalCode !== null) return;
		const exited = new Promise<void>((resolve) => {
			master.once('exit', () => {
				resolve();
			});
		});
		master.kill('SIGTERM');
		const stubborn = setTimeout(() => master.kill('SIGKILL'), masterStopMs);
		await exited;
		clearTimeout(stubborn);
	}

	/**
	 * Runs `ssh -M -N` as our own child: it authenticates (on the terminal when `interactive`)
	 * and then binds the control socket, which is when it is ready; exiting before that is a
	 * failure, explained by what ssh printed. Its exit later is the drop (`onMasterGone`).
	 * Not `-f`: OpenSSH (9.2 here) points a forked master's stdio at /dev/null, so neither its
	 * pid nor a pipe would say when it dies, and a reconnect could not stop it first.
	 */
	private async startMaster(interactive: boolean): Promise<void> {
		const tail = new Tail();
		const child = spawn(
			this.binary,
			[
				...this.commonArgs(),
				'-M',
				'-N',
				'-o',
				'ControlPersist=no',
				// A dead link is noticed within 15 s even when no packet says so.
				'-o',
				'ServerAliveInterval=5',
				'-o',
				'ServerAliveCountMax=3',
				...(interactive ? [] : ['-o', 'BatchMode=yes']),
				...targetArgs(this.settings.target),
			],
			// Prompts go to /dev/tty. stdin is not ours to lend: the master lives as long as the
			// TUI, which reads the keys (with -N ssh reads no stdin, but it would hold it).
			{stdio: ['ignore', 'ignore', 'pipe']},
		);
		this.master = child;
		const stderr = child.stderr as Socket;
		stderr.on('data', (chunk: Buffer) => {
			tail.reader.push(chunk);
		});
		// 'close', not 'exit': by then everything it printed has been read.
		const ended = new Promise<number | null>((resolve) => {
			child.on('error', (error) => {
				tail.reader.push(Buffer.from(`${error.message}\n`));
			});
			child.on('close', (code) => {
				tail.reader.end();
				resolve(code);
			});
		});
		const bound = this.socketBound();
		const ready = await Promise.race([bound.ready, ended.then(() => false)]);
		bound.stop();
		if (!ready || this.master !== child) {
			if (this.master === child) this.master = undefined;
			if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
			const code = await ended;
			throw new Error(tail.text || `${this.binary} exited with ${code ?? 'a signal'}`);
		}

		this.masters++;
		void ended.then(() => {
			if (this.closed || this.master !== child) return;
			this.master = undefined;
			this.onMasterGone(tail.text || 'the SSH connection closed');
		});
		stderr.unref();
		child.unref();
	}

	/** Resolves once the control socket exists (watched, not polled); `stop` ends the watch. */
	private socketBound(): {ready: Promise<true>; stop: () => void} {
		const path = this.controlPath;
		const isSocket = () => {
			try {
				return lstatSync(path).isSocket();
			} catch {
				return false;
			}
		};

		let stop = () => undefined as void;
		const ready = new Promise<true>((resolve) => {
			// ssh binds a temporary name and links it to the path: a rename event in the directory.
			const watcher = watch(this.directory, () => {
				if (isSocket()) resolve(true);
			});
			stop = () => {
				watcher.close();
			};
			if (isSocket()) resolve(true);
		});
		return {ready, stop};
	}
}
