/**
 * Network namespaces for kernel tests: each test makes its own, with conntrack enabled by an
 * nft rule, and removes it after. Nothing here skips: a machine that cannot do this fails the
 * test with the reason (CI must prove the kernel side, not pass around it).
 */
import {
	execFileSync,
	spawn,
	spawnSync,
	type ChildProcess,
	type SpawnOptions,
} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {fileURLToPath} from 'node:url';

/** The repository root. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Throws with a clear reason when kernel tests cannot run here. */
export function assertKernelTestsCanRun(): void {
	if (process.getuid?.() !== 0)
		throw new Error('kernel tests need root (they create network namespaces)');
	for (const tool of ['ip', 'nft', 'conntrack']) {
		const found = spawnSync('sh', ['-c', `command -v ${tool}`], {encoding: 'utf8'});
		if (found.status !== 0)
			throw new Error(`kernel tests need \`${tool}\`: run .ci/run, which installs it`);
	}
}

/** A namespace made for one test. */
export class TestNamespace {
	private removed = false;

	private constructor(readonly name: string) {}

	/**
	 * Creates `ct-<tag>-<random>`, brings lo up, adds an nft table whose rules make conntrack
	 * track every packet there, and turns accounting and timestamps on.
	 */
	static create(tag: string, options: {acct?: boolean; timestamp?: boolean} = {}): TestNamespace {
		assertKernelTestsCanRun();
		const name = `ct-${tag}-${randomBytes(3).toString('hex')}`;
		execFileSync('ip', ['netns', 'add', name]);
		const ns = new TestNamespace(name);
		try {
			ns.run('ip', ['link', 'set', 'lo', 'up']);
			ns.nft(`table inet conntop_test {
	chain out { type filter hook output priority 0; ct state new counter; }
	chain pre { type filter hook prerouting priority 0; ct state new counter; }
}`);
			ns.sysctl('net.netfilter.nf_conntrack_acct', options.acct === false ? 0 : 1);
			ns.sysctl('net.netfilter.nf_conntrack_timestamp', options.timestamp === false ? 0 : 1);
		} catch (error) {
			ns.remove();
			throw error;
		}

		return ns;
	}

	/** Runs a command inside the namespace and returns its stdout; throws with its stderr. */
	run(command: string, args: readonly string[], input?: string): string {
		const result = spawnSync('ip', ['netns', 'exec', this.name, command, ...args], {
			encoding: 'utf8',
			input,
			maxBuffer: 256 * 1024 * 1024,
		});
		if (result.status !== 0) {
			throw new Error(
				`${command} ${args.join(' ')} failed in ${this.name}: ${result.stderr || result.error}`,
			);
		}

		return result.stdout;
	}

	/** Starts a long-running command inside the namespace. */
	spawn(command: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
		return spawn('ip', ['netns', 'exec', this.name, command, ...args], options);
	}

	/** Loads an nft ruleset fragment. */
	nft(ruleset: string): void {
		this.run('nft', ['-f', '-'], ruleset);
	}

	/** Sets a sysctl of the namespace. */
	sysctl(key: string, value: string | number): void {
		this.run('sysctl', ['-qw', `${key}=${value}`]);
	}

	/** Runs `conntrack` with these arguments in the namespace; returns stdout. */
	conntrack(args: readonly string[]): string {
		return this.run('conntrack', args);
	}

	/**
	 * Runs `argv` in the namespace with every capability dropped (bounding and inheritable sets
	 * emptied, so exec grants none): how conntop meets a user without CAP_NET_ADMIN. It stays
	 * uid 0 so it can still read a checkout that only root may enter.
	 */
	runWithoutCapabilities(argv: readonly string[]): {
		status: number | null;
		stdout: string;
		stderr: string;
	} {
		const drop = ['setpriv', '--bounding-set=-all', '--inh-caps=-all', '--'];
		const result = spawnSync('ip', ['netns', 'exec', this.name, ...drop, ...argv], {
			encoding: 'utf8',
		});
		return {status: result.status, stdout: result.stdout, stderr: result.stderr};
	}

	/**
	 * Links this namespace to `peer` by a veth pair, both ends up: `va` here as 10.77.0.1/24,
	 * `vb` there as 10.77.0.2/24, so traffic between them crosses a real interface.
	 */
	vethTo(peer: TestNamespace): void {
		this.run('ip', ['link', 'add', 'va', 'type', 'veth', 'peer', 'name', 'vb', 'netns', peer.name]);
		this.run('ip', ['addr', 'add', '10.77.0.1/24', 'dev', 'va']);
		this.run('ip', ['link', 'set', 'va', 'up']);
		peer.run('ip', ['addr', 'add', '10.77.0.2/24', 'dev', 'vb']);
		peer.run('ip', ['link', 'set', 'vb', 'up']);
	}

	/** Deletes the namespace (idempotent). */
	remove(): void {
		if (this.removed) return;
		this.removed = true;
		spawnSync('ip', ['netns', 'del', this.name]);
	}
}

/** Node arguments that run a TypeScript file the way the tests themselves run. */
export function tsNode(): string[] {
	return [process.execPath, '--import', 'tsx'];
}
