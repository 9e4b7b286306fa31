/**
 * `--ssh` benchmark: what reading a router's table over SSH costs the router, beside running
 * `conntrack -L` there directly. The router is a namespace with a real sshd
 * (test/helpers/ssh-router.ts) filled through `conntrack -R`; conntop and ssh run in the
 * client namespace. Router CPU is everything sshd and its sessions (the shell, conntrack) used:
 * the listener's own and reaped children's times from /proc/<pid>/stat, read before a run and
 * after its session has been reaped. Run alone: `node --import tsx test/bench/remote.ts`
 * (BENCH_SSH_SIZES=1000,16000 by default); `npm run bench` calls it too.
 */
import {execFileSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {pathToFileURL} from 'node:url';
import type {TestNamespace} from '../helpers/netns.js';
import {descendants, routerAddress, SshRouter, sshPort} from '../helpers/ssh-router.js';
import {Tmux} from '../helpers/tmux.js';
import {waitFor} from '../helpers/ui-flows.js';
import {fillNamespace} from './dump.js';

/** Wall and CPU time of one way of reading the table. */
export interface ReadCost {
	/** Wall time on the side that asked, ms. */
	readonly ms: number;
	/** CPU of the asking process and its children (conntop and ssh, or conntrack), ms. */
	readonly cpuMs: number;
	/** CPU used on the router (sshd, its sessions and their commands), ms. */
	readonly routerCpuMs: number;
}

/** One table size's medians. */
export interface RemoteFigures {
	readonly flows: number;
	/** `conntrack -L > /dev/null` run in the router namespace. */
	readonly direct: ReadCost;
	/** `ssh router conntrack -L -o extended,id > /dev/null` from the client. */
	readonly plainSsh: ReadCost;
	/** `conntop --ssh --once --json > /dev/null` from the client, per reader. */
	readonly conntop: ReadonlyArray<{readonly reader: string; readonly cost: ReadCost | string}>;
	/**
	 * The TUI in tmux (conntrack reader): wall time to the first screen with the table's first
	 * row, and the router's CPU from start to that screen and `q` (client CPU not measured).
	 */
	readonly firstScreen: ReadCost | string;
}

/** The readers conntop is measured with: label and extra flags. */
const readers: ReadonlyArray<readonly [string, Readonly<Record<string, string>>]> = [
	['conntrack', {CONNTOP_REMOTE_READER: 'conntrack'}],
	['/proc', {CONNTOP_REMOTE_READER: 'proc'}],
];

const ticks = Number(execFileSync('getconf', ['CLK_TCK'], {encoding: 'utf8'}).trim());

/** utime+stime+cutime+cstime of `pid`, ms. */
function processCpuMs(pid: number): number {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	// Fields 14-17 of proc(5); index 0 here is field 3 (state).
	return (
		((Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) * 1000) /
		ticks
	);
}

/** Runs `argv` in `ns` with stdout to /dev/null; wall ms, CPU ms of it and its children, exit code. */
function measure(
	ns: TestNamespace,
	argv: readonly string[],
): {ms: number; cpuMs: number; code: number; stderr: string} {
	// wait4 gives the child's own rusage plus that of the children it reaped (ssh under conntop).
	const wrapper =
		'import os,subprocess,sys,time,json\n' +
		't=time.perf_counter()\n' +
		'p=subprocess.Popen(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.PIPE)\n' +
		'err=p.stderr.read()\n' +
		'_,status,ru=os.wait4(p.pid,0)\n' +
		'e=time.perf_counter()-t\n' +
		'print(json.dumps({"ms":e*1000,"cpuMs":(ru.ru_utime+ru.ru_stime)*1000,"code":os.waitstatus_to_exitcode(status),"stderr":err.decode()[-500:]}))';
	return JSON.parse(ns.run('python3', ['-c', wrapper, ...argv])) as {
		ms: number;
		cpuMs: number;
		code: number;
		stderr: string;
	};
}

/** One read from the client, with the router's CPU for it (after its session is reaped). */
async function overSsh(router: SshRouter, argv: readonly string[]): Promise<ReadCost | string> {
	const server = router.serverPid!;
	const before = processCpuMs(server);
	const run = measure(router.client, argv);
	if (run.code !== 0) return `exit ${run.code}: ${run.stderr.trim().split('\n').at(-1) ?? ''}`;
	await waitFor(
		() => descendants(server).length,
		(count) => count === 0,
		10_000,
		'the session to end',
	);
	return {ms: run.ms, cpuMs: run.cpuMs, routerCpuMs: processCpuMs(server) - before};
}

/** Starts the TUI in tmux, waits for the table's first row (10.0.0.0:1024 sorts first), quits. */
async function firstScreen(router: SshRouter): Promise<ReadCost | string> {
	const server = router.serverPid!;
	const before = processCpuMs(server);
	const argv = router.conntopArgv(['--delete-log', `${router.dir}/deleted.jsonl`], {
		env: {CONNTOP_REMOTE_READER: 'conntrack'},
	});
	const start = performance.now();
	const tmux = Tmux.start({
		command: `env -u CI ${argv.join(' ')}; echo exited $?; sleep 600`,
		width: 120,
		height: 30,
	});
	try {
		await tmux.waitForScreen((text) => text.includes('10.0.0.0:1024'), 'the first row', 120_000);
		const ms = performance.now() - start;
		tmux.type('q');
		await tmux.waitForScreen((text) => text.includes('exited'), 'the exit', 30_000);
		await waitFor(
			() => descendants(server).length,
			(count) => count === 0,
			10_000,
			'the session to end',
		);
		return {ms, cpuMs: Number.NaN, routerCpuMs: processCpuMs(server) - before};
	} catch (error) {
		return (error as Error).message.split('\n')[0];
	} finally {
		tmux.kill();
	}
}

function median(values: readonly number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

function medianCost(costs: ReadonlyArray<ReadCost | string>): ReadCost | string {
	const failed = costs.find((cost) => typeof cost === 'string');
	if (failed !== undefined) return failed;
	const good = costs as readonly ReadCost[];
	return {
		ms: median(good.map((c) => c.ms)),
		cpuMs: median(good.map((c) => c.cpuMs)),
		routerCpuMs: median(good.map((c) => c.routerCpuMs)),
	};
}

/** Measures one table size, `rounds` alternating runs of each way. */
export async function benchRemote(n: number, rounds = 5): Promise<RemoteFigures> {
	const router = await SshRouter.create({acct: false, timestamp: false});
	try {
		fillNamespace(router.router, n);
		const direct: ReadCost[] = [];
		const plain: Array<ReadCost | string> = [];
		const conntop = readers.map(() => [] as Array<ReadCost | string>);
		const ssh = ['ssh', '-F', router.config, '-p', String(sshPort), `root@${routerAddress}`];
		for (let round = 0; round < rounds; round++) {
			const local = measure(router.router, ['conntrack', '-L']);
			direct.push({ms: local.ms, cpuMs: local.cpuMs, routerCpuMs: local.cpuMs});
			plain.push(await overSsh(router, [...ssh, 'conntrack -L -o extended,id']));
			for (const [index, [, env]] of readers.entries()) {
				// measure() is in the client namespace already: drop `ip netns exec <client>`.
				const argv = router.conntopArgv(['--once', '--json'], {env}).slice(4);
				conntop[index].push(await overSsh(router, argv));
			}
		}

		const screens: Array<ReadCost | string> = [];
		for (let round = 0; round < rounds; round++) screens.push(await firstScreen(router));
		return {
			flows: n,
			firstScreen: medianCost(screens),
			direct: medianCost(direct) as ReadCost,
			plainSsh: medianCost(plain) as ReadCost,
			conntop: readers.map(([reader], index) => ({reader, cost: medianCost(conntop[index])})),
		};
	} finally {
		await router.close();
	}
}

/** Prints the figures, with router CPU as a ratio of `conntrack -L` run on the router. */
export function printRemoteTable(rows: readonly RemoteFigures[]): void {
	console.log(
		'\n--ssh: reading a router over SSH vs `conntrack -L > /dev/null` on the router (medians; router CPU is sshd + session + reader)',
	);
	console.log(
		'flows   way                                       wall      client CPU  router CPU  router CPU ratio',
	);
	for (const row of rows) {
		const line = (way: string, cost: ReadCost | string) => {
			if (typeof cost === 'string') {
				console.log(`${String(row.flows).padEnd(7)} ${way.padEnd(40)}  failed: ${cost}`);
				return;
			}

			console.log(
				[
					String(row.flows).padEnd(7),
					way.padEnd(40),
					`${cost.ms.toFixed(0)} ms`.padStart(8),
					(Number.isNaN(cost.cpuMs) ? '-' : `${cost.cpuMs.toFixed(0)} ms`).padStart(11),
					`${cost.routerCpuMs.toFixed(0)} ms`.padStart(11),
					(cost.routerCpuMs / row.direct.routerCpuMs).toFixed(2).padStart(17),
				].join(' '),
			);
		};

		line('conntrack -L on the router', row.direct);
		line('ssh router conntrack -L', row.plainSsh);
		for (const {reader, cost} of row.conntop) line(`conntop --ssh --once --json (${reader})`, cost);
		line('conntop --ssh TUI, to first screen, q', row.firstScreen);
	}
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
	const sizes = (process.env.BENCH_SSH_SIZES ?? '1000,16000').split(',').map(Number);
	const rows: RemoteFigures[] = [];
	for (const n of sizes) rows.push(await benchRemote(n));
	printRemoteTable(rows);
}
