/**
 * Dump benchmark: conntop's dump+decode against `conntrack -L > /dev/null`, same table, same run.
 * Fills a namespace with N long-lived entries through `conntrack -R` (one process for all),
 * then alternates the two readers and reports medians and ratios.
 */
import {spawnSync} from 'node:child_process';
import {rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {TestNamespace} from '../helpers/netns.js';
import {benchTag} from './guard.js';

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
	try {
		ns.conntrack(['-R', file]);
	} finally {
		rmSync(file, {force: true});
	}

	const count = Number(ns.conntrack(['-C']).trim());
	if (count < n) throw new Error(`filled ${count} of ${n} entries`);
}

/** What `timeCommand` saw of one run. */
export interface CommandFigures {
	ms: number;
	/** Peak RSS of the started process (wait4), kB. */
	rssKb: number;
	/** The last 2,000 characters of stdout when kept. */
	stdout: string;
	/**
	 * With `tree`: the sum of every process's peak RSS, the started one and all it started
	 * (sampled from /proc every 50 ms, the started one's exact from wait4), kB; and their
	 * command names.
	 */
	treeRssKb: number;
	processes: string[];
}

/**
 * Runs a command in the namespace; returns wall ms and the child's peak RSS (kB). With `tree`
 * it also samples the peak RSS of every process below the child.
 */
export function timeCommand(
	ns: TestNamespace,
	argv: readonly string[],
	keepStdout = false,
	tree = false,
): CommandFigures {
	// wait4 gives this child's own peak RSS (RUSAGE_CHILDREN would fold in every process before).
	// Without CONFIG_PROC_CHILDREN the descendants come from a walk of /proc's ppids.
	const wrapper = `import os,subprocess,sys,time,json,threading
tree=os.environ.get("TREE")
peaks={};names={};done=threading.Event()
def scan(root):
  parents={}
  for d in os.listdir("/proc"):
    if d.isdigit():
      try:
        s=open("/proc/"+d+"/stat").read();r=s.rindex(")")
        parents[int(d)]=(int(s[r+2:].split()[1]),s[s.index("(")+1:r])
      except Exception: pass
  for pid,(pp,name) in parents.items():
    at=pid
    while at>1 and at!=root: at=parents.get(at,(0,""))[0]
    if at!=root: continue
    try:
      for line in open("/proc/%d/status"%pid):
        if line.startswith("VmHWM:"): peaks[pid]=max(peaks.get(pid,0),int(line.split()[1]));names[pid]=name
    except Exception: pass
def poll(root):
  while not done.wait(0.05): scan(root)
t=time.perf_counter()
p=subprocess.Popen(sys.argv[1:],stdout=subprocess.PIPE if os.environ.get("KEEP") else subprocess.DEVNULL,stderr=subprocess.DEVNULL)
th=threading.Thread(target=poll,args=(p.pid,),daemon=True)
if tree: th.start()
out=p.stdout.read() if p.stdout else b""
_,status,ru=os.wait4(p.pid,0)
e=time.perf_counter()-t
done.set()
peaks[p.pid]=max(peaks.get(p.pid,0),ru.ru_maxrss);names.setdefault(p.pid,os.path.basename(sys.argv[1]))
print(json.dumps({"ms":e*1000,"rssKb":ru.ru_maxrss,"stdout":out.decode()[-2000:],"treeRssKb":sum(peaks.values()),"processes":[names[k] for k in sorted(peaks)]}))`;
	const out = ns.run('env', [
		`KEEP=${keepStdout ? '1' : ''}`,
		`TREE=${tree ? '1' : ''}`,
		'python3',
		'-c',
		wrapper,
		...argv,
	]);
	return JSON.parse(out) as CommandFigures;
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

/** Measures one table size; `rounds` alternating runs of each reader. */
export function benchDump(n: number, rounds = 5): DumpFigures {
	const ns = TestNamespace.create(benchTag('bench'), {acct: false, timestamp: false});
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
