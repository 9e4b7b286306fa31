/**
 * Dump benchmark: conntop's dump+decode against `conntrack -L > /dev/null`, same table, same run.
 * Fills a namespace with N long-lived entries through `conntrack -R` (one process for all),
 * then alternates the two readers and reports medians and ratios.
 */
import {spawnSync} from 'node:child_process';
import {writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {TestNamespace} from '../helpers/netns.js';

const probe = fileURLToPath(new URL('dump-probe.mts', import.meta.url));

/** One size's figures. */
export interface DumpFigures {
	flows: number;
	conntrackMs: number;
	conntrackRssKb: number;
	conntopMs: number;
	conntopProcessMs: number;
	conntopProcessRssKb: number;
	/** Heap plus typed arrays per flow held in the live table, over Node's baseline. */
	bytesPerFlow: number;
	/** RSS per flow held in the live table, over the baseline. */
	rssPerFlow: number;
}

/** Writes N `conntrack -I` lines (TCP ESTABLISHED, 1-day timeout) and loads them in one go. */
export function fillNamespace(ns: TestNamespace, n: number): void {
	const lines: string[] = [];
	for (let i = 0; i < n; i++) {
		const port = (i % 60000) + 1024;
		const host = Math.floor(i / 60000);
		lines.push(
			`-I -p tcp -s 10.${host}.${(i >> 8) & 255}.${i & 255} -d 10.200.0.1 --sport ${port} --dport 443 --state ESTABLISHED -u ASSURED,SEEN_REPLY -t 86400`,
		);
	}

	const file = join(tmpdir(), `${ns.name}-fill.txt`);
	writeFileSync(file, lines.join('\n') + '\n');
	ns.conntrack(['-R', file]);
	const count = Number(ns.conntrack(['-C']).trim());
	if (count < n) throw new Error(`filled ${count} of ${n} entries`);
}

/** Runs a command in the namespace; returns wall ms and the child's peak RSS (kB). */
export function timeCommand(
	ns: TestNamespace,
	argv: readonly string[],
	keepStdout = false,
): {ms: number; rssKb: number; stdout: string} {
	// wait4 gives this child's own peak RSS (RUSAGE_CHILDREN would fold in every process before).
	const wrapper =
		'import os,subprocess,sys,time,json\n' +
		't=time.perf_counter()\n' +
		'p=subprocess.Popen(sys.argv[1:],stdout=subprocess.PIPE if os.environ.get("KEEP") else subprocess.DEVNULL,stderr=subprocess.DEVNULL)\n' +
		'out=p.stdout.read() if p.stdout else b""\n' +
		'_,status,ru=os.wait4(p.pid,0)\n' +
		'e=time.perf_counter()-t\n' +
		'print(json.dumps({"ms":e*1000,"rssKb":ru.ru_maxrss,"stdout":out.decode()[-2000:]}))';
	const out = ns.run('env', [`KEEP=${keepStdout ? '1' : ''}`, 'python3', '-c', wrapper, ...argv]);
	return JSON.parse(out) as {ms: number; rssKb: number; stdout: string};
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

/** Measures one table size; `rounds` alternating runs of each reader. */
export function benchDump(n: number, rounds = 5): DumpFigures {
	const ns = TestNamespace.create('bench', {acct: false, timestamp: false});
	try {
		fillNamespace(ns, n);
		const conntrack: Array<{ms: number; rssKb: number}> = [];
		const conntop: Array<{ms: number; rssKb: number; inner: {ms: number}}> = [];
		const collected: Array<{perFlow: number; rssPerFlow: number}> = [];
		for (let round = 0; round < rounds; round++) {
			conntrack.push(timeCommand(ns, ['conntrack', '-L']));
			const run = timeCommand(ns, [process.execPath, '--import', 'tsx', probe], true);
			conntop.push({...run, inner: JSON.parse(run.stdout) as {ms: number}});
			const kept = JSON.parse(
				spawnSync(
					'ip',
					[
						'netns',
						'exec',
						ns.name,
						process.execPath,
						'--expose-gc',
						'--import',
						'tsx',
						probe,
						'--table',
					],
					{
						encoding: 'utf8',
					},
				).stdout,
			) as {perFlow: number; rssPerFlow: number};
			collected.push(kept);
		}

		return {
			flows: n,
			conntrackMs: median(conntrack.map((r) => r.ms)),
			conntrackRssKb: median(conntrack.map((r) => r.rssKb)),
			conntopMs: median(conntop.map((r) => r.inner.ms)),
			conntopProcessMs: median(conntop.map((r) => r.ms)),
			conntopProcessRssKb: median(conntop.map((r) => r.rssKb)),
			bytesPerFlow: median(collected.map((c) => c.perFlow)),
			rssPerFlow: median(collected.map((c) => c.rssPerFlow)),
		};
	} finally {
		ns.remove();
	}
}

/** Prints the figures as a table with ratios against conntrack -L. */
export function printDumpTable(rows: readonly DumpFigures[]): void {
	console.log(
		'\nDump: conntop vs `conntrack -L > /dev/null` (medians; ratio < 1 means conntop is faster)',
	);
	console.log(
		'flows    conntrack -L  conntop dump+decode  ratio  conntop process  ratio  conntrack RSS  conntop RSS  live table per flow (heap+arrays, RSS)',
	);
	for (const r of rows) {
		console.log(
			[
				String(r.flows).padEnd(8),
				`${r.conntrackMs.toFixed(0)} ms`.padStart(12),
				`${r.conntopMs.toFixed(0)} ms`.padStart(20),
				(r.conntopMs / r.conntrackMs).toFixed(2).padStart(6),
				`${r.conntopProcessMs.toFixed(0)} ms`.padStart(16),
				(r.conntopProcessMs / r.conntrackMs).toFixed(2).padStart(6),
				`${(r.conntrackRssKb / 1024).toFixed(1)} MB`.padStart(14),
				`${(r.conntopProcessRssKb / 1024).toFixed(1)} MB`.padStart(12),
				`${r.bytesPerFlow.toFixed(0)} B, ${r.rssPerFlow.toFixed(0)} B`.padStart(20),
			].join(' '),
		);
	}
}
