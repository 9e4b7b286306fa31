/**
 * A program in a real terminal: one tmux server of its own (`-L`, a random socket name) with no
 * user config (`-f /dev/null`), so neither the user's tmux nor another test sees or changes it,
 * holding one session of a fixed size. Keys go in with send-keys; the screen comes back with
 * capture-pane. Used by the TUI tests, the terminal benchmark and the screenshot script.
 */
import {execFileSync, spawnSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {waitFor} from './ui-flows.js';

/** How to start a session. */
export interface TmuxOptions {
	/** The shell command the pane runs. */
	readonly command: string;
	readonly width: number;
	readonly height: number;
	/** The pane's working directory; default the test's own. */
	readonly cwd?: string;
	/** The session's name (a target for `run`); default `main`. */
	readonly name?: string;
}

/** A tmux server with one session; `kill` removes both. */
export class Tmux {
	/**
	 * Starts the server and its session running `options.command`. Throws, saying how to get
	 * it, when tmux is not installed: tests that need it fail rather than skip.
	 */
	static start(options: TmuxOptions): Tmux {
		const found = spawnSync('sh', ['-c', 'command -v tmux'], {encoding: 'utf8'});
		if (found.status !== 0) throw new Error('this needs tmux: run .ci/run, which installs it');
		const tmux = new Tmux(`conntop-${randomBytes(4).toString('hex')}`, options.name ?? 'main');
		const size = ['-x', String(options.width), '-y', String(options.height)];
		const cwd = options.cwd === undefined ? [] : ['-c', options.cwd];
		tmux.run('new-session', '-d', '-s', tmux.session, ...size, ...cwd, options.command);
		return tmux;
	}

	private constructor(
		/** The server's socket name (`tmux -L`). */
		readonly socket: string,
		/** The session's name, the target of every command here. */
		readonly session: string,
	) {}

	/** Any tmux command on this server; returns its stdout, throws when it fails. */
	run(...args: string[]): string {
		return execFileSync('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], {
			encoding: 'utf8',
		});
	}

	/** Sends keys by tmux name (`Enter`, `C-c`, `PageDown`) or `-H` hex bytes, as send-keys takes them. */
	keys(...keys: string[]): void {
		this.run('send-keys', '-t', this.session, ...keys);
	}

	/** Types `text` as it is, no key names (send-keys -l): one write to the program. */
	type(text: string): void {
		this.run('send-keys', '-t', this.session, '-l', text);
	}

	/** The visible screen as plain text, one line per row. */
	screen(): string {
		return this.run('capture-pane', '-p', '-t', this.session);
	}

	/** The visible screen with its SGR escapes (colours, bold, inverse) kept. */
	screenWithEscapes(): string {
		return this.run('capture-pane', '-e', '-p', '-t', this.session);
	}

	/**
	 * Polls the plain screen until `accept` holds and returns it; throws naming `what` with the
	 * last screen when `timeoutMs` passes first.
	 */
	async waitForScreen(
		accept: (text: string) => boolean,
		what: string,
		timeoutMs = 20_000,
	): Promise<string> {
		return waitFor(() => this.screen(), accept, timeoutMs, what);
	}

	/** A format variable of the pane (`alternate_on`, `cursor_flag`), as `display -p` prints it. */
	display(format: string): string {
		return this.run('display', '-p', '-t', this.session, format).trim();
	}

	/** The pid of the pane's first process: the command, or a shell when it has one. */
	panePid(): number {
		return Number(this.display('#{pane_pid}'));
	}

	/** Ends the server, its session and what runs in it; safe to call twice. */
	kill(): void {
		spawnSync('tmux', ['-L', this.socket, 'kill-server']);
	}
}
