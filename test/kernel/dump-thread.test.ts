import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {after, before, describe, test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {fillNamespace} from '../bench/dump.js';
import {TestNamespace} from '../helpers/netns.js';

const probe = fileURLToPath(new URL('../helpers/dump-thread-probe.ts', import.meta.url));

/** Entries in the table: ~30 datagrams of 32 KB, many times the 2-slot ring the tests use. */
const entries = 3000;

interface Threads {
	before: number;
	during?: number;
	after: number;
}

/** Runs one probe case in the namespace and returns its JSON line. */
function runProbe<T>(ns: TestNamespace, args: readonly string[]): T {
	return JSON.parse(ns.run(process.execPath, ['--import', 'tsx', probe, ...args])) as T;
}

/**
 * Runs the probe's `mode` in `ns` from sources or from dist/, asserts that it exited by itself
 * with status 0 and nothing on stderr, and returns its stdout.
 */
function exitsQuietly(ns: TestNamespace, mode: string, build: string): string {
	const args = [process.execPath, '--import', 'tsx', probe, mode];
	if (build === 'dist') args.push('--dist');
	// A worker that held the process open would hang it: fail instead.
	const run = spawnSync('ip', ['netns', 'exec', ns.name, ...args], {
		encoding: 'utf8',
		timeout: 30_000,
	});
	assert.equal(run.signal, null, 'exited by itself');
	assert.equal(run.status, 0, run.stderr);
	assert.equal(run.stderr, '');
	return run.stdout;
}

/** The ids `conntrack -L` lists, in its order (the kernel's). */
function listedIds(ns: TestNamespace): number[] {
	return ns
		.conntrack(['-L', '-o', 'id'])
		.split('\n')
		.filter(Boolean)
		.map((line) => Number(/\bid=(\d+)/.exec(line)?.[1]));
}

describe('dumps through the dump thread', () => {
	let ns: TestNamespace;

	before(() => {
		ns = TestNamespace.create('dumpthread');
		fillNamespace(ns, entries);
	});

	after(() => {
		ns?.remove();
	});

	for (const build of ['sources', 'dist']) {
		for (const slots of [2, 16]) {
			test(`from ${build} with ${slots} slots, the threaded dump streams the same flows in the same order as the plain path and conntrack -L, and its worker is gone after`, () => {
				const result = runProbe<{
					plain: Array<{id: number}>;
					thread: Array<{id: number}>;
					summaries: Record<string, {flows: number; errors: unknown[]; interrupted: boolean}>;
					threads: Threads;
				}>(ns, ['compare', String(slots), ...(build === 'dist' ? ['--dist'] : [])]);
				const listed = listedIds(ns);

				assert.equal(result.thread.length, entries);
				assert.deepEqual(result.thread, result.plain);
				assert.deepEqual(
					result.thread.map((flow) => flow.id),
					listed,
				);
				assert.deepEqual(result.summaries.thread, result.summaries.plain);
				assert.equal(result.summaries.thread.flows, entries);
				assert.deepEqual(result.summaries.thread.errors, []);
				// From sources the worker's tsx loader runs a thread of its own.
				assert.ok((result.threads.during ?? 0) > result.threads.before, 'a worker during the dump');
				assert.equal(result.threads.after, result.threads.before, 'no worker after');
			});
		}
	}

	test('a threaded dump without CAP_NET_ADMIN rejects with the permission error', () => {
		const run = ns.runWithoutCapabilities([process.execPath, '--import', 'tsx', probe, 'refused']);
		assert.equal(run.status, 0, run.stderr);
		assert.deepEqual(JSON.parse(run.stdout), {
			code: 'permission',
			message: 'needs root (CAP_NET_ADMIN) to read the conntrack table: run it with sudo.',
		});
	});

	test('closing the client inside a threaded dump rejects it and ends the worker', () => {
		const result = runProbe<{
			error: {code: string; message: string};
			flows: number;
			threads: Threads;
		}>(ns, ['close-inside']);
		assert.deepEqual(result.error, {code: 'socket', message: 'the conntrack socket was closed'});
		assert.ok(result.flows >= 1 && result.flows < entries, `${result.flows} flows`);
		assert.equal(result.threads.after, result.threads.before);
	});

	for (const build of ['sources', 'dist']) {
		test(`from ${build}, process.exit inside a threaded dump with a full ring exits 0 at once and quietly`, () => {
			exitsQuietly(ns, 'exit-inside', build);
		});
	}

	test('a client opened on a big table starts its worker before any dump, and close ends it', () => {
		const result = runProbe<{threads: Required<Threads>}>(ns, ['spare']);
		assert.ok(result.threads.during > result.threads.before, 'a worker after open');
		assert.equal(result.threads.after, result.threads.before);
	});

	for (const build of ['sources', 'dist']) {
		test(`from ${build}, a worker started by open and never used lets the process exit by itself, quietly`, () => {
			const stdout = exitsQuietly(ns, 'spare-left', build);
			const {threads} = JSON.parse(stdout) as {threads: Required<Threads>};
			assert.ok(threads.during > threads.before, 'the worker had started');
		});
	}

	test('a worker whose socket cannot send rejects with the errno and ends', () => {
		const result = runProbe<{error: {code: string; message: string}; threads: Threads}>(ns, [
			'send-fails',
		]);
		assert.deepEqual(result.error, {
			code: 'socket',
			message: 'sending to the kernel failed: errno 90',
		});
		assert.equal(result.threads.after, result.threads.before);
	});

	test('a request the kernel refuses ends the thread after handing on the NLMSG_ERROR', () => {
		const result = runProbe<{errno: number; datagrams: number; threads: Threads}>(ns, [
			'kernel-refuses',
		]);
		assert.equal(result.errno, 22, 'EINVAL');
		assert.equal(result.datagrams, 1);
		assert.equal(result.threads.after, result.threads.before);
	});
});
