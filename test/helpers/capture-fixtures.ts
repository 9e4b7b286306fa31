/**
 * Regenerates the codec fixtures from the real kernel:
 *   node --import tsx test/helpers/capture-fixtures.ts
 * In a fresh namespace it makes the populate.ts variety, records the raw dump datagrams and
 * the `conntrack -L -o extended,id,ktimestamp` text of the same table, then the raw events of
 * one loopback TCP connection. The codec tests decode the bytes and check them against the text.
 */
import {writeFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {TestNamespace, tsNode} from './netns.js';
import {populateVariety, runTraffic} from './populate.js';
import {startReadyProbe} from './probe.js';

const probe = fileURLToPath(new URL('kernel-probe.ts', import.meta.url));
const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));

function lastJson(text: string): Record<string, unknown> {
	return JSON.parse(text.trim().split('\n').at(-1)!) as Record<string, unknown>;
}

const ns = TestNamespace.create('capture');
try {
	populateVariety(ns);
	const dump = lastJson(ns.run(process.execPath, ['--import', 'tsx', probe, 'capture-dump']));
	const list = ns.conntrack(['-L', '-o', 'extended,id,ktimestamp']);
	writeFileSync(
		`${fixtures}dump-variety.json`,
		JSON.stringify(
			{
				how: 'test/helpers/capture-fixtures.ts: populate.ts variety (tcp states, udp, icmp, ipv6, sctp, mark, zone 7, DNAT, SNAT) with acct and timestamps on; one dump request; conntrack -L right after',
				kernel: ns.run('uname', ['-r']).trim(),
				datagrams: dump.datagrams,
				conntrackList: list,
			},
			null,
			'\t',
		),
	);

	ns.sysctl('net.netfilter.nf_conntrack_tcp_timeout_time_wait', 1);
	const capture = await startReadyProbe([...tsNode(), probe, 'capture-events', '4000'], {ns});
	runTraffic(ns, ['tcp', '8095', '1']);
	// The entry's 1 s TIME_WAIT must end before a dump reaps it and the DESTROY is captured: list
	// the table until the kernel no longer has it.
	for (let tries = 0; ns.conntrack(['-L']).includes('dport=8095'); tries++) {
		if (tries === 50) throw new Error('the connection to 8095 was never reaped');
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	await capture.exited;
	writeFileSync(
		`${fixtures}events-tcp.json`,
		JSON.stringify(
			{
				how: 'test/helpers/capture-fixtures.ts: events of one loopback TCP connection 127.0.0.1 -> 127.0.0.1:8095 (TIME_WAIT timeout 1 s, then a dump to reap it), acct and timestamps on',
				kernel: ns.run('uname', ['-r']).trim(),
				datagrams: lastJson(capture.output()).datagrams,
			},
			null,
			'\t',
		),
	);
} finally {
	ns.remove();
}
