/**
 * Starts the TUI on a terminal and gives the terminal back whatever happens: on quit, Ctrl-C,
 * SIGTERM, SIGHUP, SIGINT, and on a crash (restore, print the error, exit code 1).
 */
import {render} from 'ink';
import {App} from './app.js';
import {bracketedPasteOff, bracketedPasteOn} from './input-batch.js';
import {Screen} from './screen.js';
import type {TuiDeps, TuiOptions} from './types.js';
import {textWidthReady} from '../view/text.js';

export type {EventFeed, TuiDeps, TuiOptions} from './types.js';

/** Exit codes of the signals the TUI handles: 128 + signal number, as shells report them. */
export const signalExitCodes = {SIGHUP: 129, SIGINT: 130, SIGTERM: 143} as const;

/**
 * Runs the TUI until the user quits (0; Ctrl-C 130), a signal arrives (128 + its number), or
 * it crashes (1, after printing the error to stderr). Resolves once the UI is unmounted and
 * the terminal restored: main screen back, cursor shown, raw mode off. The caller stops the
 * sync and exits. Returns 2 at once, without touching the screen, when stdin or stdout is
 * not a terminal.
 *
 * Ink runs in debug mode into a `Screen` (see screen.ts for why), which switches to the
 * alternate screen before the first frame and back after the last. Bracketed paste is on in
 * between, and off again on every way out.
 */
export async function runTui(deps: TuiDeps, options: TuiOptions): Promise<number> {
	const stdout = deps.stdout ?? process.stdout;
	const stdin = deps.stdin ?? process.stdin;
	if (!stdin.isTTY || !stdout.isTTY) {
		process.stderr.write('conntop: the interactive view needs a terminal (try --once or --json)\n');
		return 2;
	}

	// Older Node cannot load string-width in the middle of a frame (view/text.ts).
	await textWidthReady();
	const screen = new Screen(stdout);
	let resolveDone!: (code: number) => void;
	const done = new Promise<number>((resolve) => {
		resolveDone = resolve;
	});
	let exitCode: number | undefined;
	let finished = false;
	let instance: ReturnType<typeof render> | undefined;

	const signalHandlers = Object.entries(signalExitCodes).map(([signal, code]) => {
		const handler = () => {
			stop(code);
		};

		process.on(signal, handler);
		return [signal, handler] as const;
	});

	const restore = () => {
		for (const [signal, handler] of signalHandlers) process.off(signal, handler);
		process.off('uncaughtException', crash);
		process.off('unhandledRejection', crash);
		stdout.write(bracketedPasteOff);
		screen.leave();
	};

	const finish = (code: number) => {
		if (finished) return;
		finished = true;
		restore();
		resolveDone(code);
	};

	function crash(error: unknown): void {
		if (finished) return;
		try {
			instance?.unmount();
		} catch {
			// The terminal comes first; a failing unmount must not keep it in the alternate screen.
		}

		restore();
		const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
		process.stderr.write(`conntop crashed: ${text}\n`);
		finished = true;
		resolveDone(1);
	}

	function stop(code: number): void {
		if (exitCode !== undefined) return;
		exitCode = code;
		instance?.unmount();
	}

	process.on('uncaughtException', crash);
	process.on('unhandledRejection', crash);
	screen.enter();
	// Pasted text then comes marked, so the app can tell it from typing and never act on it.
	stdout.write(bracketedPasteOn);
	try {
		instance = render(
			<App
				deps={deps}
				options={options}
				onExit={stop}
				onRedraw={() => {
					screen.invalidate();
				}}
			/>,
			{
				stdout: screen as unknown as NodeJS.WriteStream,
				stdin,
				debug: true,
				exitOnCtrlC: false,
				patchConsole: false,
				isScreenReaderEnabled: false,
			},
		);
	} catch (error) {
		crash(error);
		return done;
	}

	instance.waitUntilExit().then(
		() => {
			finish(exitCode ?? 0);
		},
		(error: unknown) => {
			crash(error);
		},
	);
	return done;
}
