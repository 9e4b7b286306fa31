import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {after, before, describe, test} from 'node:test';
import type {Flow} from '../../source/flow/types.js';
import {
	deleteCommand,
	dumpCommand,
	probeCommand,
	procTablePath,
	statsCommand,
	statsMarker,
} from '../../source/remote/commands.js';
import {parseFlowLine} from '../../source/remote/conntrack-line.js';
import {parseStatsText} from '../../source/remote/stats-text.js';
import {TestNamespace} from '../helpers/netns.js';

// The router-side commands run here by a real sh in a namespace the test made, against its real
// table: what ssh would run on the router, without ssh (the e2e tests add that).

let ns: TestNamespace;

function sh(script: string): string {
	return ns.run('sh', ['-c', script]);
}

/** A dump's answer: the table's lines, and the stats text after the marker. */
function split(output: string): {table: string[]; stats: string | undefined} {
	const lines = output.split('\n');
	const marker = lines.indexOf(statsMarker);
	if (marker === -1) return {table: lines.filter(Boolean), stats: undefined};
	return {
		table: lines.slice(0, marker).filter(Boolean),
		stats: lines.slice(marker + 1).join('\n'),
	};
}

function dump(): Flow[] {
	const now = Date.now();
	return split(sh(dumpCommand({kind: 'conntrack'}))).table.map((line) => {
		const flow = parseFlowLine(line, now);
		assert.ok(flow, `parses ${line}`);
		return flow;
	});
}

function find(flows: readonly Flow[], sport: number, zone = 0): Flow {
	const flow = flows.find((f) => f.original.sport === sport && f.zone === zone);
	assert.ok(flow, `flow with sport ${sport} in zone ${zone}`);
	return flow;
}

describe('router-side commands in a real sh against a real table', () => {
	before(() => {
		ns = TestNamespace.create('remote-cmd');
		const insert = (args: string[]) => ns.conntrack(['-I', ...args, '-t', '300']);
		insert([
			'-p',
			'tcp',
			'-s',
			'10.7.0.1',
			'-d',
			'10.7.0.2',
			'--sport',
			'1001',
			'--dport',
			'80',
			'--state',
			'ESTABLISHED',
		]);
		// The same tuple in zone 7: a delete must hit only the zone it names.
		insert(['-p', 'udp', '-s', '10.7.0.1', '-d', '10.7.0.2', '--sport', '1002', '--dport', '53']);
		insert([
			'-p',
			'udp',
			'-s',
			'10.7.0.1',
			'-d',
			'10.7.0.2',
			'--sport',
			'1002',
			'--dport',
			'53',
			'-w',
			'7',
		]);
		insert([
			'-p',
			'icmpv6',
			'-s',
			'2001:db8::1',
			'-d',
			'2001:db8::2',
			'--icmpv6-type',
			'128',
			'--icmpv6-code',
			'0',
			'--icmpv6-id',
			'9',
		]);
		insert([
			'-p',
			'tcp',
			'-s',
			'10.7.0.1',
			'-d',
			'10.7.0.2',
			'--sport',
			'1003',
			'--dport',
			'80',
			'--state',
			'ESTABLISHED',
		]);
	});

	after(() => {
		ns?.remove();
	});

	test('the probe says root, conntrack, a readable /proc table, and ends', () => {
		const lines = sh(probeCommand(procTablePath)).split('\n');
		assert.ok(lines.includes('uid 0'));
		assert.ok(lines.includes('conntrack'));
		assert.ok(lines.includes('proc'));
		assert.equal(lines.at(-2), 'end');
	});

	test('the probe quotes a hostile /proc path instead of running it', () => {
		const lines = sh(probeCommand("/nonexistent'; echo proc; echo '")).split('\n');
		assert.ok(!lines.includes('proc'));
	});

	test('the conntrack and /proc dumps parse line for line, to the same flows', () => {
		const flows = dump();
		assert.equal(flows.length, 5);
		const proc = split(sh(dumpCommand({kind: 'proc', path: procTablePath}))).table;
		const parsed = proc.map((line) => parseFlowLine(line, Date.now(), 'proc'));
		assert.ok(parsed.every(Boolean));
		// use too: /proc prints one more than netlink for the same entry, and the parser says so.
		const key = (f: Flow) =>
			`${f.proto} ${f.original.sport} ${f.original.icmpId} ${f.zone} use ${f.use}`;
		assert.deepEqual(parsed.map((f) => key(f!)).sort(), flows.map((f) => key(f)).sort());
	});

	test('the stats command reads the count and the per-CPU counters', () => {
		const stats = parseStatsText(sh(statsCommand({kind: 'conntrack'})));
		assert.equal(stats.count, 5);
		assert.ok((stats.counters.insert ?? 0) >= 5);
		assert.equal(stats.settings?.accounting, true);
		const proc = parseStatsText(sh(statsCommand({kind: 'proc', path: procTablePath})));
		assert.equal(proc.count, 5);
		assert.ok((proc.counters.insert ?? 0) >= 5);
	});

	test("a dump brings the stats in the same round trip, and exits with the table reader's status", () => {
		for (const reader of [{kind: 'conntrack'}, {kind: 'proc', path: procTablePath}] as const) {
			const {table, stats} = split(sh(dumpCommand(reader)));
			assert.equal(table.length, 5, reader.kind);
			assert.ok(stats !== undefined, `${reader.kind}: the stats follow the marker`);
			const parsed = parseStatsText(stats);
			assert.equal(parsed.count, 5, reader.kind);
			assert.ok((parsed.counters.insert ?? 0) >= 5, reader.kind);
		}

		const missing = spawnSync(
			'ip',
			[
				'netns',
				'exec',
				ns.name,
				'sh',
				'-c',
				dumpCommand({kind: 'proc', path: '/nonexistent/nf_conntrack'}),
			],
			{encoding: 'utf8'},
		);
		assert.notEqual(missing.status, 0, 'an unreadable table fails the dump');
		assert.ok(split(missing.stdout).stats !== undefined, 'the stats are still read');
	});

	test('a delete with a stale id (the tuple reused by another flow) deletes nothing', () => {
		const flow = find(dump(), 1003);
		const stale = {...flow, id: (flow.id + 1) >>> 0};
		assert.equal(sh(deleteCommand(stale)!).trim(), 'gone');
		find(dump(), 1003);
	});

	test('a delete in zone 7 removes that flow only, and a second one finds it gone', () => {
		const flow = find(dump(), 1002, 7);
		assert.equal(sh(deleteCommand(flow)!).trim(), 'deleted');
		const left = dump();
		assert.ok(!left.some((f) => f.original.sport === 1002 && f.zone === 7));
		find(left, 1002, 0);
		assert.equal(sh(deleteCommand(flow)!).trim(), 'gone');
	});

	test('deletes a zone-0 TCP flow and an ICMPv6 flow by tuple and id', () => {
		const flows = dump();
		assert.equal(sh(deleteCommand(find(flows, 1001))!).trim(), 'deleted');
		const icmp = flows.find((f) => f.proto === 'icmpv6');
		assert.ok(icmp);
		assert.equal(sh(deleteCommand(icmp)!).trim(), 'deleted');
		assert.equal(dump().length, 2);
	});

	test('refuses protocols conntrack cannot select and values out of range', () => {
		const flow = find(dump(), 1003);
		assert.equal(deleteCommand({...flow, protonum: 47, proto: 'gre'}), undefined);
		assert.throws(() => deleteCommand({...flow, original: {...flow.original, sport: 70_000}}));
		assert.throws(() => deleteCommand({...flow, id: -1}));
		assert.throws(() => deleteCommand({...flow, zone: 1.5}));
	});
});
