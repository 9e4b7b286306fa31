/**
 * The SSH router fixture itself, with plain OpenSSH before conntop is involved: what the
 * `--ssh` tests rely on (root reads the router's table, the other user and the other key are
 * refused in the ways the faults need, stop drops open sessions, close leaves nothing behind).
 */
import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import {existsSync, readFileSync} from 'node:fs';
import {homedir} from 'node:os';
import {join} from 'node:path';
import {after, before, test} from 'node:test';
import {descendants, routerAddress, SshRouter, sshPort} from '../helpers/ssh-router.js';
import {waitFor} from '../helpers/ui-flows.js';

let router: SshRouter;
const passwdHash = () => createHash('sha256').update(readFileSync('/etc/passwd')).digest('hex');
const passwdBefore = passwdHash();
const sshDirBefore = existsSync(join(homedir(), '.ssh'));

before(async () => {
	router = await SshRouter.create();
	router.router.conntrack([
		'-I',
		...'-p tcp -s 10.1.0.1 -d 10.1.0.2 --sport 40001 --dport 80 --state SYN_SENT -t 600'.split(' '),
	]);
});

after(async () => {
	await router?.close();
});

test('root on the router lists the router namespace table over ssh, and only it', () => {
	const listed = router.ssh(['conntrack', '-L', '-o', 'extended,id']);
	assert.equal(listed.status, 0, listed.stderr);
	const lines = listed.stdout.trim().split('\n');
	assert.equal(lines.length, 1, 'the session itself is untracked: one entry');
	assert.match(lines[0], /src=10\.1\.0\.1 dst=10\.1\.0\.2 sport=40001 dport=80/);
	const local = router.router.conntrack(['-L', '-o', 'extended,id']);
	// The two reads are moments apart: the timeout and the age (delta-time) may tick between them.
	const steady = (text: string) =>
		text.replace(/ \d+ (SYN_SENT)/, ' T $1').replace(/delta-time=\d+/, 'delta-time=D');
	assert.equal(steady(listed.stdout), steady(local));
});

test("root's login runs in the fixture's own home with /bin/sh, not this machine's dotfiles", () => {
	const shell = router.ssh(['echo "$HOME"; readlink /proc/$$/exe']);
	assert.equal(shell.status, 0, shell.stderr);
	const [home, shellPath] = shell.stdout.trim().split('\n');
	assert.equal(home, `${router.dir}/root`);
	assert.doesNotMatch(shellPath, /bash/, `the shell is ${shellPath}`);
});

test('the extra user logs in, is not root, and may read neither netlink nor /proc', () => {
	const id = router.ssh(['id', '-u'], router.user);
	assert.equal(id.status, 0, `${id.stderr}\n${router.log}`);
	assert.notEqual(id.stdout.trim(), '0');
	const netlink = router.ssh(['/usr/sbin/conntrack', '-L'], router.user);
	assert.notEqual(netlink.status, 0);
	assert.match(netlink.stderr, /must be root or get CAP_NET_ADMIN/);
	const proc = router.ssh(['cat', '/proc/net/nf_conntrack'], router.user);
	assert.notEqual(proc.status, 0);
	assert.match(proc.stderr, /Permission denied/);
	assert.equal(passwdHash(), passwdBefore, "the user is in sshd's /etc/passwd only");
});

test('a key the router does not know is refused', () => {
	const refused = router.ssh(['true'], 'root', router.strangerConfig);
	assert.equal(refused.status, 255);
	assert.match(refused.stderr, /Permission denied \(publickey\)/);
});

test('stop drops an open session and refuses new ones; start serves again', async () => {
	const session = router.client.spawn(
		'ssh',
		['-F', router.config, '-p', String(sshPort), `root@${routerAddress}`, 'conntrack', '-E'],
		{stdio: ['ignore', 'ignore', 'pipe']},
	);
	const closed = new Promise<number | null>((resolve) => {
		session.once('exit', resolve);
	});
	try {
		// conntrack -E runs on the router once the session is up: the session is open.
		const serverPid = router.serverPid!;
		await waitFor(
			() => descendants(serverPid).length,
			(count) => count >= 2,
			10_000,
			'the session and its conntrack -E on the router',
		);
		await router.stop();
		assert.equal(await closed, 255, 'ssh reports the lost connection');
		assert.deepEqual(router.routerPids(), [], 'nothing of the session is left on the router');
		const refused = router.ssh(['true']);
		assert.equal(refused.status, 255);
		assert.match(refused.stderr, /Connection refused/);
	} finally {
		if (session.exitCode === null && session.pid) process.kill(session.pid, 'SIGKILL');
	}

	await router.start();
	const again = router.ssh(['echo', 'back']);
	assert.equal(again.status, 0, again.stderr);
	assert.equal(again.stdout, 'back\n');
});

test('close removes both namespaces and the temp dir, and touches neither /etc nor ~/.ssh', async () => {
	const probe = await SshRouter.create();
	const {dir} = probe;
	const names = [probe.router.name, probe.client.name];
	await probe.close();
	assert.equal(existsSync(dir), false);
	for (const name of names) assert.equal(existsSync(`/run/netns/${name}`), false, name);
	assert.equal(passwdHash(), passwdBefore);
	assert.equal(existsSync(join(homedir(), '.ssh')), sshDirBefore, '~/.ssh as it was');
});
