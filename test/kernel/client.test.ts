import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {fileURLToPath} from 'node:url';
import type {FlowJson} from '../../source/flow/json.js';
import {permissionMessage} from '../../source/kernel/kernel-error.js';
import {parseConntrackList, type ListedFlow} from '../helpers/conntrack-list.js';
import {assertFlowsMatchList, assertVariety} from '../helpers/compare-flows.js';
import {TestNamespace, tsNode} from '../helpers/netns.js';
import {populateVariety, runTraffic} from '../helpers/populate.js';
import {startReadyProbe} from '../helpers/probe.js';

const probe = fileURLToPath(new URL('../helpers/kernel-probe.ts', import.meta.url));

/** Runs the probe in the namespace and returns its JSON lines. */
function runProbe(ns: TestNamespace, args: readonly string[]): Array<Record<string, unknown>> {
	const out = ns.run(process.execPath, ['--import', 'tsx', probe, ...args]);
	return out
		.split('\n')
		.filter(Boolean)
		.map((line) => JSON.parse(line) as Record<string, unknown>);
}

function dumpFlows(ns: TestNamespace): FlowJson[] {
	const lines = runProbe(ns, ['dump']);
	const summary = lines.at(-1)?.summary as {errors: unknown[]};
	assert.deepEqual(summary.errors, [], 'the dump decoded every message');
	return lines.slice(0, -1) as unknown as FlowJson[];
}

function listFlows(ns: TestNamespace): ListedFlow[] {
	return parseConntrackList(ns.conntrack(['-L', '-o', 'extended,id,ktimestamp']));
}

describe('kernel client against the real conntrack table', () => {
	let ns: TestNamespace;

	before(() => {
		ns = TestNamespace.create('client');
		populateVariety(ns);
	});

	after(() => {
		ns?.remove();
	});

	test('dump returns every entry, field by field equal to conntrack -L -o extended,id,ktimestamp', () => {
		const listed = listFlows(ns);
		const dumped = dumpFlows(ns);
		assert.ok(listed.length >= 16, `expected the populated variety, got ${listed.length} entries`);

		assertVariety(assertFlowsMatchList(dumped, listed));
	});

	test('the DNAT and SNAT flows carry the kernel NAT status bits and translated reply tuples', () => {
		const dumped = dumpFlows(ns);
		const dnat = dumped.find((flow) => flow.original.dport === 9999);
		assert.ok(dnat);
		assert.equal(dnat.nat, 'dnat');
		assert.ok(dnat.flags.includes('DST_NAT') && dnat.flags.includes('DST_NAT_DONE'));
		assert.equal(dnat.reply.sport, 8090);
		const snat = dumped.find((flow) => flow.original.dport === 7777);
		assert.ok(snat);
		assert.equal(snat.nat, 'snat');
		assert.ok(snat.flags.includes('SRC_NAT'));
		assert.equal(snat.reply.dst, '127.0.0.5');
	});

	test('stats and count agree with conntrack -S and conntrack -C', () => {
		const [line] = runProbe(ns, ['stats']);
		const stats = line.stats as {count: number; max: number; counters: Record<string, number>};
		assert.equal(stats.count, Number(ns.conntrack(['-C']).trim()));
		assert.equal(
			stats.max,
			Number(ns.run('cat', ['/proc/sys/net/netfilter/nf_conntrack_max']).trim()),
		);
		const sums: Record<string, number> = {};
		for (const cpuLine of ns.conntrack(['-S']).split('\n').filter(Boolean)) {
			for (const [, key, value] of cpuLine.matchAll(/(\w+)=(\d+)/g)) {
				if (key !== 'cpu') sums[key] = (sums[key] ?? 0) + Number(value);
			}
		}

		for (const key of [
			'found',
			'invalid',
			'insert',
			'insert_failed',
			'drop',
			'early_drop',
			'error',
			'search_restart',
		]) {
			assert.equal(stats.counters[key], sums[key], `counter ${key}`);
		}
	});

	test('delete removes exactly the chosen entry, and deleting it again is "gone"', () => {
		const before = listFlows(ns);
		const raw = runProbe(ns, ['dump', '--raw']).filter((line) => !('summary' in line));
		const target = raw.find((flow) => (flow.original as {dport: number}).dport === 25);
		assert.ok(target, 'the CLOSE_WAIT entry to port 25 is there');
		assert.deepEqual(runProbe(ns, ['delete', JSON.stringify(target)])[0].outcome, {
			result: 'deleted',
		});
		const afterDelete = listFlows(ns);
		assert.equal(afterDelete.length, before.length - 1);
		assert.ok(
			!afterDelete.some((flow) => flow.original.dport === 25),
			'the entry is gone from conntrack -L',
		);
		assert.deepEqual(runProbe(ns, ['delete', JSON.stringify(target)])[0].outcome, {result: 'gone'});
	});

	test('delete with a stale id leaves a reused tuple alone', () => {
		const raw = runProbe(ns, ['dump', '--raw']).filter((line) => !('summary' in line));
		const target = raw.find((flow) => (flow.original as {dport: number}).dport === 22);
		assert.ok(target);
		// The same tuple under another id is what a reused tuple looks like to the kernel.
		const stale = {...target, id: ((target.id as number) + 1) >>> 0};
		assert.deepEqual(runProbe(ns, ['delete', JSON.stringify(stale)])[0].outcome, {result: 'gone'});
		assert.ok(
			listFlows(ns).some((flow) => flow.original.dport === 22),
			'the entry is still there',
		);
	});

	test('the zone entry is deleted through its zone', () => {
		const raw = runProbe(ns, ['dump', '--raw']).filter((line) => !('summary' in line));
		const target = raw.find((flow) => flow.zone === 7);
		assert.ok(target);
		assert.deepEqual(runProbe(ns, ['delete', JSON.stringify(target)])[0].outcome, {
			result: 'deleted',
		});
		assert.ok(!listFlows(ns).some((flow) => flow.zone === 7));
	});
});

describe('helpers and labels set by nft rules', () => {
	test('a flow with the ftp helper and connection labels decodes both', () => {
		const ns = TestNamespace.create('helper');
		try {
			ns.nft(`table inet conntop_helper {
	ct helper ftp-standard { type "ftp" protocol tcp; }
	chain out {
		type filter hook output priority 0;
		tcp dport 2121 ct helper set "ftp-standard";
		tcp dport 2121 ct label set 5;
		tcp dport 2121 ct label set 70;
	}
}`);
			runTraffic(ns, ['tcp', '2121', '1']);
			const flow = dumpFlows(ns).find((f) => f.original.dport === 2121);
			assert.ok(flow, 'the connection to port 2121 is tracked');
			const listed = listFlows(ns).find((f) => f.original.dport === 2121);
			assert.equal(listed?.helper, 'ftp', 'conntrack -L shows the helper');
			assert.equal(flow.helper, 'ftp');
			// Label bits 5 and 70: the second one lives in the bitmap's third 32-bit word.
			assert.deepEqual(flow.labels, [5, 70]);
		} finally {
			ns.remove();
		}
	});
});

describe('kernel events against real traffic', () => {
	test('one TCP connection over loopback gives NEW, UPDATEs and DESTROY in order', async () => {
		const ns = TestNamespace.create('events');
		try {
			// Short TIME_WAIT so the DESTROY comes within the test.
			ns.sysctl('net.netfilter.nf_conntrack_tcp_timeout_time_wait', 1);
			// 30 s is only a bound: the probe is stopped once the DESTROY has come.
			const listener = await startReadyProbe([...tsNode(), probe, 'events', '30000'], {ns});
			type Line = {event?: string; flow?: FlowJson; resync?: string};
			try {
				runTraffic(ns, ['tcp', '8095', '1']);
				// Expired entries leave when the kernel's GC or a dump finds them: list the table
				// until the DESTROY comes, rather than wait for GC.
				await listener.waitFor(
					() => {
						const done = listener
							.jsonLines<Line>()
							.some((line) => line.event === 'destroy' && line.flow?.original.dport === 8095);
						if (!done) ns.conntrack(['-L']);
						return done;
					},
					'the DESTROY of the connection to 8095 arrived',
					10_000,
					200,
				);
			} finally {
				await listener.stop();
			}

			const lines = listener.jsonLines<Line>();
			assert.ok(!lines.some((line) => line.resync), 'no events were lost');
			const events = lines.filter((line) => line.flow?.original.dport === 8095);
			const types = events.map((event) => event.event);
			assert.equal(types[0], 'new');
			assert.equal(types.at(-1), 'destroy');
			assert.ok(
				types.slice(1, -1).every((type) => type === 'update') && types.length >= 4,
				types.join(','),
			);
			assert.equal(events[0].flow!.state, 'SYN_SENT');
			const states = events.map((event) => event.flow!.state).filter(Boolean);
			assert.ok(states.includes('ESTABLISHED'), states.join(','));
			assert.ok(states.includes('TIME_WAIT'), states.join(','));
			for (const event of events) {
				assert.equal(event.flow!.original.src, '127.0.0.1');
				assert.equal(event.flow!.reply.sport, 8095);
				assert.equal(event.flow!.reply.dport, event.flow!.original.sport);
			}
		} finally {
			ns.remove();
		}
	});
});

describe('kernel client without privileges', () => {
	test('a user without CAP_NET_ADMIN gets one sentence that says to run as root, and exit code 77', () => {
		const ns = TestNamespace.create('noroot');
		try {
			const result = ns.runWithoutCapabilities([
				process.execPath,
				'--import',
				'tsx',
				probe,
				'dump',
			]);
			assert.equal(result.status, 77, result.stdout + result.stderr);
			const line = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as {
				error: string;
				code: string;
			};
			assert.equal(line.code, 'permission');
			assert.ok(line.error.includes(permissionMessage));
		} finally {
			ns.remove();
		}
	});
});
