/**
 * Terminal benchmark: conntop against iptstate (where installed), each only ever inside a tmux
 * pane (iptstate without a terminal writes blank output forever), on the same namespace table.
 * Measures idle CPU (from /proc/PID/stat), bytes written to the terminal per second (tmux
 * pipe-pane), and keypress-to-screen latency (send-keys, then poll capture-pane for a change).
 */
import {spawnSync} from 'node:child_process';
import {rmSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import type {TestNamespace} from '../helpers/netns.js';
import {Tmux} from '../helpers/tmux.js';
import {cpuSeconds} from './process-tree.js';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
/** Figures of one program in one terminal size. */
export interface TerminalFigures {
	program: string;
	size: string;
	idleCpuPercent: number;
	bytesPerSecond: number;
	keyLatencyMs: number;
}

function sleep(ms: number): void {
	spawnSync('sleep', [String(ms / 1000)]);
}

/**
 * Runs `command` in a tmux pane of `width`x`height` inside the namespace, waits `settleMs`,
 * then measures `idleSeconds` of idle, then the latency of `key` (until the screen changes).
 */
export function measureInTmux(
	program: string,
	ns: TestNamespace,
	command: string,
	width: number,
	height: number,
	options: {settleMs: number; idleSeconds: number; key: string},
): TerminalFigures {
	const log = join(tmpdir(), `bench-${program}-${process.pid}.out`);
	rmSync(log, {force: true});
	const tmux = Tmux.start({command: `ip netns exec ${ns.name} ${command}`, width, height});
	try {
		sleep(options.settleMs);
		// The program's own pid: the pane runs `ip netns exec`, which execs into it.
		const pid = tmux.panePid();
		tmux.run('pipe-pane', '-t', tmux.session, `cat >> ${log}`);
		const cpuBefore = cpuSeconds(pid);
		const start = Date.now();
		sleep(options.idleSeconds * 1000);
		const elapsed = (Date.now() - start) / 1000;
		const cpu = (cpuSeconds(pid) - cpuBefore) / elapsed;
		tmux.run('pipe-pane', '-t', tmux.session);
		const bytes = statSync(log, {throwIfNoEntry: false})?.size ?? 0;

		// The TTL columns tick every second: compare screens with the times blanked out.
		const before = tmux.screen();
		const keyAt = performance.now();
		tmux.keys(options.key);
		let latency = Number.NaN;
		while (performance.now() - keyAt < 10_000) {
			const now = tmux.screen();
			if (sortedHead(now) !== sortedHead(before)) {
				latency = performance.now() - keyAt;
				break;
			}
		}

		return {
			program,
			size: `${width}x${height}`,
			idleCpuPercent: cpu * 100,
			bytesPerSecond: bytes / elapsed,
			keyLatencyMs: latency,
		};
	} finally {
		tmux.kill();
		rmSync(log, {force: true});
	}
}

/**
 * The first data rows with their time columns blanked: a reverse-sort key changes which rows
 * come first, while the 1 s countdown alone does not.
 */
function sortedHead(screen: string): string {
	return screen
		.split('\n')
		.slice(0, 12)
		.map((line) => line.replaceAll(/\d+:\d\d(:\d\d)?/g, '').replaceAll(/\s+/g, ' '))
		.join('\n');
}

/** Whether a program is installed. */
export function installed(program: string): boolean {
	return spawnSync('sh', ['-c', `command -v ${program}`], {encoding: 'utf8'}).status === 0;
}

/** conntop and (if present) iptstate in the same namespace, 80x24 and 200x50. */
export function benchTerminals(ns: TestNamespace, idleSeconds: number): TerminalFigures[] {
	const rows: TerminalFigures[] = [];
	for (const [width, height] of [
		[80, 24],
		[200, 50],
	] as const) {
		rows.push(
			measureInTmux('conntop', ns, `env -u CI ${process.execPath} ${cli}`, width, height, {
				settleMs: 4000,
				idleSeconds,
				key: 'r',
			}),
		);
		if (installed('iptstate')) {
			rows.push(
				measureInTmux('iptstate', ns, 'iptstate', width, height, {
					settleMs: 6000,
					idleSeconds,
					key: 'r',
				}),
			);
		}
		// flowtop (netsniff-ng) is left out: it exits at start without GeoIP databases, and
		// `flowtop --update` needs a network this machine does not have.
	}

	return rows;
}

/** Prints the terminal figures. */
export function printTerminalTable(flows: number, rows: readonly TerminalFigures[]): void {
	console.log(`\nTerminal at ${flows} flows, idle then one key ('r', reverse sort), inside tmux`);
	// Idle CPU counts every process of the program (conntop's event child too), with conntop's
	// visible re-read and background refresh running as they do for a user.
	console.log('program   size     idle CPU (all processes)   written/s   key to screen');
	for (const r of rows) {
		console.log(
			[
				r.program.padEnd(9),
				r.size.padEnd(8),
				`${r.idleCpuPercent.toFixed(1)}%`.padStart(25),
				`${(r.bytesPerSecond / 1024).toFixed(2)} KB`.padStart(11),
				(Number.isNaN(r.keyLatencyMs) ? 'no change' : `${r.keyLatencyMs.toFixed(0)} ms`).padStart(
					15,
				),
			].join(' '),
		);
	}
}
