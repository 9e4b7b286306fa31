/**
 * `conntop --events --json` (the real binary, default receive buffer) under a sustained insert
 * rate: every 100 ms a `conntrack -R` of the entries due by then, for several seconds, while conntop writes
 * NDJSON to a file. Counts the NEW events it printed and the `lost` lines it reported, and the
 * CPU of all its processes (main and event child) from the first insert until its output stops.
 */
import {closeSync, openSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {TestNamespace} from '../helpers/netns.js';
import {benchTag} from './guard.js';
import {cpuSeconds} from './process-tree.js';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

/** One sustained run. */
export interface SustainedEvents {
	readonly inserted: number;
	/** Inserts per second the kernel took, over the insert window. */
	readonly insertRate: number;
	readonly insertSeconds: number;
	/** NEW events conntop printed. */
	readonly received: number;
	/** `{"event":"lost"}` lines conntop printed. */
	readonly lost: number;
	/** CPU of conntop's processes from the first insert to its last line, % of one core. */
	readonly cpuPercent: number;
	/** What conntop said on stderr, its last 500 characters. */
	readonly stderr: string;
	/** Its exit code or signal when it ended before it was stopped; undefined while it ran. */
	readonly endedEarly?: string;
}

async function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => {
		setTimeout(resolve, ms);
	});
}

function countLines(file: string): {news: number; lost: number; lines: number} {
	const text = readFileSync(file, 'utf8');
	let news = 0;
	let lost = 0;
	let lines = 0;
	for (const line of text.split('\n')) {
		if (!line) continue;
		lines++;
		if (line.startsWith('{"event":"new"')) news++;
		else if (line.startsWith('{"event":"lost"')) lost++;
	}

	return {news, lost, lines};
}

/** Inserts `perSecond` entries a second for `seconds` seconds while conntop follows them. */
export async function sustainedEvents(
	perSecond: number,
	seconds: number,
): Promise<SustainedEvents> {
	const ns = TestNamespace.create(benchTag('scaleev'), {acct: false, timestamp: false});
	const output = join(tmpdir(), `${ns.name}-events.ndjson`);
	const total = perSecond * seconds;
	const lines: string[] = [];
	for (let i = 0; i < total; i++) {
		lines.push(
			`-I -p udp -s 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255} -d 10.250.0.1 --sport ${1024 + (i % 60000)} --dport 53 -t 3600`,
		);
	}

	const file = join(tmpdir(), `${ns.name}-events.txt`);
	try {
		const fd = openSync(output, 'w');
		const {CI: _ci, ...env} = process.env;
		const child = ns.spawn(process.execPath, [cli, '--events', '--json'], {
			stdio: ['ignore', fd, 'pipe'],
			env,
		});
		closeSync(fd);
		const exited = new Promise((resolve) => child.on('exit', resolve));
		let errors = '';
		try {
			child.stderr!.on('data', (data: Buffer) => {
				errors += data.toString();
			});
			const deadline = Date.now() + 20_000;
			while (!errors.includes('following conntrack events')) {
				if (Date.now() > deadline || child.exitCode !== null)
					throw new Error(`conntop --events did not start: ${errors}`);
				await sleep(20);
			}

			// `ip netns exec` execs into node, so the child's pid is conntop's main process.
			const cpuBefore = cpuSeconds(child.pid!);
			const start = performance.now();
			// Every 100 ms, one `conntrack -R` of what is due by then: a slow round is caught up by
			// the next, so the rate holds over the whole window.
			let inserted = 0;
			while (inserted < total) {
				const due = Math.min(total, Math.round(((performance.now() - start) / 1000) * perSecond));
				if (due > inserted) {
					writeFileSync(file, lines.slice(inserted, due).join('\n') + '\n');
					ns.conntrack(['-R', file]);
					inserted = due;
				}

				await sleep(Math.max(1, 100 - ((performance.now() - start) % 100)));
			}

			const insertSeconds = (performance.now() - start) / 1000;
			// Done when the output stops growing for 3 s (or 30 s pass); its size is watched,
			// the lines counted once at the end, so the watching costs next to nothing.
			let size = statSync(output).size;
			let lastChange = performance.now();
			while (
				performance.now() - lastChange < 3000 &&
				performance.now() - start < 30_000 + seconds * 1000
			) {
				await sleep(100);
				const now = statSync(output).size;
				if (now !== size) {
					size = now;
					lastChange = performance.now();
				}
			}

			const last = countLines(output);
			const cpu = (cpuSeconds(child.pid!) - cpuBefore) / ((lastChange - start) / 1000);
			return {
				inserted: total,
				insertRate: total / insertSeconds,
				insertSeconds,
				received: last.news,
				lost: last.lost,
				cpuPercent: cpu * 100,
				stderr: errors.slice(-500),
				endedEarly:
					child.exitCode === null && child.signalCode === null
						? undefined
						: String(child.exitCode ?? child.signalCode),
			};
		} finally {
			child.kill('SIGTERM');
			await Promise.race([exited, sleep(5000)]);
		}
	} finally {
		rmSync(file, {force: true});
		rmSync(output, {force: true});
		ns.remove();
	}
}
