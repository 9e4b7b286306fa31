/**
 * `--netns NAME|PID`: show another network namespace's table.
 *
 * Netlink sockets belong to the namespace of the thread that opens them and Node cannot
 * switch namespaces, so conntop runs itself again under `nsenter --net=...`: the new process
 * opens its sockets, and reads nf_conntrack_max from procfs, inside that namespace.
 */
import {spawn} from 'node:child_process';
import {existsSync} from 'node:fs';

/** The marker that says this process already runs inside the requested namespace. */
export const netnsEnvironment = 'CONNTOP_IN_NETNS';

/** Where the namespace of NAME (under /run/netns) or of process PID lives; or an error sentence. */
export function resolveNetns(value: string): {path: string} | {error: string} {
	if (/^\d+$/.test(value)) {
		const path = `/proc/${value}/ns/net`;
		return existsSync(path) ? {path} : {error: `--netns ${value}: no process with that PID.`};
	}

	if (!/^[\w.-]+$/.test(value)) return {error: `--netns "${value}": not a namespace name or PID.`};
	const path = `/run/netns/${value}`;
	return existsSync(path)
		? {path}
		: {error: `--netns ${value}: no network namespace by that name (see \`ip netns list\`).`};
}

/**
 * Runs this same command again inside the namespace at `path`, with the terminal handed over,
 * and resolves with its exit code. Signals to us are passed on so the child restores the screen.
 */
export async function reexecInNetns(path: string, label: string): Promise<number> {
	const args = [
		'--net=' + path,
		'--',
		process.execPath,
		...process.execArgv,
		...process.argv.slice(1),
	];
	const child = spawn('nsenter', args, {
		stdio: 'inherit',
		env: {...process.env, [netnsEnvironment]: label},
	});
	// Pass signals on and wait for the child to end: it restores the terminal. A Ctrl-C from a
	// terminal reaches the child twice (once through its process group, once from us), so the
	// child's handlers must tolerate repeats.
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
		process.on(signal, () => child.kill(signal));
	return new Promise((resolve) => {
		child.on('error', (error) => {
			process.stderr.write(`conntop: could not run nsenter: ${error.message}\n`);
			resolve(1);
		});
		child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 + 15 : 1)));
	});
}
