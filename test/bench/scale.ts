/**
 * Scale benchmark (issue 12): conntop at 100k and 1M flows against `conntrack -L` measured in
 * the same run, every figure beside its target with PASS or FAIL.
 *
 * - `--once` (text, `--json`, `--csv`; no sort), with `--sort sport` and with
 *   `--group-by src24`: whole process wall time (medians of SCALE_ROUNDS runs, alternated with
 *   `conntrack -L > /dev/null`) and the peak RSS of every process it starts (dump.ts
 *   `timeCommand`); per flow is the peak over the same command's on an empty table.
 * - Start-up: `--once` on an empty table.
 * - The TUI in tmux (scale-tui.ts): first screen, idle CPU, keys, memory of all processes; the
 *   empty TUI's memory and, with `--netns NAME`, how many node processes it runs.
 * - `--events --json` at 30k inserts/s for SCALE_EVENT_SECONDS (scale-events.ts).
 *
 * The namespace limit is the init namespace's `nf_conntrack_max`; it is raised for the run when
 * the largest table would not fit, and put back after, interrupted or not (guard.ts).
 *
 * Run: `sudo BENCH_SCALE_SIZES=100000,1000000 node --import tsx test/bench/scale.ts` (after
 * `npm run build`; also part of `npm run bench`). SCALE_ROUNDS=3, SCALE_IDLE_SECONDS=20,
 * SCALE_PRESSES=5, SCALE_EVENT_SECONDS=10 by default; SCALE_PARTS=empty,sizes,events chooses parts.
 */
import {spawnSync} from 'node:child_process';
import {cpus, loadavg, totalmem} from 'node:os';
import {fileURLToPath} from 'node:url';
import {TestNamespace} from '../helpers/netns.js';
import {fillNamespace, timeCommand} from './dump.js';
import {benchTag, restoreSysctls, setInitSysctl, superviseUnlessWorker} from './guard.js';
import {sustainedEvents} from './scale-events.js';
import {measureTui, median, type TuiFigures} from './scale-tui.js';

const supervised = await superviseUnlessWorker(new URL(import.meta.url));
if (supervised !== undefined) process.exit(supervised);

const sizes = (process.env.BENCH_SCALE_SIZES ?? '100000,1000000').split(',').map(Number);
const rounds = Number(process.env.SCALE_ROUNDS ?? 3);
const idleSeconds = Number(process.env.SCALE_IDLE_SECONDS ?? 20);
const presses = Number(process.env.SCALE_PRESSES ?? 5);
const eventSeconds = Number(process.env.SCALE_EVENT_SECONDS ?? 10);
const eventRate = 30_000;
/** Which parts run: `empty` (start-up, baselines), `sizes`, `events`; all by default. */
const parts = new Set((process.env.SCALE_PARTS ?? 'empty,sizes,events').split(','));
const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const node = process.execPath;

/** The `--once` commands, by the name they are printed under. */
const onceCommands: ReadonlyArray<{name: string; args: string[]; sorted: boolean}> = [
	{name: '--once', args: ['--once'], sorted: false},
	{name: '--once --json', args: ['--once', '--json'], sorted: false},
	{name: '--once --csv', args: ['--once', '--csv'], sorted: false},
	{name: '--once --sort sport', args: ['--once', '--sort', 'sport'], sorted: true},
	{name: '--once --group-by src24', args: ['--once', '--group-by', 'src24'], sorted: true},
];

/** One line of the result table. */
interface Check {
	what: string;
	flows: string;
	conntop: string;
	reference: string;
	ratio: string;
	target: string;
	/** undefined: printed for information, no target. */
	pass?: boolean;
}

const checks: Check[] = [];
const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;
const ms = (value: number) =>
	Number.isNaN(value)
		? 'no change'
		: value >= 10_000
			? `${(value / 1000).toFixed(1)} s`
			: `${value.toFixed(0)} ms`;
const count = (n: number) => n.toLocaleString('en-US');

function sysctl(key: string): string {
	return spawnSync('sysctl', ['-n', key], {encoding: 'utf8'}).stdout.trim();
}

function check(entry: Check): void {
	checks.push(entry);
	const result = entry.pass === undefined ? '' : entry.pass ? 'PASS' : 'FAIL';
	console.log(
		`  ${entry.what} (${entry.flows}): ${entry.conntop} ${entry.reference ? `vs ${entry.reference} ` : ''}${entry.ratio ? `ratio ${entry.ratio} ` : ''}${entry.target ? `target ${entry.target} ` : ''}${result}`,
	);
}

function runOnce(ns: TestNamespace, args: readonly string[]) {
	return timeCommand(ns, [node, cli, ...args], false, true);
}

/** Empty-table figures: start-up, each --once command's peak RSS, the TUI's baseline. */
function measureEmpty(): {onceRssKb: Map<string, number>; tui: TuiFigures} {
	const ns = TestNamespace.create(benchTag('scale'), {acct: false, timestamp: false});
	try {
		const startup = Array.from({length: 7}, () => runOnce(ns, ['--once']).ms);
		const conntrack = Array.from({length: 7}, () => timeCommand(ns, ['conntrack', '-L']).ms);
		check({
			what: 'start-up: `--once`, empty table',
			flows: '0',
			conntop: ms(median(startup)),
			reference: ms(median(conntrack)),
			ratio: '',
			target: '<= 150 ms',
			pass: median(startup) <= 150,
		});
		const onceRssKb = new Map<string, number>();
		for (const command of onceCommands) {
			onceRssKb.set(
				command.name,
				median(Array.from({length: 3}, () => runOnce(ns, command.args).treeRssKb)),
			);
		}

		const tui = measureTui(ns, 0, {idleSeconds: 5, presses: 0});
		check({
			what: `TUI baseline memory, all processes (${tui.processes.join(', ')})`,
			flows: '0',
			conntop: mb(tui.rssKb),
			reference: '',
			ratio: '',
			target: '<= 130 MB',
			pass: tui.rssKb <= 130 * 1024,
		});
		const viaNetns = measureTui(ns, 0, {idleSeconds: 2, presses: 0, args: ['--netns', ns.name]});
		const nodes = viaNetns.nodeProcesses;
		check({
			what: `\`--netns NAME\` processes (${viaNetns.processes.join(', ')}), memory`,
			flows: '0',
			conntop: `${nodes} node, ${mb(viaNetns.rssKb)}`,
			reference: '',
			ratio: '',
			target: '<= 2 node processes',
			pass: nodes <= 2,
		});
		return {onceRssKb, tui};
	} finally {
		ns.remove();
	}
}

/** Every figure at one table size. */
function measureSize(n: number, empty: {onceRssKb: Map<string, number>; tui: TuiFigures}): void {
	const ns = TestNamespace.create(benchTag('scale'), {acct: false, timestamp: false});
	try {
		const fillStart = performance.now();
		fillNamespace(ns, n);
		console.log(
			`\n${count(n)} flows (filled through one \`conntrack -R\` in ${ms(performance.now() - fillStart)})`,
		);

		const conntrack: number[] = [];
		const runs = new Map(
			onceCommands.map((command) => [
				command.name,
				[] as Array<{ms: number; treeRssKb: number; processes: string[]}>,
			]),
		);
		for (let round = 0; round < rounds; round++) {
			for (const command of onceCommands) {
				conntrack.push(timeCommand(ns, ['conntrack', '-L']).ms);
				runs.get(command.name)!.push(runOnce(ns, command.args));
			}
		}

		const reference = median(conntrack);
		for (const command of onceCommands) {
			const figures = runs.get(command.name)!;
			const wall = median(figures.map((f) => f.ms));
			const peak = median(figures.map((f) => f.treeRssKb));
			const limit = command.sorted ? 2 : 1.2;
			check({
				what: `\`${command.name}\`, whole process (${figures[0].processes.join(', ')})`,
				flows: count(n),
				conntop: ms(wall),
				reference: ms(reference),
				ratio: (wall / reference).toFixed(2),
				target: `<= ${limit}x`,
				pass: wall / reference <= limit,
			});
			const perFlow = ((peak - empty.onceRssKb.get(command.name)!) * 1024) / n;
			const rssTarget =
				n < 1_000_000 ? undefined : command.sorted ? perFlow <= 300 : peak <= 100 * 1024;
			check({
				what: `\`${command.name}\`, peak RSS of all its processes`,
				flows: count(n),
				conntop: `${mb(peak)} (${perFlow.toFixed(0)} B/flow over empty)`,
				reference: '',
				ratio: '',
				target: n < 1_000_000 ? '' : command.sorted ? '<= 300 B/flow' : '<= 100 MB',
				pass: rssTarget,
			});
		}

		// The entries were made with accounting and timestamps off (the dump stays the same: an
		// entry keeps the extensions it was made with); turned on now, the header's fourth line
		// shows how old the counters are rather than the two warnings, and the idle window uses
		// it to wait for a background re-dump.
		ns.sysctl('net.netfilter.nf_conntrack_acct', 1);
		ns.sysctl('net.netfilter.nf_conntrack_timestamp', 1);
		const tui = measureTui(ns, n, {idleSeconds, presses});
		check({
			what: 'TUI first screen with rows',
			flows: count(n),
			conntop: ms(tui.firstScreenMs),
			reference: ms(reference),
			ratio: (tui.firstScreenMs / reference).toFixed(2),
			target: '<= 1x',
			pass: n < 1_000_000 ? undefined : tui.firstScreenMs <= reference,
		});
		check({
			what: 'TUI whole table read (header no longer says "reading the table")',
			flows: count(n),
			conntop: ms(tui.loadedMs),
			reference: ms(reference),
			ratio: (tui.loadedMs / reference).toFixed(2),
			target: '',
		});
		for (const [key, latencies] of Object.entries(tui.keys)) {
			const value = median(latencies);
			check({
				what: `TUI key to screen, \`${key}\` (median of ${latencies.length}; ${latencies.map((v) => (Number.isNaN(v) ? '-' : v.toFixed(0))).join(', ')})`,
				flows: count(n),
				conntop: ms(value),
				reference: '',
				ratio: '',
				target: '<= 50 ms',
				pass: n < 1_000_000 ? undefined : value <= 50,
			});
		}

		check({
			what: `TUI idle CPU, all processes, live refresh on (${tui.idleSeconds.toFixed(0)} s${tui.idleRefreshed ? ', one background re-dump in it' : ', no background re-dump in it'})`,
			flows: count(n),
			conntop: `${tui.idleCpuPercent.toFixed(1)}%`,
			reference: '',
			ratio: '',
			target: '<= 5%',
			pass: n < 1_000_000 ? undefined : tui.idleCpuPercent <= 5,
		});
		const perFlow = ((tui.rssKb - empty.tui.rssKb) * 1024) / n;
		check({
			what: `TUI memory, all processes (${tui.processes.join(', ')})`,
			flows: count(n),
			conntop: `${mb(tui.rssKb)} (${perFlow.toFixed(0)} B/flow over empty)`,
			reference: '',
			ratio: '',
			target: '<= 600 B/flow',
			pass: n < 1_000_000 ? undefined : perFlow <= 600,
		});
	} finally {
		ns.remove();
	}
}

/** The table of every check, as Markdown (the README takes it as it is). */
function printTable(): void {
	const header = ['measure', 'flows', 'conntop', '`conntrack -L`', 'ratio', 'target', 'result'];
	const rows = checks.map((c) => [
		c.what,
		c.flows,
		c.conntop,
		c.reference,
		c.ratio,
		c.target,
		c.pass === undefined ? '' : c.pass ? 'PASS' : '**FAIL**',
	]);
	const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
	const line = (cells: string[]) =>
		`| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
	console.log(line(header));
	console.log(line(widths.map((w) => '-'.repeat(w))));
	for (const row of rows) console.log(line(row));
}

const started = new Date();
const revision = spawnSync(
	'git',
	['-C', fileURLToPath(new URL('.', import.meta.url)), 'rev-parse', '--short', 'HEAD'],
	{
		encoding: 'utf8',
	},
).stdout.trim();
console.log(
	`\nScale (issue 12), ${started.toISOString()}, conntop ${revision || '(no git)'}, Node ${process.version}, ` +
		`kernel ${sysctl('kernel.osrelease')}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GB; ` +
		`sizes ${sizes.join(', ')}; ${rounds} rounds; net.core.rmem_max ${sysctl('net.core.rmem_max')}`,
);
const needed = Math.ceil(
	Math.max(
		...(parts.has('sizes') ? sizes : [0]),
		parts.has('events') ? eventRate * eventSeconds : 0,
	) * 1.1,
);
if (Number(sysctl('net.netfilter.nf_conntrack_max')) < needed) {
	setInitSysctl('net.netfilter.nf_conntrack_max', needed);
	console.log(`nf_conntrack_max raised to ${needed} for the run (put back after)`);
}

try {
	if (parts.has('sizes') || parts.has('empty')) {
		const empty = measureEmpty();
		if (parts.has('sizes')) for (const n of sizes) measureSize(n, empty);
	}

	const events = parts.has('events') ? await sustainedEvents(eventRate, eventSeconds) : undefined;
	if (events?.stderr) console.log(`  conntop --events said: ${events.stderr.trim()}`);
	if (events?.endedEarly) console.log(`  conntop --events ended by itself: ${events.endedEarly}`);
	if (events)
		check({
			what: `\`--events --json\`, ${count(events.inserted)} inserts over ${events.insertSeconds.toFixed(1)} s (${count(Math.round(events.insertRate))}/s); CPU of all processes ${events.endedEarly === undefined ? `${events.cpuPercent.toFixed(0)}% of a core` : 'not known (conntop ended by itself)'}`,
			flows: '',
			conntop: `${count(events.received)} NEW printed, ${events.lost} lost reports`,
			reference: '',
			ratio: '',
			target: `no loss at >= ${count(eventRate * 0.95)}/s`,
			pass:
				events.received === events.inserted &&
				events.lost === 0 &&
				events.insertRate >= eventRate * 0.95,
		});

	// Other work on the machine moves every figure here: say how busy it was.
	console.log(
		`\nScale results (${((Date.now() - started.getTime()) / 60_000).toFixed(0)} min; load average at the end ${loadavg()
			.map((load) => load.toFixed(1))
			.join(' ')} on ${cpus().length} cores)`,
	);
	printTable();
} finally {
	restoreSysctls();
}
