/**
 * Long-running helper processes (probes, the built binary) whose output a test reads while
 * they run, and waits on: start one, wait until it says it is ready, make traffic, stop it.
 * Every wait polls for something the process printed, with a deadline; none sleeps a fixed time.
 */
import {spawn, type ChildProcess} from 'node:child_process';
import type {TestNamespace} from './netns.js';

/** How to start a probe. */
export interface ProbeOptions {
	/** Run inside this namespace (`ip netns exec`); else in the test's own. */
	readonly ns?: TestNamespace;
	/** Extra environment, added to the test's. */
	readonly env?: NodeJS.ProcessEnv;
	/** `pipe` to write to the probe's stdin (sync-probe reads "finish"); default `ignore`. */
	readonly stdin?: 'pipe' | 'ignore';
	/** `pipe` to read stderr with `stderr()`; default `inherit`, so failures show in the test log. */
	readonly stderr?: 'pipe' | 'inherit';
}

/** A started probe. */
export interface Probe {
	readonly child: ChildProcess;
	/** Everything stdout has printed so far. */
	output(): string;
	/** Everything stderr has printed so far (empty unless `stderr: 'pipe'`). */
	errors(): string;
	/** stdout's complete lines parsed as JSON, in order. */
	jsonLines<T = Record<string, unknown>>(): T[];
	/**
	 * Polls every `intervalMs` (default 20) until `check` holds for the output so far; throws
	 * naming `what` (and showing the output) when `timeoutMs` passes first, or when the probe
	 * exits first. `check` may also act (list the table to make the kernel reap entries).
	 */
	waitFor(
		check: (output: string, errors: string) => boolean,
		what: string,
		timeoutMs?: number,
		intervalMs?: number,
	): Promise<void>;
	/** Resolves with the exit code (null after a signal) once the process has exited. */
	readonly exited: Promise<number | null>;
	/**
	 * Sends `signal` (default SIGTERM) unless it has exited, then waits for the exit; SIGKILL
	 * follows after 10 s, so a process that ignores the signal cannot hang the test.
	 */
	stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `argv` (program first) and collects its output; see `Probe`. */
export function spawnProbe(argv: readonly string[], options: ProbeOptions = {}): Probe {
	const stdio = [options.stdin ?? 'ignore', 'pipe', options.stderr ?? 'inherit'] as const;
	const spawnOptions = {stdio: [...stdio], env: {...process.env, ...options.env}};
	const [command, ...args] = argv;
	const child = options.ns
		? options.ns.spawn(command, args, spawnOptions)
		: spawn(command, args, spawnOptions);
	let output = '';
	let errors = '';
	child.stdout!.setEncoding('utf8');
	child.stdout!.on('data', (text: string) => {
		output += text;
	});
	child.stderr?.setEncoding('utf8');
	child.stderr?.on('data', (text: string) => {
		errors += text;
	});
	let done = false;
	const exited = new Promise<number | null>((resolve) => {
		child.on('exit', (code) => {
			done = true;
			resolve(code);
		});
	});

	return {
		child,
		exited,
		output: () => output,
		errors: () => errors,
		jsonLines: <T>() =>
			output
				.split('\n')
				.slice(0, -1)
				.filter(Boolean)
				.map((line) => JSON.parse(line) as T),
		async waitFor(check, what, timeoutMs = 10_000, intervalMs = 20) {
			const deadline = Date.now() + timeoutMs;
			while (!check(output, errors)) {
				const why = done ? 'the process exited' : Date.now() > deadline ? 'timed out' : '';
				if (why) {
					throw new Error(
						`${why} waiting until ${what}\nstdout: ${output.slice(-2000)}\nstderr: ${errors.slice(-2000)}`,
					);
				}

				await new Promise((resolve) => setTimeout(resolve, intervalMs));
			}
		},
		async stop(signal = 'SIGTERM') {
			if (done) return exited;
			child.kill(signal);
			const guard = setTimeout(() => child.kill('SIGKILL'), 10_000);
			const code = await exited;
			clearTimeout(guard);
			return code;
		},
	};
}

/**
 * Starts a probe that prints a JSON line with a `ready` field once it listens (kernel-probe
 * `events`, `capture-events`, sync-probe, the events benchmark's probe) and waits for it.
 */
export async function startReadyProbe(
	argv: readonly string[],
	options: ProbeOptions = {},
): Promise<Probe> {
	const probe = spawnProbe(argv, options);
	try {
		await probe.waitFor((output) => output.includes('"ready"'), 'the probe is ready');
	} catch (error) {
		await probe.stop('SIGKILL');
		throw error;
	}

	return probe;
}
