/**
 * A router reached over SSH, for `conntop --ssh` tests: a "router" namespace running a real
 * OpenSSH `sshd`, joined by a veth pair to a "client" namespace where conntop and `ssh` run, so
 * every packet stays between the two namespaces the test made.
 *
 * Everything the server and the client read is in one temp dir: host key, the client's key
 * pairs (one authorised, one the server refuses), `authorized_keys` per user, `sshd_config`,
 * the client's `ssh_config` (pass it with `--ssh-config`) and its known_hosts. Root's ~/.ssh and
 * /etc are never written:
 * - the non-root login (the "not root on the router" fault) is a user that exists only inside
 *   sshd's mount namespace: `ip netns exec` gives each command a mount namespace that does not
 *   propagate back (MS_SLAVE), and sshd's launcher bind-mounts a copy of /etc/passwd with one
 *   extra line over /etc/passwd there; in that copy root's home is in the temp dir and its shell
 *   is /bin/sh, so no ~/.bashrc or ~/.ssh/rc of this machine runs on the "router";
 * - Debian's sshd wants /run/sshd, which a fresh machine lacks: the launcher mounts a tmpfs on
 *   /run in the same private namespace (which also keeps sshd's utmp away from the host's).
 * Needs root, `ip`, `nft`, `conntrack`, `sshd` (openssh-server), `ssh` and `ssh-keygen`; fails
 * with the reason when one is missing.
 */
import {spawnSync, type ChildProcess} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {
	chmodSync,
	chownSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	readdirSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {TestNamespace} from './netns.js';
import {waitFor} from './ui-flows.js';

/** The built binary (`npm run build`), as the package's bin runs it. */
export const conntopBinary = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

/** Where Debian's openssh-server puts the daemon; sshd re-execs itself and wants a full path. */
const sshdPath = '/usr/sbin/sshd';

/** The router's address on the veth link (inside the test's namespaces only). */
export const routerAddress = '10.250.0.1';
/** The client's address on the veth link. */
export const clientAddress = '10.250.0.2';
/** The port sshd listens on: not 22, so every target carries `:port`. */
export const sshPort = 2222;

/** Throws with a clear reason when the SSH tests cannot run here. */
export function assertSshTestsCanRun(): void {
	for (const tool of [sshdPath, 'ssh', 'ssh-keygen']) {
		const found = spawnSync('sh', ['-c', `command -v ${tool}`], {encoding: 'utf8'});
		if (found.status !== 0)
			throw new Error(`SSH tests need \`${tool}\`: run .ci/run, which installs openssh-server`);
	}
}

/** The result of a command run to completion. */
export interface Ran {
	readonly status: number | null;
	readonly stdout: string;
	readonly stderr: string;
}

/** Options of {@link SshRouter.create}. */
export interface SshRouterOptions {
	/**
	 * Leave the SSH session's own TCP flow untracked on the router (default true): its counters
	 * and state change between any two reads, so a table compared field by field must not hold
	 * it. False keeps it, as a real router would.
	 */
	readonly untrackSsh?: boolean;
	/** Accounting in the router namespace (default on, as in TestNamespace). */
	readonly acct?: boolean;
	/** Timestamps in the router namespace (default on). */
	readonly timestamp?: boolean;
}

/** How {@link SshRouter.conntop} runs conntop; each has a default. */
export interface ConntopOptions {
	/** The `--ssh` argument (default root at the router's address and port). */
	readonly target?: string;
	/** The `--ssh-config` file (default {@link SshRouter.config}). */
	readonly config?: string;
	/** Environment for conntop alone, such as `CONNTOP_REMOTE_READER`. */
	readonly env?: Readonly<Record<string, string>>;
}

/** A router namespace with sshd, a client namespace, and the files both sides use. */
export class SshRouter {
	/** The sshd now listening, or undefined while stopped. */
	private server: ChildProcess | undefined;
	private serverLog = '';
	private closed = false;

	private constructor(
		/** The namespace whose conntrack table conntop reads over SSH. */
		readonly router: TestNamespace,
		/** The namespace conntop and ssh run in. */
		readonly client: TestNamespace,
		/** The temp dir holding every key and config. */
		readonly dir: string,
		/** A user that exists only for sshd: uid not 0, shell /bin/sh, home in `dir`. */
		readonly user: string,
	) {}

	/**
	 * Makes both namespaces and the link, the keys and configs, and starts sshd (resolves once it
	 * says it listens). On any failure everything made so far is removed.
	 */
	static async create(options: SshRouterOptions = {}): Promise<SshRouter> {
		assertSshTestsCanRun();
		const router = TestNamespace.create('rt', options);
		let client: TestNamespace | undefined;
		let dir: string | undefined;
		try {
			client = TestNamespace.create('cl');
			dir = mkdtempSync(join(tmpdir(), 'conntop-ssh-'));
			// sshd reads a user's authorized_keys with that user's uid: the path must be readable.
			chmodSync(dir, 0o755);
			const user = `ctnr${randomBytes(2).toString('hex')}`;
			const fixture = new SshRouter(router, client, dir, user);
			fixture.link(options.untrackSsh ?? true);
			fixture.writeFiles();
			await fixture.start();
			return fixture;
		} catch (error) {
			client?.remove();
			router.remove();
			if (dir) rmSync(dir, {recursive: true, force: true});
			throw error;
		}
	}

	/** The client's ssh_config: pass it with `--ssh-config` or `ssh -F`. */
	get config(): string {
		return join(this.dir, 'ssh_config');
	}

	/** An ssh_config like {@link config} but offering a key the router does not accept. */
	get strangerConfig(): string {
		return join(this.dir, 'ssh_config_stranger');
	}

	/** The pid file sshd writes. */
	get pidFile(): string {
		return join(this.dir, 'sshd.pid');
	}

	/** `user@address:port`, the `--ssh` argument; root unless another user is named. */
	target(user = 'root', port = sshPort): string {
		return `${user}@${routerAddress}:${port}`;
	}

	/** What sshd wrote on stderr (-e) since it last started: read it when a login fails. */
	get log(): string {
		return this.serverLog;
	}

	/** The pid of the listening sshd, or undefined while stopped. */
	get serverPid(): number | undefined {
		return this.server?.pid;
	}

	/** Runs `ssh -F config [args]` to the router as `user` from the client namespace. */
	ssh(remoteCommand: readonly string[], user = 'root', config = this.config): Ran {
		const result = spawnSync(
			'ip',
			[
				'netns',
				'exec',
				this.client.name,
				'ssh',
				'-F',
				config,
				'-p',
				String(sshPort),
				`${user}@${routerAddress}`,
				'--',
				...remoteCommand,
			],
			{encoding: 'utf8', timeout: 30_000, maxBuffer: 256 * 1024 * 1024},
		);
		return {status: result.status, stdout: result.stdout, stderr: result.stderr};
	}

	/**
	 * The argv that runs the built conntop in the client namespace against the router:
	 * `--ssh target --ssh-config config`, then `args`; `env` is set for conntop alone
	 * (`CONNTOP_REMOTE_READER=proc`).
	 */
	conntopArgv(args: readonly string[], options: ConntopOptions = {}): string[] {
		const assignments = Object.entries(options.env ?? {}).map(([key, value]) => `${key}=${value}`);
		return [
			'ip',
			'netns',
			'exec',
			this.client.name,
			'env',
			...assignments,
			process.execPath,
			conntopBinary,
			'--ssh',
			options.target ?? this.target(),
			'--ssh-config',
			options.config ?? this.config,
			...args,
		];
	}

	/** Runs {@link conntopArgv} to completion (bounded: killed after a minute). */
	conntop(args: readonly string[], options: ConntopOptions = {}): Ran {
		const [command, ...rest] = this.conntopArgv(args, options);
		const result = spawnSync(command, rest, {
			encoding: 'utf8',
			timeout: 60_000,
			maxBuffer: 256 * 1024 * 1024,
		});
		return {status: result.status, stdout: result.stdout, stderr: result.stderr};
	}

	/** Starts sshd (again, after {@link stop}) and resolves once it listens. */
	async start(): Promise<void> {
		if (this.server) throw new Error('sshd is already running');
		const passwd = join(this.dir, 'passwd');
		// MS_SLAVE from ip netns exec: these mounts are sshd's alone and vanish with it.
		const launch = [
			`mount --bind ${passwd} /etc/passwd`,
			'mount -t tmpfs -o mode=0755,size=1m conntop-ssh-run /run',
			'mkdir -m 0755 /run/sshd',
			`exec ${sshdPath} -D -e -f ${join(this.dir, 'sshd_config')}`,
		].join(' && ');
		this.serverLog = '';
		const server = this.router.spawn('sh', ['-c', launch], {stdio: ['ignore', 'ignore', 'pipe']});
		this.server = server;
		server.stderr!.setEncoding('utf8');
		server.stderr!.on('data', (chunk: string) => {
			this.serverLog += chunk;
		});
		server.once('exit', () => {
			if (this.server === server) this.server = undefined;
		});
		await waitFor(
			() => this.serverLog,
			(log) => log.includes('Server listening on') || this.server !== server,
			10_000,
			'sshd to listen',
		);
		if (this.server !== server) throw new Error(`sshd did not start:\n${this.serverLog}`);
	}

	/**
	 * Stops sshd and every session it forked (and their commands), as a router going down does:
	 * each open connection drops. Resolves once the listener has exited.
	 */
	async stop(): Promise<void> {
		const server = this.server;
		if (!server?.pid) return;
		const exited = new Promise((resolve) => {
			server.once('exit', resolve);
		});
		// Children first, so none is re-parented and missed; by pid, never by name.
		for (const pid of [...descendants(server.pid)].reverse()) signal(pid, 'SIGKILL');
		signal(server.pid, 'SIGKILL');
		await exited;
		this.server = undefined;
	}

	/** Pids of every process now in the client namespace (conntop, ssh, whatever they left). */
	clientPids(): number[] {
		return namespacePids(this.client.name);
	}

	/** Pids of every process now in the router namespace (sshd, sessions, their commands). */
	routerPids(): number[] {
		return namespacePids(this.router.name);
	}

	/**
	 * Ends conntop and ssh in the client namespace (SIGTERM, then SIGKILL), stops sshd, kills by
	 * pid anything left in either namespace, removes both namespaces and
	 * the temp dir (idempotent; safe after a failed test).
	 */
	async close(): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		// conntop still running after a failed test gets SIGTERM first, so it removes its own
		// control directory; whatever is left a few seconds later is killed.
		for (const pid of this.clientPids()) signal(pid, 'SIGTERM');
		await waitFor(
			() => this.clientPids(),
			(pids) => pids.length === 0,
			5000,
			'the client side to exit',
		).catch(() => undefined);
		await this.stop();
		for (const pid of [...this.clientPids(), ...this.routerPids()]) signal(pid, 'SIGKILL');
		this.client.remove();
		this.router.remove();
		rmSync(this.dir, {recursive: true, force: true});
	}

	/** A veth pair between the namespaces, addressed inside them only. */
	private link(untrackSsh: boolean): void {
		this.router.run('ip', [
			'link',
			'add',
			'ssh0',
			'type',
			'veth',
			'peer',
			'name',
			'ssh0',
			'netns',
			this.client.name,
		]);
		this.router.run('ip', ['addr', 'add', `${routerAddress}/24`, 'dev', 'ssh0']);
		this.client.run('ip', ['addr', 'add', `${clientAddress}/24`, 'dev', 'ssh0']);
		this.router.run('ip', ['link', 'set', 'ssh0', 'up']);
		this.client.run('ip', ['link', 'set', 'ssh0', 'up']);
		if (untrackSsh) {
			this.router.nft(`table inet conntop_ssh {
	chain pre { type filter hook prerouting priority raw; tcp dport ${sshPort} notrack; }
	chain out { type filter hook output priority raw; tcp sport ${sshPort} notrack; }
}`);
		}
	}

	/** Keys, authorized_keys per user, sshd_config, ssh_config and the extended passwd. */
	private writeFiles(): void {
		const {dir, user} = this;
		const keygen = (file: string, comment: string) => {
			const made = spawnSync(
				'ssh-keygen',
				['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', join(dir, file)],
				{encoding: 'utf8'},
			);
			if (made.status !== 0) throw new Error(`ssh-keygen ${file}: ${made.stderr}`);
		};

		keygen('host_ed25519', 'conntop-test-host');
		keygen('id_ed25519', 'conntop-test-client');
		keygen('stranger_ed25519', 'conntop-test-stranger');
		const publicKey = readFileSync(join(dir, 'id_ed25519.pub'), 'utf8');
		const keys = join(dir, 'keys');
		mkdirSync(keys, {mode: 0o755});
		for (const name of ['root', user]) writeFileSync(join(keys, name), publicKey, {mode: 0o644});

		// A uid no account on this machine has, so the login is neither root nor anyone real.
		const hostPasswd = readFileSync('/etc/passwd', 'utf8');
		const taken = new Set(hostPasswd.split('\n').map((line) => line.split(':')[2]));
		let uid = 61_000 + (randomBytes(2).readUInt16BE() % 3000);
		while (taken.has(String(uid))) uid++;
		const home = join(dir, 'home');
		mkdirSync(home, {mode: 0o755});
		chownSync(home, uid, 65_534);
		const line = `${user}:x:${uid}:65534:conntop test user:${home}:/bin/sh\n`;
		// Root logs in to a home and shell of the fixture's own: sshd runs commands with the
		// login shell, and bash started by sshd reads ~/.bashrc, which on a developer's machine
		// may do anything (pyenv's rehash takes a lock that a session killed by stop() leaves
		// behind, hanging every later login for a minute). A router's root has a plain sh.
		const rootHome = join(dir, 'root');
		mkdirSync(rootHome, {mode: 0o700});
		const passwd = hostPasswd
			.replace(/^root:([^:]*):0:0:([^:]*):[^:]*:[^\n]*$/m, `root:$1:0:0:$2:${rootHome}:/bin/sh`)
			.replace(/\n?$/, '\n');
		if (!passwd.includes(`:${rootHome}:/bin/sh`)) throw new Error('no root line in /etc/passwd');
		writeFileSync(join(dir, 'passwd'), passwd + line, {mode: 0o644});

		writeFileSync(
			join(dir, 'sshd_config'),
			[
				`ListenAddress ${routerAddress}:${sshPort}`,
				`HostKey ${join(dir, 'host_ed25519')}`,
				`PidFile ${this.pidFile}`,
				`AuthorizedKeysFile ${join(keys, '%u')}`,
				`AllowUsers root ${user}`,
				'UsePAM no',
				// /tmp is world-writable: strict modes would refuse every key under it.
				'StrictModes no',
				'PermitRootLogin prohibit-password',
				'PubkeyAuthentication yes',
				'PasswordAuthentication no',
				'KbdInteractiveAuthentication no',
				'PrintMotd no',
				'PrintLastLog no',
				'UseDNS no',
				// Benchmarks and reconnect tests open many connections in a row.
				'MaxStartups 100',
				'MaxSessions 50',
				'LogLevel VERBOSE',
				'',
			].join('\n'),
		);

		const clientConfig = (identity: string) =>
			[
				'Host *',
				`\tIdentityFile ${join(dir, identity)}`,
				'\tIdentitiesOnly yes',
				`\tUserKnownHostsFile ${join(dir, 'known_hosts')}`,
				'\tGlobalKnownHostsFile /dev/null',
				'\tStrictHostKeyChecking accept-new',
				'\tBatchMode yes',
				'\tConnectTimeout 5',
				'\tLogLevel ERROR',
				'',
			].join('\n');
		writeFileSync(this.config, clientConfig('id_ed25519'));
		writeFileSync(this.strangerConfig, clientConfig('stranger_ed25519'));
	}
}

/** Sends a signal to one pid, ignoring a process that is already gone. */
function signal(pid: number, name: NodeJS.Signals): void {
	try {
		process.kill(pid, name);
	} catch {
		// ESRCH: it exited between the listing and the signal.
	}
}

/** Every descendant of `root`, parents before children, from /proc/<pid>/stat. */
export function descendants(root: number): number[] {
	const children = new Map<number, number[]>();
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		let stat: string;
		try {
			stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
		} catch {
			continue;
		}

		// The command name may hold spaces and parentheses: fields restart after the last ')'.
		const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
		const list = children.get(ppid) ?? [];
		list.push(Number(entry));
		children.set(ppid, list);
	}

	const out: number[] = [];
	const queue = [root];
	while (queue.length > 0) {
		for (const child of children.get(queue.shift()!) ?? []) {
			out.push(child);
			queue.push(child);
		}
	}

	return out;
}

/** Pids of the processes in a named network namespace (`ip netns pids`). */
export function namespacePids(name: string): number[] {
	const listed = spawnSync('ip', ['netns', 'pids', name], {encoding: 'utf8'});
	return listed.stdout
		.split('\n')
		.filter((line) => /^\d+$/.test(line.trim()))
		.map(Number);
}
