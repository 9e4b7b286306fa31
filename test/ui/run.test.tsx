import assert from 'node:assert/strict';
import {EventEmitter} from 'node:events';
import {afterEach, describe, test} from 'node:test';
import {bracketedPasteOff, bracketedPasteOn} from '../../source/ui/input-batch.js';
import {runTui} from '../../source/ui/run.js';
import {enterSequence, leaveSequence} from '../../source/ui/screen.js';
import type {TuiDeps} from '../../source/ui/types.js';
import {
	FakeClock,
	FakeSync,
	makeFlow,
	recordingDeleter,
	tableWith,
	tuiOptions,
	waitFor,
} from '../helpers/ui-flows.js';
import {FakeKeyboard, FakeTty} from '../helpers/fake-terminal.js';
import {stripAnsi} from '../helpers/ui-render.js';

function setup(overrides: Partial<TuiDeps> = {}) {
	const clock = new FakeClock();
	const table = tableWith(
		[makeFlow({id: 1, src: '10.0.0.1', dst: '10.0.0.2', sport: 1111, dport: 80})],
		clock.now(),
	);
	const stdout = new FakeTty();
	const stdin = new FakeKeyboard();
	const deps: TuiDeps = {
		table,
		sync: new FakeSync(),
		deleter: recordingDeleter().deleter,
		deleteLogPath: '/tmp/log.jsonl',
		now: clock.now,
		stdout: stdout as unknown as NodeJS.WriteStream,
		stdin: stdin as unknown as NodeJS.ReadStream,
		...overrides,
	};
	return {stdout, stdin, deps};
}

const stderrWrite = process.stderr.write.bind(process.stderr);
let stderr = '';
afterEach(() => {
	process.stderr.write = stderrWrite;
	stderr = '';
});

function captureStderr() {
	process.stderr.write = (chunk: string) => {
		stderr += chunk;
		return true;
	};
}

describe('runTui', () => {
	test('draws in the alternate screen with bracketed paste on; q restores the terminal (paste mode too) and resolves 0', async () => {
		const {stdout, stdin, deps} = setup();
		const exit = runTui(deps, tuiOptions());
		await waitFor(
			() => stripAnsi(stdout.output),
			(t) => t.includes('10.0.0.1:1111'),
		);
		assert.ok(
			stdout.output.startsWith(enterSequence + bracketedPasteOn),
			'paste marked from the start',
		);
		assert.deepEqual(stdin.rawMode, [true]);
		stdin.type('q');
		assert.equal(await exit, 0);
		assert.ok(
			stdout.output.endsWith(bracketedPasteOff + leaveSequence),
			'main screen and cursor back last',
		);
		assert.deepEqual(stdin.rawMode, [true, false]);
	});

	test("never draws on the terminal's last row", async () => {
		const {stdout, stdin, deps} = setup();
		const exit = runTui(deps, tuiOptions());
		await waitFor(
			() => stripAnsi(stdout.output),
			(t) => t.includes('q quit'),
		);
		// eslint-disable-next-line no-control-regex -- cursor moves (CUP) start with ESC
		const rows = [...stdout.output.matchAll(/\u001B\[(\d+);\d+H/g)].map((m) => Number(m[1]));
		assert.ok(Math.max(...rows) <= 29, `highest row ${Math.max(...rows)}`);
		// eslint-disable-next-line no-control-regex -- ED 3 (clear scrollback) starts with ESC
		assert.doesNotMatch(stdout.output, /\u001B\[3J/);
		stdin.type('\u0003');
		assert.equal(await exit, 130);
	});

	for (const [signal, code] of [
		['SIGTERM', 143],
		['SIGHUP', 129],
	] as const) {
		test(`${signal} restores the terminal and resolves ${code}`, async () => {
			const {stdout, stdin, deps} = setup();
			const before = process.listenerCount(signal);
			const exit = runTui(deps, tuiOptions());
			await waitFor(
				() => stripAnsi(stdout.output),
				(t) => t.includes('10.0.0.1:1111'),
			);
			process.emit(signal, signal);
			assert.equal(await exit, code);
			assert.ok(stdout.output.endsWith(bracketedPasteOff + leaveSequence));
			assert.deepEqual(stdin.rawMode, [true, false]);
			assert.equal(process.listenerCount(signal), before, 'no handler left behind');
		});
	}

	test('a crash restores the terminal, prints the error and resolves 1', async () => {
		const {stdout, deps} = setup();
		// The test runner fails the test on any uncaught exception; step it aside for this one.
		const runner = process.listeners('uncaughtException');
		process.removeAllListeners('uncaughtException');
		try {
			captureStderr();
			const exit = runTui(deps, tuiOptions());
			await waitFor(
				() => stripAnsi(stdout.output),
				(t) => t.includes('10.0.0.1:1111'),
			);
			for (const listener of process.listeners('uncaughtException')) {
				listener(new Error('kaboom'), 'uncaughtException');
			}
			assert.equal(await exit, 1);
			assert.ok(stdout.output.endsWith(bracketedPasteOff + leaveSequence));
			assert.match(stderr, /conntop crashed: Error: kaboom/);
			assert.equal(process.listenerCount('uncaughtException'), 0, 'no handler left behind');
		} finally {
			for (const listener of runner) process.on('uncaughtException', listener);
		}
	});

	test('an error while rendering restores the terminal and resolves 1', async () => {
		const {stdout, deps} = setup();
		let broken = false;
		const table = deps.table;
		const query = table.query.bind(table);
		table.query = ((...args: Parameters<typeof query>) => {
			if (broken) throw new Error('render failed');
			return query(...args);
		}) as typeof table.query;
		captureStderr();
		const exit = runTui(deps, tuiOptions());
		await waitFor(
			() => stripAnsi(stdout.output),
			(t) => t.includes('10.0.0.1:1111'),
		);
		broken = true;
		assert.equal(await exit, 1);
		assert.ok(stdout.output.endsWith(bracketedPasteOff + leaveSequence));
		assert.match(stderr, /render failed/);
	});

	test('without a terminal it says so and resolves 2 without touching the screen', async () => {
		const {stdout, deps} = setup({
			stdin: Object.assign(new EventEmitter(), {isTTY: false}) as unknown as NodeJS.ReadStream,
		});
		captureStderr();
		assert.equal(await runTui(deps, tuiOptions()), 2);
		assert.equal(stdout.output, '');
		assert.match(stderr, /needs a terminal/);
	});

	test('Ctrl-L repaints the whole screen', async () => {
		const {stdout, stdin, deps} = setup();
		const exit = runTui(deps, tuiOptions());
		await waitFor(
			() => stripAnsi(stdout.output),
			(t) => t.includes('10.0.0.1:1111'),
		);
		stdout.output = '';
		stdin.type('\u000C');
		await waitFor(
			() => stdout.output,
			(t) => t.includes('\u001B[2J') && stripAnsi(t).includes('10.0.0.1:1111'),
		);
		stdin.type('q');
		assert.equal(await exit, 0);
	});

	test('a resize redraws at once for the new width', async () => {
		const {stdout, stdin, deps} = setup();
		const exit = runTui(deps, tuiOptions());
		await waitFor(
			() => stripAnsi(stdout.output),
			(t) => t.includes('NAT'),
		);
		stdout.output = '';
		stdout.columns = 80;
		stdout.emit('resize');
		await waitFor(
			() => stripAnsi(stdout.output),
			(t) => t.includes(' N State'),
		);
		stdin.type('q');
		assert.equal(await exit, 0);
	});
});
