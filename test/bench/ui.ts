/**
 * TUI benchmark: runs the real `runTui` on fake terminals over synthetic tables and prints
 * idle CPU, bytes written per second, keypress-to-frame latency, and the frame rate under an
 * event storm. Not a test: it prints figures against the targets (idle CPU <= 5% of a core at
 * 100k flows, keypress <= 50 ms, <= 2 KB/s to an idle 80x24 terminal).
 *
 * Run: node --import tsx test/bench/ui.ts   (IDLE_SECONDS=10 and FLOWS=1000,10000,100000 by
 * default). With CI set, the "Ink direct" baseline writes nothing until exit, so run it
 * without CI to see that row.
 */
import {EventEmitter} from 'node:events';
import {performance} from 'node:perf_hooks';
import {createElement} from 'react';
import {render} from 'ink';
import {FlowTable} from '../../source/model/table.js';
import {App} from '../../source/ui/app.js';
import {runTui} from '../../source/ui/run.js';
import type {TuiDeps, TuiOptions} from '../../source/ui/types.js';
import {FakeKeyboard, FakeTty} from '../helpers/fake-terminal.js';
import {syntheticEvents, syntheticFlows} from '../helpers/synthetic-flows.js';

const idleSeconds = Number(process.env.IDLE_SECONDS ?? 10);
const sizes = (process.env.FLOWS ?? '1000,10000,100000').split(',').map(Number);
const terminals = [
	[80, 24],
	[200, 50],
] as const;

class QuietSync extends EventEmitter {
	status = {resyncs: 0, eventsDown: false, skipped: 0};
	async resync() {}
	watch() {}
}

const options: TuiOptions = {
	sort: 'src',
	reverse: false,
	readOnly: true,
	color: true,
	dns: false,
	intervalMs: 1000,
	hostname: 'bench',
	canDelete: false,
};

async function sleep(ms: number) {
	return new Promise((resolve) => {
		setTimeout(resolve, ms);
	});
}

function makeTable(count: number): FlowTable {
	const table = new FlowTable();
	table.applySnapshot(syntheticFlows(count, 7), Date.now());
	return table;
}

interface Session {
	tty: FakeTty;
	keyboard: FakeKeyboard;
	sync: QuietSync;
	table: FlowTable;
	exit: Promise<number>;
}

function depsFor(table: FlowTable, sync: QuietSync): TuiDeps {
	return {
		table,
		sync: sync as unknown as TuiDeps['sync'],
		deleter: () => Promise.resolve({deleted: 0, gone: 0, failed: []}),
		deleteLogPath: '/dev/null',
		now: Date.now,
	};
}

async function start(table: FlowTable, columns: number, rows: number): Promise<Session> {
	const tty = new FakeTty(columns, rows, false);
	const keyboard = new FakeKeyboard();
	const sync = new QuietSync();
	const exit = runTui(
		{
			...depsFor(table, sync),
			stdout: tty as unknown as NodeJS.WriteStream,
			stdin: keyboard as unknown as NodeJS.ReadStream,
		},
		options,
	);
	// Let the first frames, the first sort and the table's garbage settle before measuring.
	await sleep(3000);
	return {tty, keyboard, sync, table, exit};
}

async function stop(session: Session) {
	session.keyboard.type('q');
	await session.exit;
}

/** CPU share of one core and bytes/s written over `seconds`. */
async function measure(tty: {bytes: number}, seconds: number) {
	const bytes = tty.bytes;
	const cpu = process.cpuUsage();
	const wall = performance.now();
	await sleep(seconds * 1000);
	const used = process.cpuUsage(cpu);
	const elapsed = (performance.now() - wall) / 1000;
	return {
		cpu: ((used.user + used.system) / 1e6 / elapsed) * 100,
		bytesPerSecond: (tty.bytes - bytes) / elapsed,
	};
}

/** Milliseconds from a key to the terminal receiving the frame it causes (NaN: none came). */
async function keyLatency(session: Session, keys: string): Promise<number> {
	const {tty, keyboard} = session;
	const began = performance.now();
	const drawn = new Promise<number>((resolve) => {
		tty.once('wrote', () => {
			resolve(performance.now() - began);
		});
	});
	keyboard.type(keys);
	const result = await Promise.race([drawn, sleep(2000).then(() => Number.NaN)]);
	// Past the escape-key flush and the redraw throttle, so keys do not queue.
	await sleep(60);
	return result;
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(2)} KB/s`;
const pct = (value: number) => `${value.toFixed(1)}%`;
const ms = (value: number) => `${value.toFixed(1)} ms`;

function row(count: number, columns: number, rows: number, cpu: number, bytes: number) {
	return `${String(count).padEnd(9)} ${`${columns}x${rows}`.padEnd(9)} ${pct(cpu).padEnd(8)} ${kb(bytes)}`;
}

async function idleTable(): Promise<FlowTable | undefined> {
	console.log('Idle, through runTui and the screen layer: CPU of one core, bytes written');
	console.log(
		'flows     terminal  CPU      written        (targets: <= 5% at 100k, <= 2 KB/s at 80x24)',
	);
	let largest: FlowTable | undefined;
	for (const count of sizes) {
		const table = makeTable(count);
		largest = table;
		for (const [columns, rows] of terminals) {
			const session = await start(table, columns, rows);
			const result = await measure(session.tty, idleSeconds);
			await stop(session);
			console.log(row(count, columns, rows, result.cpu, result.bytesPerSecond));
		}
	}

	return largest;
}

async function inkDirect(table: FlowTable) {
	console.log(`\nBaseline: the same App, Ink writing to the terminal itself (no screen layer)`);
	if (process.env.CI)
		console.log('(CI is set: Ink writes only at exit, these figures mean nothing)');
	for (const [columns, rows] of terminals) {
		const tty = new FakeTty(columns, rows, false);
		const instance = render(
			createElement(App, {deps: depsFor(table, new QuietSync()), options, onExit() {}}),
			{
				stdout: tty as unknown as NodeJS.WriteStream,
				stdin: new FakeKeyboard() as unknown as NodeJS.ReadStream,
				exitOnCtrlC: false,
				patchConsole: false,
			},
		);
		await sleep(1500);
		const result = await measure(tty, idleSeconds);
		instance.unmount();
		console.log(row(table.size, columns, rows, result.cpu, result.bytesPerSecond));
	}
}

async function keys(table: FlowTable) {
	console.log(
		`\nKeypress to frame on the terminal, ${table.size} flows, 80x24 (median / worst of 5)`,
	);
	const session = await start(table, 80, 24);
	const cases: Array<{name: string; before?: string[]; key: string; after?: string[]}> = [
		{name: 'j (cursor down)', key: 'j'},
		{name: 'PgDn', key: '\u001B[6~'},
		{name: 'b (re-sort by the next column)', key: 'b'},
		{name: 'r (reverse)', key: 'r'},
		{name: 'a filter character (text search)', before: ['/'], key: 'd', after: ['\u001B']},
		{name: 'a filter character (port term)', before: ['/dport:44'], key: '3', after: ['\u001B']},
		// Right after a filter changes, and with an invalid one held: once 380-760 ms (issue 14).
		{
			name: 'PgDn after committing src:10.0.3',
			before: ['/', 'src:10.0.3', '\r'],
			key: '\u001B[6~',
			after: ['/', '\u001B'],
		},
		{
			name: 'PgDn, prompt holds src:10.0.3/ (bad)',
			before: ['/', 'src:10.0.3/'],
			key: '\u001B[6~',
			after: ['\u001B'],
		},
		{name: 'g (group by / ungroup)', key: 'g'},
		{name: 'Enter (details)', key: '\r', after: ['\u001B']},
	];
	for (const {name, before = [], key, after = []} of cases) {
		const times: number[] = [];
		for (let i = 0; i < 5; i++) {
			for (const k of before) await keyLatency(session, k);
			times.push(await keyLatency(session, key));
			for (const k of after) await keyLatency(session, k);
		}

		const worst = Math.max(...times);
		console.log(`${name.padEnd(36)} ${ms(median(times)).padStart(9)} / ${ms(worst).padStart(9)}`);
	}

	await stop(session);
}

async function storm(table: FlowTable) {
	console.log(`\nEvent storm: ${table.size} flows, 2,000 events/s in 10 ms batches, 80x24, 5 s`);
	const session = await start(table, 80, 24);
	const flows = syntheticFlows(2000, 11);
	let batch = 0;
	const timer = setInterval(() => {
		session.table.applyEvents(syntheticEvents(flows, 20, batch++, Date.now()), Date.now());
		session.sync.emit('changed');
	}, 10);
	const writes = session.tty.writes;
	const result = await measure(session.tty, 5);
	clearInterval(timer);
	const frames = (session.tty.writes - writes) / 5;
	await stop(session);
	console.log(
		`CPU ${pct(result.cpu)} (table updates included), ${frames.toFixed(1)} frames/s (cap 20), ${kb(result.bytesPerSecond)}`,
	);
}

console.log(`conntop TUI benchmark (${idleSeconds} s idle windows, Node ${process.version})\n`);
const largest = await idleTable();
if (largest) {
	await inkDirect(largest);
	await keys(largest);
	await storm(largest);
}

console.log(`\nRSS ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MB`);
process.exit(0);
