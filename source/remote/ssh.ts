/**
 * One SSH master connection to the router through the system's OpenSSH client, so ssh_config,
 * agents, ProxyJump and known_hosts work as they do for `ssh`. The master authenticates first,
 * on the terminal (a password or passphrase prompt works, before the TUI takes the screen);
 * every later command runs over it through a control socket in a private temp directory, and
 * costs a round trip instead of a handshake. `close` ends the master and removes the directory.
 */
import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
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
	private master: ChildProcess | undefined;
	private masterStderr = new Tail();
	private closed = false;
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
	 * Starts a new master after the old one died, without a terminal (BatchMode: a key or an
	 * agent must do; a password cannot be asked while the TUI has the screen). Rejects with
	 * ssh's message when it cannot.
	 */
	async reconnect(): Promise<void> {
		if (this.closed) throw new Error('the connection is closed');
		await this.startMaster(false);
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

	/**
	 * Runs `ssh -M -N -f`: it authenticates (on the terminal when `interactive`), then forks the
	 * master into the background and exits 0; any other exit is a failure, explained by what ssh
	 * printed. The master keeps our stderr pipe, so the pipe's end says the master is gone.
	 */
	private async startMaster(interactive: boolean): Promise<void> {
		const tail = new Tail();
		const child = spawn(
			this.binary,
			[
				...this.commonArgs(),
				'-M',
				'-N',
				'-f',
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
			// Prompts go to /dev/tty; stdin stays ours for ssh's own fallback when there is none.
			{stdio: [interactive ? 'inherit' : 'ignore', 'ignore', 'pipe']},
		);
		this.master = child;
		this.masterStderr = tail;
		const stderr = child.stderr as Socket;
		stderr.on('data', (chunk: Buffer) => {
			tail.reader.push(chunk);
		});
		const code = await new Promise<number | null>((resolve) => {
			child.on('error', (error) => {
				tail.reader.push(Buffer.from(`${error.message}\n`));
				resolve(null);
			});
			child.on('exit', (exitCode) => {
				resolve(exitCode);
			});
		});
		if (code !== 0) {
			tail.reader.end();
			throw new Error(tail.text || `${this.binary} exited with ${code ?? 'a signal'}`);
		}

		// The forked master holds the pipe open: its end means the master is gone.
		stderr.on('close', () => {
			tail.reader.end();
			if (!this.closed && this.masterStderr === tail)
				this.onMasterGone(tail.text || 'the SSH connection closed');
		});
		stderr.unref();
		child.unref();
	}
}
