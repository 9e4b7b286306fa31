/**
 * What the screen shows after time has passed, while traffic flows: the kernel grows counters
 * and refreshes timeouts on every packet without sending an event, and entries made before
 * conntop listened never send DESTROY. The real binary runs in tmux on a namespace joined by a
 * veth pair to a second one; a steady TCP transfer and a steady UDP stream cross it, and what
 * the screen says is compared with `conntrack -L` read at the same moment.
 */
import assert from 'node:assert/strict';
import type {ChildProcess} from 'node:child_process';
import {join} from 'node:path';
import {after, before, test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {repoRoot, TestNamespace} from '../helpers/netns.js';
import {Tmux} from '../helpers/tmux.js';
import {waitFor} from '../helpers/ui-flows.js';

let tmux: Tmux | undefined;
const traffic = fileURLToPath(new URL('../helpers/steady-traffic.mts', import.meta.url));
let local: TestNamespace | undefined;
let peer: TestNamespace | undefined;
const children: ChildProcess[] = [];

function screen(): string {
	return tmux!.screen();
}

/** Bytes as conntop prints them (`21.3M`, `597K`, `812`), as a number. */
function parseAmount(text: string): number {
	const match = /^([\d.]+)([KMGT]?)/.exec(text);
	assert.ok(match, `not an amount: ${text}`);
	const scale = {'': 1, K: 1e3, M: 1e6, G: 1e9, T: 1e12}[match[2]] ?? 1;
	return Number(match[1]) * scale;
}

/** The TTL, bytes and rate cells of the row whose destination is `destination`. */
function rowFigures(text: string, destination: string) {
	const line = text.split('\n').find((row) => row.includes(destination));
	if (!line) return undefined;
	// TTL (m:ss), then bytes, then the rate (`/s`): the columns `c` adds after the TTL.
	const match = /(\d+):(\d\d)\s+(\S+)\s+(\S+)\/s/.exec(line);
	if (!match) return undefined;
	return {
		ttl: Number(match[1]) * 60 + Number(match[2]),
		bytes: parseAmount(match[3]),
		rate: parseAmount(match[4]),
		line,
	};
}

/** Total bytes (both directions) per destination port, from `conntrack -L` in the namespace. */
function kernelBytes(): Map<number, number> {
	const out = new Map<number, number>();
	for (const line of local!.conntrack(['-L', '-o', 'extended']).split('\n')) {
		const port = /dport=(\d+)/.exec(line);
		const bytes = [...line.matchAll(/bytes=(\d+)/g)].map((m) => Number(m[1]));
		if (port && bytes.length === 2) out.set(Number(port[1]), bytes[0] + bytes[1]);
	}

	return out;
}

before(() => {
	local = TestNamespace.create('live');
	peer = TestNamespace.create('peer');
	local.vethTo(peer);
	// A short stream timeout: without the re-read, the UDP row would run down to 0:00 in 10 s.
	local.sysctl('net.netfilter.nf_conntrack_udp_timeout_stream', 10);
});

after(() => {
	tmux?.kill();
	for (const child of children) child.kill('SIGKILL');
	local?.remove();
	peer?.remove();
});

test('counters, rates and TTLs on screen follow the kernel while traffic flows, and expired entries leave', async () => {
	// Entries made before conntop starts send no DESTROY when they expire (nobody listened).
	for (let i = 0; i < 3; i++) {
		local!.conntrack([
			'-I',
			'-p',
			'udp',
			'-s',
			'10.99.0.1',
			'-d',
			'10.99.0.2',
			'--sport',
			String(6000 + i),
			'--dport',
			'53',
			'-t',
			'10',
		]);
	}

	const server = peer!.spawn(
		process.execPath,
		['--import', 'tsx', traffic, 'server', '10.77.0.2', '60'],
		{stdio: 'ignore'},
	);
	children.push(server);
	const command = `env -u CI ${process.execPath} ${join(repoRoot, 'dist/cli.js')} --netns ${local!.name} -s rate -r; sleep 600`;
	tmux = Tmux.start({command, width: 200, height: 40, cwd: repoRoot});
	await tmux.waitForScreen((text) => text.includes('10.99.0.2:53'), 'the inserted entries');
	tmux.type('c');
	await tmux.waitForScreen((text) => text.includes('Bytes'), 'the counter columns', 5000);

	// Watch the inserted entries run out: never more than a tick at 0:00, then gone.
	const zeroSince = new Map<string, number>();
	let longestZeroMs = 0;
	let goneAt = 0;
	// When the kernel itself stopped listing them (a dump skips and evicts expired entries): the
	// screen is measured against that, not against a clock that a loaded machine stretches.
	let kernelGoneAt = 0;
	for (const deadline = performance.now() + 30_000; performance.now() < deadline;) {
		if (kernelGoneAt === 0 && local!.conntrack(['-L', '-p', 'udp', '--dport', '53']).trim() === '')
			kernelGoneAt = performance.now();
		const text = screen();
		const rows = text.split('\n').filter((row) => row.includes('10.99.0.2:53'));
		if (rows.length === 0) {
			goneAt = performance.now();
			break;
		}

		for (const row of rows) {
			const port = /10\.99\.0\.1:(\d+)/.exec(row)?.[1] ?? '?';
			if (/\s0:00\s/.test(row)) {
				const since = zeroSince.get(port) ?? performance.now();
				zeroSince.set(port, since);
				longestZeroMs = Math.max(longestZeroMs, performance.now() - since);
			} else {
				zeroSince.delete(port);
			}
		}

		await new Promise((resolve) => setTimeout(resolve, 200));
	}

	assert.ok(goneAt > 0, 'the expired entries left the screen');
	const lag = goneAt - (kernelGoneAt || goneAt);
	assert.ok(
		lag <= 3000,
		`gone from the screen ${Math.round(lag)} ms after the kernel dropped them`,
	);
	assert.ok(longestZeroMs <= 2000, `a row showed 0:00 for ${Math.round(longestZeroMs)} ms`);
	assert.equal(local!.conntrack(['-L', '-p', 'udp', '--dport', '53']).trim(), '');

	const client =
		peer &&
		local!.spawn(process.execPath, ['--import', 'tsx', traffic, 'client', '10.77.0.2', '40'], {
			stdio: ['ignore', 'pipe', 'ignore'],
		});
	children.push(client!);
	await new Promise<void>((resolve) => client!.stdout!.once('data', () => resolve()));
	await waitFor(
		screen,
		(text) => Boolean(rowFigures(text, '10.77.0.2:5001') && rowFigures(text, '10.77.0.2:5002')),
		10_000,
		'both flows with counters',
	);

	// The rate the kernel's own counters give over five seconds of traffic.
	const startBytes = kernelBytes();
	const startAt = performance.now();
	await waitFor(
		() => performance.now() - startAt,
		(elapsed) => elapsed >= 5000,
		7000,
		'five seconds of traffic',
	);
	const endBytes = kernelBytes();
	const seconds = (performance.now() - startAt) / 1000;
	const measured = (port: number) => (endBytes.get(port)! - startBytes.get(port)!) / seconds;

	// Let 15 s of traffic pass in all, so that one tick of age is a small share of the bytes.
	await waitFor(
		() => performance.now() - startAt,
		(elapsed) => elapsed >= 10_000,
		12_000,
		'more traffic',
	);
	const text = screen();
	const kernel = kernelBytes();
	const tcp = rowFigures(text, '10.77.0.2:5001');
	const udp = rowFigures(text, '10.77.0.2:5002');
	assert.ok(tcp && udp, text);

	for (const [name, row, port] of [
		['tcp', tcp, 5001],
		['udp', udp, 5002],
	] as const) {
		const truth = kernel.get(port)!;
		assert.ok(
			Math.abs(row.bytes - truth) <= truth * 0.1,
			`${name} bytes on screen ${row.bytes}, conntrack -L ${truth}\n${row.line}`,
		);
		const rate = measured(port);
		assert.ok(
			Math.abs(row.rate - rate) <= rate * 0.3,
			`${name} rate on screen ${row.rate}/s, measured ${Math.round(rate)}/s\n${row.line}`,
		);
	}

	// The kernel refreshes the stream's 10 s timeout on every packet; so must the screen.
	assert.ok(udp.ttl >= 8, `udp TTL ${udp.ttl} s on screen while the stream runs\n${udp.line}`);
	// Sorted by rate, biggest first (-r), the busier flow comes first.
	const order =
		text.split('\n').findIndex((row) => row.includes('10.77.0.2:5001')) <
		text.split('\n').findIndex((row) => row.includes('10.77.0.2:5002'));
	assert.ok(order, `tcp first when sorted by rate:\n${text}`);
});
