/**
 * The TUI at scale, in a real terminal: conntop in an 80x24 tmux pane inside a filled namespace.
 * Measures the time from start to the first screen with flow rows, idle CPU and resident memory
 * of every process in the pane's tree (the main process, the event child, nsenter when
 * `--netns` is used), and key-to-screen latency: send-keys, then poll capture-pane until the
 * part of the screen the key must change has changed (TTL countdowns blanked).
 */
import {spawnSync} from 'node:child_process';
import {basename} from 'node:path';
import {fileURLToPath} from 'node:url';
import type {TestNamespace} from '../helpers/netns.js';
import {Tmux} from '../helpers/tmux.js';
import {cpuSeconds, processTree, type ProcessFigures} from './process-tree.js';

// The launcher, as the package's bin and `npm start` run conntop: it enters --netns before
// Node starts and sets Node's flags (bin/conntop).
const cli = fileURLToPath(new URL('../../bin/conntop', import.meta.url));

/** What one TUI session showed. */
export interface TuiFigures {
	/** Start of the pane to the first screen with flow rows (or the header, when empty). */
	readonly firstScreenMs: number;
	/** Start of the pane until the header no longer says the table is being read. */
	readonly loadedMs: number;
	readonly idleSeconds: number;
	/** Whether a background re-dump finished inside the idle window. */
	readonly idleRefreshed: boolean;
	/** CPU of every process in the pane's tree over the idle window, % of one core. */
	readonly idleCpuPercent: number;
	/** Sum of VmRSS over conntop's processes after the idle window, kB. */
	readonly rssKb: number;
	/** Command names of conntop's processes (`conntop`, `node`, `nsenter`). */
	readonly processes: readonly string[];
	/** How many of them run Node. */
	readonly nodeProcesses: number;
	/** Key name to the latencies of its presses, ms (NaN: the screen did not change in 10 s). */
	readonly keys: Readonly<Record<string, readonly number[]>>;
}

/** Processes in the pane that are the pane's shell, not conntop. */
const notConntop = new Set(['sh', 'bash', 'dash']);

function sleep(ms: number): void {
	spawnSync('sleep', [String(ms / 1000)]);
}

/** A flow row as the table draws it: protocol, then a source address. */
const flowRow = /^\s*(tcp|udp)\s+\d+\.\d+\.\d+\.\d+/;

function withoutTimes(line: string): string {
	return line.replaceAll(/\d+:\d\d(:\d\d)?/g, '');
}

/** The flow rows only, TTLs blanked: what a sort, a reverse or a filter must change. */
function rowsOf(tmux: Tmux): string {
	return tmux
		.screen()
		.split('\n')
		.filter((line) => flowRow.test(line))
		.map(withoutTimes)
		.join('\n');
}

/**
 * Everything below the two header lines (their rates and counts move by themselves), with
 * colours and inverse video kept (PgDn may first move only the highlight) and TTLs blanked.
 */
function bodyOf(tmux: Tmux): string {
	return tmux.screenWithEscapes().split('\n').slice(2).map(withoutTimes).join('\n');
}

/** The age of the counters the header gives ("counters 4s old", "counters 2m old"), seconds. */
function counterAge(screen: string): number | undefined {
	const match = /counters (\d+)([smhd]) old/.exec(screen);
	if (!match) return undefined;
	const unit = {s: 1, m: 60, h: 3600, d: 86_400}[match[2] as 's' | 'm' | 'h' | 'd'];
	return Number(match[1]) * unit;
}

/** Presses `key` and polls until `view` changes; ms, or NaN after 10 s. */
function latency(tmux: Tmux, key: string, view: (tmux: Tmux) => string, literal = false): number {
	const before = view(tmux);
	const pressed = performance.now();
	if (literal) tmux.type(key);
	else tmux.keys(key);
	while (performance.now() - pressed < 10_000) {
		if (view(tmux) !== before) return performance.now() - pressed;
	}

	return Number.NaN;
}

/** The median; NaN counts as slower than any figure. */
export function median(values: readonly number[]): number {
	const sorted = values.map((v) => (Number.isNaN(v) ? Infinity : v)).sort((a, b) => a - b);
	const middle = sorted[Math.floor(sorted.length / 2)];
	return middle === Infinity ? Number.NaN : middle;
}

function conntopProcesses(pid: number): ProcessFigures[] {
	return processTree(pid).filter((figures) => !notConntop.has(figures.command));
}

/**
 * Starts `conntop ...args` in tmux (inside `ns` unless `args` has `--netns`), waits for its
 * first screen, measures `idleSeconds` of idle and, with `presses` > 0, that many presses of
 * each key: `r` (reverse), PgDn, filter keystrokes (`/` then `7`, `7`, `7`, Backspace ×3), `b`
 * (next sort column). Quits and removes the pane in every case.
 */
export function measureTui(
	ns: Pick<TestNamespace, 'name'>,
	flows: number,
	options: {
		idleSeconds: number;
		presses: number;
		args?: readonly string[];
		/** Whether the idle window waits for a background re-dump (default true). */
		waitForRedump?: boolean;
	},
): TuiFigures {
	const args = options.args ?? [];
	const inside = args.includes('--netns') ? '' : `ip netns exec ${ns.name} `;
	const started = performance.now();
	const tmux = Tmux.start({
		command: `${inside}env -u CI ${cli} ${args.join(' ')}`,
		width: 80,
		height: 24,
	});
	try {
		let firstScreenMs = Number.NaN;
		while (performance.now() - started < 180_000) {
			const screen = tmux.screen();
			const rows = screen.split('\n').filter((line) => flowRow.test(line)).length;
			if (flows > 0 ? rows >= Math.min(3, flows) : /flows\s+0/.test(screen)) {
				firstScreenMs = performance.now() - started;
				break;
			}

			sleep(10);
		}

		// The whole table is in once the header stops saying it is reading it; idle starts after.
		let loadedMs = Number.NaN;
		while (performance.now() - started < 600_000) {
			if (!tmux.screen().includes('reading the table')) {
				loadedMs = performance.now() - started;
				break;
			}

			sleep(100);
		}

		// Let the first sort, the event child and the first re-read settle before measuring.
		sleep(3000);
		const pid = tmux.panePid();
		const cpu = () => cpuSeconds(pid);
		const cpuBefore = cpu();
		const idleStart = performance.now();
		// The idle window holds at least one background re-dump (its period is chosen so that
		// dumps cost ~3% of a core): it runs until the counters' age drops, at least
		// `idleSeconds`, at most 16 minutes (the longest period is 15).
		let lastAge = counterAge(tmux.screen());
		let refreshed = false;
		while (performance.now() - idleStart < 960_000) {
			sleep(1000);
			const age = counterAge(tmux.screen());
			if (age !== undefined && lastAge !== undefined && age < lastAge) refreshed = true;
			if (age !== undefined) lastAge = age;
			// No age on screen (no background re-dump to wait for): the minimum window only.
			const done = refreshed || lastAge === undefined || options.waitForRedump === false;
			if (done && performance.now() - idleStart >= options.idleSeconds * 1000) break;
		}

		const idleSeconds = (performance.now() - idleStart) / 1000;
		const idleCpuPercent = ((cpu() - cpuBefore) / idleSeconds) * 100;
		const processes = conntopProcesses(pid);

		const keys: Record<string, number[]> = {};
		const press = (name: string, key: string, view: (tmux: Tmux) => string, literal = false) => {
			(keys[name] ??= []).push(latency(tmux, key, view, literal));
			// The next press starts from a settled screen.
			sleep(300);
		};

		for (let i = 0; i < options.presses; i++) press('r', 'r', rowsOf);
		for (let i = 0; i < options.presses; i++) press('PgDn', 'PageDown', bodyOf);
		if (options.presses > 0) {
			tmux.keys('/');
			sleep(500);
			for (const key of ['7', '7', '7']) press('filter keystroke', key, rowsOf, true);
			for (let i = 0; i < 3; i++) press('filter keystroke', 'BSpace', rowsOf);
			tmux.keys('Escape');
			sleep(1000);
		}

		// `b` steps through sort columns; some (dst, dport: one value here) leave the rows in
		// the same order, so the sort column's mark in the header line counts as the change.
		for (let i = 0; i < options.presses; i++) press('b', 'b', bodyOf);

		return {
			firstScreenMs,
			loadedMs,
			idleSeconds,
			idleRefreshed: refreshed,
			idleCpuPercent,
			rssKb: processes.reduce((sum, figures) => sum + figures.rssKb, 0),
			processes: processes.map((figures) => figures.command),
			nodeProcesses: processes.filter(
				(figures) => figures.executable === basename(process.execPath),
			).length,
			keys,
		};
	} finally {
		try {
			tmux.keys('q');
			sleep(300);
		} catch {
			// The server is gone already; kill() below is safe anyway.
		}

		tmux.kill();
	}
}
