/**
 * CPU time of each filter keystroke in the TUI, which a loaded 2-core machine does not inflate
 * the way it inflates key-to-screen times: conntop in an 80x24 tmux pane inside an existing
 * namespace, `/`, then the scale bench's keystrokes (7, 7, 7, Backspace x3), each timed as the
 * CPU its processes' threads used (schedstat) from the key until its rows changed on screen,
 * beside that wall time. Idle work that lands in the window (1 Hz re-reads) counts too.
 *
 *   npm run build && NS=sc1m node --import tsx test/bench/filter-cpu.ts
 */
import {spawnSync} from 'node:child_process';
import {readdirSync, readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {Tmux} from '../helpers/tmux.js';
import {processTree} from './process-tree.js';

/** CPU ms of every thread of the processes under `root`, from schedstat (ns, not ticks). */
function cpuMsOf(root: number): number {
	let ns = 0;
	for (const {pid} of processTree(root)) {
		try {
			for (const tid of readdirSync(`/proc/${pid}/task`)) {
				ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
			}
		} catch {
			// The process or thread ended meanwhile.
		}
	}

	return ns / 1e6;
}

const name = process.env.NS;
if (!name) throw new Error('set NS to the name of a filled network namespace');
const cli = fileURLToPath(new URL('../../bin/conntop', import.meta.url));

function sleep(ms: number): void {
	spawnSync('sleep', [String(ms / 1000)]);
}

const flowRow = /^\s*(tcp|udp)\s+\d+\.\d+\.\d+\.\d+/;
const rowsOf = (tmux: Tmux) =>
	tmux
		.screen()
		.split('\n')
		.filter((line) => flowRow.test(line))
		.map((line) => line.replaceAll(/\d+:\d\d(:\d\d)?/g, ''))
		.join('\n');

const tmux = Tmux.start({command: `ip netns exec ${name} env -u CI ${cli}`, width: 80, height: 24});
try {
	while (rowsOf(tmux) === '' || tmux.screen().includes('reading the table')) sleep(100);
	sleep(3000);
	const pid = tmux.panePid();
	const cpuMs = () => cpuMsOf(pid);
	const figures: string[] = [];
	let before = cpuMs();
	tmux.keys('/');
	sleep(500);
	figures.push(`/ ${(cpuMs() - before).toFixed(0)}`);
	for (const [label, key, literal] of [
		['7', '7', true],
		['77', '7', true],
		['777', '7', true],
		['BS', 'BSpace', false],
		['BS', 'BSpace', false],
		['BS', 'BSpace', false],
	] as const) {
		sleep(300);
		const rows = rowsOf(tmux);
		before = cpuMs();
		const pressed = performance.now();
		if (literal) tmux.type(key);
		else tmux.keys(key);
		while (rowsOf(tmux) === rows && performance.now() - pressed < 10_000) sleep(1);
		const wall = performance.now() - pressed;
		const cpu = cpuMs() - before;
		figures.push(`${label} ${cpu.toFixed(0)} cpu/${wall.toFixed(0)} wall`);
	}

	console.log(figures.join(', '), 'ms');
} finally {
	tmux.keys('Escape');
	tmux.keys('q');
	sleep(300);
	tmux.kill();
}
