import assert from 'node:assert/strict';
import {writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {parseConntrackList} from '../helpers/conntrack-list.js';
import {flowKey} from '../helpers/compare-flows.js';
import {TestNamespace} from '../helpers/netns.js';
import {startReadyProbe} from '../helpers/probe.js';
import {runTraffic} from '../helpers/populate.js';

const probe = fileURLToPath(new URL('../helpers/sync-probe.ts', import.meta.url));
/** Bounded: 90 s of churn by default (SOAK_SECONDS to change it). */
const soakSeconds = Number(process.env.SOAK_SECONDS ?? 90);

interface Sample {
	heap: number;
	cpu: number;
	rss: number;
	size: number;
	closed: number;
}

const median = (values: number[]) =>
	[...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

test(
	`a ${soakSeconds} s soak with steady churn keeps memory flat and ends equal to conntrack -L`,
	{timeout: (soakSeconds + 60) * 1000},
	async () => {
		const ns = TestNamespace.create('soak');
		try {
			// A base of long-lived flows that must survive the churn untouched.
			const base = Array.from(
				{length: 300},
				(_, i) =>
					`-I -p tcp -s 10.3.1.${i % 250} -d 10.3.2.1 --sport ${2000 + i} --dport 443 --state ESTABLISHED -u ASSURED,SEEN_REPLY -t 3600`,
			);
			const baseFile = join(tmpdir(), `${ns.name}-base.txt`);
			writeFileSync(baseFile, base.join('\n') + '\n');
			ns.conntrack(['-R', baseFile]);

			const sync = await startReadyProbe(
				[process.execPath, '--expose-gc', '--import', 'tsx', probe],
				{
					ns,
					stdin: 'pipe',
					// A 10 s periodic re-read, as in production (60 s there): its dumps also make the kernel
					// reap expired entries, which its GC otherwise does in late bursts.
					env: {CLOSED_MS: '3000', SAMPLE_MS: '5000', RESYNC_MS: '10000'},
				},
			);

			// Churn: every 250 ms, 100 short-lived UDP entries (2-4 s) that expire and are reaped,
			// and every 5 s a real loopback TCP connection. Stops by itself after soakSeconds.
			const end = Date.now() + soakSeconds * 1000;
			let round = 0;
			while (Date.now() < end) {
				const lines = Array.from({length: 100}, (_, i) => {
					const n = round * 100 + i;
					return `-I -p udp -s 10.4.${(n >> 8) & 255}.${n & 255} -d 10.4.255.1 --sport ${1024 + (n % 60000)} --dport 53 -t ${2 + (n % 3)}`;
				});
				const file = join(tmpdir(), `${ns.name}-churn.txt`);
				writeFileSync(file, lines.join('\n') + '\n');
				ns.conntrack(['-R', file]);
				if (round % 20 === 0) runTraffic(ns, ['tcp', String(9000 + (round % 7)), '1']);
				round++;
				await new Promise((resolve) => setTimeout(resolve, 250));
			}

			// The short-lived entries expire within 4 s; a dump makes the kernel reap them (its GC
			// comes in late bursts): list the table until none is left.
			await sync.waitFor(
				() => !ns.conntrack(['-L']).includes('src=10.4.'),
				'the churned entries expired and were reaped',
				20_000,
				250,
			);
			// Their tombstones stay 3 s: wait for a memory sample taken after that.
			const before = sync.jsonLines().length;
			await sync.waitFor(
				() =>
					sync
						.jsonLines<{sample?: Sample}>()
						.slice(before)
						.some((line) => line.sample?.closed === 0),
				'a sample with every tombstone released',
				20_000,
				100,
			);
			sync.child.stdin!.end('finish\n');
			await sync.exited;

			const lines = sync.jsonLines<{sample?: Sample; flows?: string[]; closed?: number}>();
			const samples = lines.flatMap((line) => (line.sample ? [line.sample] : []));
			assert.ok(
				samples.length >= soakSeconds / 5 - 2,
				`memory was sampled (${samples.length} samples)`,
			);
			// Warm-up first (JIT, pools, first tombstones), then the heap must not keep growing.
			const early = median(samples.slice(2, 5).map((s) => s.heap));
			const late = median(samples.slice(-3).map((s) => s.heap));
			assert.ok(late < early * 1.5 + 8 * 1024 * 1024, `heap grew from ${early} to ${late} bytes`);
			// CPU flat too: the same churn costs the same at the end as after warm-up.
			const earlyCpu = median(samples.slice(2, 5).map((s) => s.cpu));
			const lateCpu = median(samples.slice(-4, -1).map((s) => s.cpu));
			assert.ok(lateCpu < earlyCpu * 2 + 0.05, `CPU went from ${earlyCpu} to ${lateCpu} of a core`);
			// Tombstones leave: the kernel's GC reaps expired entries in bursts (thousands of
			// DESTROYs at once, and the last dump above made one); 3 s later none may be left.
			const series = samples.map((s) => `${s.size}/${s.closed}`).join(' ');
			assert.equal(lines.at(-1)!.closed, 0, `tombstones released (size/closed samples: ${series})`);

			const final = lines.at(-1)!.flows!;
			const listed = parseConntrackList(ns.conntrack(['-L', '-o', 'extended,id'])).map((flow) =>
				flowKey(flow.id, flow.original),
			);
			assert.ok(round > soakSeconds * 2, `churn ran (${round} rounds)`);
			assert.equal(final.length, listed.length, 'the table still equals conntrack -L');
			assert.deepEqual([...final].sort(), [...listed].sort());
		} finally {
			ns.remove();
		}
	},
);
