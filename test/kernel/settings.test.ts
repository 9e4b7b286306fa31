import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {fileURLToPath} from 'node:url';
import type {KernelStats} from '../../source/flow/source.js';
import {recordStats, troubleFigures} from '../../source/ui/kernel-rates.js';
import {TestNamespace} from '../helpers/netns.js';

const probe = fileURLToPath(new URL('../helpers/kernel-probe.ts', import.meta.url));

/** One stats sample read by the kernel client inside the namespace. */
function readStats(ns: TestNamespace): KernelStats {
	const out = ns.run(process.execPath, ['--import', 'tsx', probe, 'stats']);
	return (JSON.parse(out) as {stats: KernelStats}).stats;
}

/** `conntrack -S` summed over CPUs. */
function conntrackStats(ns: TestNamespace): Record<string, number> {
	const sums: Record<string, number> = {};
	for (const line of ns.conntrack(['-S']).split('\n').filter(Boolean)) {
		for (const [, key, value] of line.matchAll(/(\w+)=(\d+)/g)) {
			if (key !== 'cpu') sums[key] = (sums[key] ?? 0) + Number(value);
		}
	}

	return sums;
}

/**
 * Opens `count` loopback TCP connections, one after the other, and waits for each to close.
 * With the SYN untracked (see below) each SYN-ACK reaches conntrack as a first packet that
 * cannot open a TCP entry: the kernel counts it invalid (once on output, once on input).
 */
function connectTimes(ns: TestNamespace, count: number): void {
	const code = `const net = await import('node:net');
const server = net.createServer((socket) => socket.end('hi'));
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
for (let i = 0; i < ${count}; i++) {
	await new Promise((resolve, reject) => {
		const socket = net.connect(server.address().port, '127.0.0.1');
		socket.on('data', () => {});
		socket.on('error', reject);
		socket.on('close', resolve);
	});
}
server.close();`;
	ns.run(process.execPath, ['--input-type=module', '--eval', code]);
}

describe('accounting and timestamp sysctls', () => {
	let ns: TestNamespace;

	before(() => {
		ns = TestNamespace.create('sysctl');
	});

	after(() => {
		ns?.remove();
	});

	test("stats carry the namespace's nf_conntrack_acct and nf_conntrack_timestamp as sysctl -w sets them", () => {
		assert.deepEqual(readStats(ns).settings, {accounting: true, timestamps: true});
		ns.sysctl('net.netfilter.nf_conntrack_acct', 0);
		assert.deepEqual(readStats(ns).settings, {accounting: false, timestamps: true});
		ns.sysctl('net.netfilter.nf_conntrack_timestamp', 0);
		assert.deepEqual(readStats(ns).settings, {accounting: false, timestamps: false});
		ns.sysctl('net.netfilter.nf_conntrack_acct', 1);
		assert.deepEqual(readStats(ns).settings, {accounting: true, timestamps: false});
		ns.sysctl('net.netfilter.nf_conntrack_timestamp', 1);
		assert.deepEqual(readStats(ns).settings, {accounting: true, timestamps: true});
	});

	test('another namespace with them off does not change what this one reads', () => {
		const other = TestNamespace.create('sysctl', {acct: false, timestamp: false});
		try {
			assert.deepEqual(readStats(other).settings, {accounting: false, timestamps: false});
			assert.deepEqual(readStats(ns).settings, {accounting: true, timestamps: true});
		} finally {
			other.remove();
		}
	});
});

describe('kernel trouble counters since start', () => {
	let ns: TestNamespace;

	before(() => {
		ns = TestNamespace.create('invalid');
		// Untracked SYNs: the SYN-ACK is then the first packet conntrack sees of a connection.
		ns.nft(`table inet conntop_invalid {
	chain raw_out { type filter hook output priority raw; tcp flags & (syn | ack) == syn notrack; }
	chain raw_pre { type filter hook prerouting priority raw; tcp flags & (syn | ack) == syn notrack; }
}`);
	});

	after(() => {
		ns?.remove();
	});

	test('invalid since start equals the change conntrack -S shows over the same time', () => {
		const listedBefore = conntrackStats(ns);
		let history = recordStats(undefined, {stats: readStats(ns), time: 0});
		connectTimes(ns, 5);
		history = recordStats(history, {stats: readStats(ns), time: 1000});
		const listedAfter = conntrackStats(ns);

		const figures = troubleFigures(history, 1000)!;
		const invalid = figures.find((figure) => figure.name === 'invalid')!;
		const delta = listedAfter.invalid - listedBefore.invalid;
		assert.ok(delta >= 5, `the SYN-ACKs were counted invalid (conntrack -S moved by ${delta})`);
		assert.equal(invalid.sinceStart, delta);
		assert.equal(invalid.burst, true);
		for (const figure of figures) {
			assert.equal(
				figure.sinceStart,
				listedAfter[figure.name] - listedBefore[figure.name],
				`${figure.name} since start`,
			);
		}
	});
});
