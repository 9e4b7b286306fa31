import assert from 'node:assert/strict';
import {writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {parseConntrackList} from '../helpers/conntrack-list.js';
import {flowKey} from '../helpers/compare-flows.js';
import {TestNamespace, tsNode} from '../helpers/netns.js';
import {startReadyProbe} from '../helpers/probe.js';

const probe = fileURLToPath(new URL('../helpers/sync-probe.ts', import.meta.url));

/** Loads `lines` of conntrack commands in one process (thousands of events in well under a second). */
function batch(ns: TestNamespace, name: string, lines: string[]): void {
	const file = join(tmpdir(), `${ns.name}-${name}.txt`);
	writeFileSync(file, lines.join('\n') + '\n');
	ns.conntrack(['-R', file]);
}

test('an event storm that overflows the receive buffer is noticed, and a re-dump ends equal to conntrack -L', async () => {
	const ns = TestNamespace.create('storm', {acct: false, timestamp: false});
	try {
		// A deliberately tiny buffer: the kernel drops events and reports ENOBUFS.
		const sync = await startReadyProbe([...tsNode(), probe], {
			ns,
			stdin: 'pipe',
			env: {RCVBUF: '4096'},
		});

		// 6,000 inserts, a flush (6,000 destroys), 1,500 more inserts: bounded, all in the namespace.
		const insert = (i: number, proto: string) =>
			`-I -p ${proto} -s 10.7.${(i >> 8) & 255}.${i & 255} -d 10.8.0.1 --sport ${1024 + (i % 60000)} --dport 53 -t 3600`;
		batch(
			ns,
			'a',
			Array.from({length: 6000}, (_, i) =>
				insert(i, i % 3 === 0 ? 'tcp --state ESTABLISHED' : 'udp'),
			),
		);
		ns.conntrack(['-F']);
		batch(
			ns,
			'c',
			Array.from({length: 1500}, (_, i) =>
				insert(10_000 + i, i % 2 ? 'udp' : 'tcp --state SYN_SENT'),
			),
		);

		sync.child.stdin!.end('finish\n');
		await sync.exited;
		const result = sync
			.jsonLines<{flows: string[]; status: {resyncs: number; lastResync?: {reason: string}}}>()
			.at(-1)!;
		const listed = parseConntrackList(ns.conntrack(['-L', '-o', 'extended,id'])).map((flow) =>
			flowKey(flow.id, flow.original),
		);
		assert.ok(result.status.resyncs >= 1, 'the loss was noticed and the table re-read');
		assert.match(result.status.lastResync?.reason ?? '', /dropped events|faster than|died/);
		assert.equal(
			result.flows.length,
			listed.length,
			`no flow lost, no stale flow kept (status ${JSON.stringify(result.status)})`,
		);
		assert.deepEqual([...result.flows].sort(), [...listed].sort());
	} finally {
		ns.remove();
	}
});
