/**
 * Interruptible benchmarks. A benchmark script mostly blocks in spawnSync, where Node runs no
 * signal handler, so each entry script (run.ts, scale.ts) runs itself again as a worker in its own
 * process group and stays behind as a supervisor whose event loop is always free. On SIGINT,
 * SIGTERM or SIGHUP, and in `finally`, the supervisor kills the worker's group, then every
 * process in the run's namespaces (conntop or iptstate inside a tmux pane too, whose server is
 * in a session of its own), deletes those namespaces and their fill files, and puts back every
 * init-namespace sysctl the worker changed (the worker writes each original to a state file
 * before it changes it). Namespaces of a run are named `ct-<tag><run>-<hex>` (`benchTag`), so
 * only this run's are touched.
 */
import {spawn, spawnSync} from 'node:child_process';
import {existsSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';

const runVariable = 'CONNTOP_BENCH_RUN';

/** This run's id, set by the supervisor for its worker and everything the worker starts. */
export const benchRun = process.env[runVariable];

/** A TestNamespace tag that names this run, so the supervisor finds what it must remove. */
export function benchTag(tag: string): string {
	return `${tag}${benchRun ?? 'x'}`;
}

function stateFile(run: string): string {
	return join(tmpdir(), `conntop-bench-${run}-sysctl.json`);
}

function readSysctl(key: string): string {
	return spawnSync('sysctl', ['-n', key], {encoding: 'utf8'}).stdout.trim();
}

function readState(run: string): Record<string, string> {
	const file = stateFile(run);
	return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {};
}

/**
 * Sets a sysctl of the init namespace for this run, its original value written down first so
 * that `restoreSysctls` (worker, on the way out) or the supervisor (after an interrupt) puts it
 * back.
 */
export function setInitSysctl(key: string, value: string | number): void {
	if (benchRun === undefined) throw new Error('setInitSysctl needs a supervised run');
	const state = readState(benchRun);
	state[key] ??= readSysctl(key);
	writeFileSync(stateFile(benchRun), JSON.stringify(state));
	spawnSync('sysctl', ['-qw', `${key}=${value}`], {stdio: 'inherit'});
}

/** Puts back every init-namespace sysctl this run changed; says so for each. */
export function restoreSysctls(run = benchRun): void {
	if (run === undefined) return;
	for (const [key, value] of Object.entries(readState(run))) {
		spawnSync('sysctl', ['-qw', `${key}=${value}`], {stdio: 'inherit'});
		const now = readSysctl(key);
		console.error(`bench: restored ${key}=${now}${now === value ? '' : ` (wanted ${value})`}`);
	}

	rmSync(stateFile(run), {force: true});
}

/** Kills every process in this run's namespaces, deletes them and their temporary files. */
export function removeRunNamespaces(run: string): void {
	const pattern = new RegExp(`^ct-[a-z]+${run}-[0-9a-f]{6}$`);
	const names = spawnSync('ip', ['netns', 'list'], {encoding: 'utf8'})
		.stdout.split('\n')
		.map((line) => line.split(' ')[0])
		.filter((name) => pattern.test(name));
	for (const name of names) {
		const pids = spawnSync('ip', ['netns', 'pids', name], {encoding: 'utf8'}).stdout.split('\n');
		for (const pid of pids.map(Number).filter((pid) => pid > 1)) {
			try {
				process.kill(pid, 'SIGKILL');
			} catch {
				// Gone already.
			}
		}

		spawnSync('ip', ['netns', 'del', name]);
		console.error(`bench: removed namespace ${name}`);
	}

	for (const file of readdirSync(tmpdir())) {
		if (/^ct-[a-z]+/.test(file) && file.includes(`${run}-`))
			rmSync(join(tmpdir(), file), {force: true});
	}
}

/**
 * In a script run directly: runs `script` again as a supervised worker and resolves with its
 * exit code once it and its cleanup are done (the caller then exits). In a worker: resolves
 * undefined at once, and the caller goes on to measure.
 */
export async function superviseUnlessWorker(script: string | URL): Promise<number | undefined> {
	if (benchRun !== undefined) return undefined;
	const run = `r${process.pid}`;
	const path = script instanceof URL ? fileURLToPath(script) : script;
	const worker = spawn(process.execPath, ['--import', 'tsx', path, ...process.argv.slice(2)], {
		stdio: 'inherit',
		detached: true,
		env: {...process.env, [runVariable]: run},
	});
	let cleaned = false;
	const cleanup = () => {
		if (cleaned) return;
		cleaned = true;
		try {
			// The whole group: what the worker started lives on after it (conntrack, probes).
			process.kill(-worker.pid!, 'SIGKILL');
		} catch {
			// No process of the group is left.
		}

		removeRunNamespaces(run);
		restoreSysctls(run);
	};

	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
		process.on(signal, () => {
			console.error(`bench: ${signal}, cleaning up`);
			cleanup();
			process.exit(signal === 'SIGINT' ? 130 : 143);
		});
	}

	try {
		return await new Promise<number>((resolve) => {
			worker.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
		});
	} finally {
		cleanup();
	}
}
