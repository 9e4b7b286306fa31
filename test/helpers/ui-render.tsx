/**
 * Renders the App with ink-testing-library on fixed flows, a fake clock, a fake sync and a
 * recording deleter, and reads frames as plain lines.
 */
import {render} from 'ink-testing-library';
import type {Flow} from '../../source/flow/types.js';
import {App} from '../../source/ui/app.js';
import type {DeleteReport, TuiDeps, TuiOptions} from '../../source/ui/types.js';
import {
	FakeClock,
	FakeEvents,
	FakeSync,
	recordingDeleter,
	tableWith,
	tuiOptions,
	waitFor,
} from './ui-flows.js';

// eslint-disable-next-line no-control-regex -- CSI sequences, which start with ESC, are what it strips
const ansi = /\u001B\[[\d;:?]*[ -/]*[@-~]/g;

/** `text` without escape sequences. */
export function stripAnsi(text: string): string {
	return text.replace(ansi, '');
}

/** What renderApp is given; all optional. */
export interface RenderAppOptions {
	readonly options?: Partial<TuiOptions>;
	readonly deps?: Partial<TuiDeps>;
	readonly answer?: (flows: readonly Flow[]) => DeleteReport;
	readonly events?: boolean;
}

/** Renders the App on `flows` and returns handles to drive and read it. */
export function renderApp(flows: readonly Flow[], setup: RenderAppOptions = {}) {
	const clock = new FakeClock();
	const table = tableWith(flows, clock.now());
	const sync = new FakeSync();
	const events = setup.events ? new FakeEvents() : undefined;
	const {calls, deleter} = recordingDeleter(setup.answer);
	const exits: number[] = [];
	let redraws = 0;
	const deps: TuiDeps = {
		table,
		sync,
		deleter,
		deleteLogPath: '/var/log/conntop-test.jsonl',
		now: clock.now,
		events,
		...setup.deps,
	};
	const options = tuiOptions(setup.options);
	const instance = render(
		<App
			deps={deps}
			options={options}
			onExit={(code) => exits.push(code)}
			onRedraw={() => {
				redraws++;
			}}
		/>,
	);

	const raw = () => instance.lastFrame() ?? '';
	const text = () => stripAnsi(raw());
	const lines = () => text().split('\n');

	return {
		clock,
		table,
		sync,
		events,
		calls,
		exits,
		get redraws() {
			return redraws;
		},
		instance,
		raw,
		text,
		lines,
		/** Writes keys as a terminal sends them. */
		press(keys: string) {
			instance.stdin.write(keys);
		},
		/** Waits until the plain frame satisfies `accept` (or contains it, for a string). */
		async frame(accept: string | ((text: string) => boolean), what?: string) {
			const test = typeof accept === 'string' ? (t: string) => t.includes(accept) : accept;
			return waitFor(
				text,
				test,
				2000,
				what ?? (typeof accept === 'string' ? JSON.stringify(accept) : 'frame'),
			);
		},
		/** The raw line (with escapes) whose plain text contains `needle`. */
		rawLine(needle: string): string | undefined {
			return raw()
				.split('\n')
				.find((line) => stripAnsi(line).includes(needle));
		},
		/** The plain table line under the cursor (drawn inverse), below the column titles. */
		cursorLine(): string | undefined {
			const all = raw().split('\n');
			const titles = all.findIndex((line) => /Proto|Flows/.test(stripAnsi(line)));
			const line = all.slice(titles + 1).find((l) => l.includes('\u001B[7m'));
			return line === undefined ? undefined : stripAnsi(line);
		},
		unmount() {
			instance.unmount();
			instance.cleanup();
		},
	};
}

/** The keys a terminal sends. */
export const keys = {
	up: '\u001B[A',
	down: '\u001B[B',
	pageUp: '\u001B[5~',
	pageDown: '\u001B[6~',
	home: '\u001B[H',
	end: '\u001B[F',
	enter: '\r',
	escape: '\u001B',
	backspace: '\u007F',
	space: ' ',
	ctrlC: '\u0003',
	ctrlL: '\u000C',
	ctrlU: '\u0015',
} as const;
