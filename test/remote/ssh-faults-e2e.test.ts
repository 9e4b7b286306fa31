/**
 * `conntop --ssh` when the router or the login goes wrong, end to end with a real sshd
 * (test/helpers/ssh-router.ts): each fault is one clear sentence on stderr and its own exit
 * code; a router that goes away mid-run leaves the TUI showing a stale table that comes back
 * when the router does. Needs root, conntrack, nft, ip, tmux and openssh-server (.ci/run
 * installs them); fails rather than skips without them.
 */
import assert from 'node:assert/strict';
import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {conntopBinary, SshRouter, sshPort, type Ran} from '../helpers/ssh-router.js';
import {Tmux} from '../helpers/tmux.js';
import {waitFor} from '../helpers/ui-flows.js';

/** Makes the router side read /proc/net/nf_conntrack instead of running `conntrack`. */
const procReader = {CONNTOP_REMOTE_READER: 'proc'};

let router: SshRouter;

before(async () => {
	assert.ok(existsSync(conntopBinary), 'dist/cli.js exists: run `npm run build` (npm test does)');
	router = await SshRouter.create();
	router.router.conntrack(
		'-I -p tcp -s 10.8.0.1 -d 10.8.0.100 --sport 42001 --dport 443 --state ESTABLISHED -u SEEN_REPLY,ASSURED -t 3600'.split(
			' ',
		),
	);
});

after(async () => {
	await router?.close();
});

/** Asserts one line on stderr, in conntop's voice, and nothing on stdout; returns the line. */
function oneSentence(ran: Ran, what: string): string {
	assert.equal(ran.stdout, '', `${what}: nothing on stdout`);
	const lines = ran.stderr.trimEnd().split('\n');
	assert.equal(lines.length, 1, `${what}: one line on stderr, got:\n${ran.stderr}`);
	assert.match(lines[0], /^conntop: /, `${what}: in conntop's voice`);
	return lines[0];
}

describe('faults before the table is read', () => {
	const codes = new Map<string, number | null>();

	test('a port nothing listens on: one sentence naming the host and port, exit 68', () => {
		const ran = router.conntop(['--once', '--json'], {target: router.target('root', sshPort + 1)});
		assert.equal(ran.status, 68, ran.stderr);
		const line = oneSentence(ran, 'wrong port');
		assert.match(line, /10\.250\.0\.1/);
		assert.match(line, new RegExp(String(sshPort + 1)));
		assert.match(line, /refused|not reach|cannot connect/i);
		codes.set('port', ran.status);
	});

	test('a key the router refuses: one sentence saying the login was refused, exit 67', () => {
		const ran = router.conntop(['--once', '--json'], {config: router.strangerConfig});
		assert.equal(ran.status, 67, ran.stderr);
		const line = oneSentence(ran, 'refused key');
		assert.match(line, /key|publickey|denied|refused|authenticat/i);
		codes.set('key', ran.status);
	});

	test('a user that is not root on the router: one sentence saying so, exit 77 (conntrack reader)', () => {
		const ran = router.conntop(['--once', '--json'], {target: router.target(router.user)});
		assert.equal(ran.status, 77, ran.stderr);
		assert.match(oneSentence(ran, 'not root'), /root|CAP_NET_ADMIN/);
		codes.set('root', ran.status);
	});

	test('a user that is not root on the router: exit 77 with the /proc reader too', () => {
		const ran = router.conntop(['--once', '--json'], {
			target: router.target(router.user),
			env: procReader,
		});
		assert.equal(ran.status, 77, ran.stderr);
		assert.match(oneSentence(ran, 'not root (/proc)'), /root|CAP_NET_ADMIN/);
	});

	test('the three faults have three different exit codes, none a usage error (2)', () => {
		assert.equal(codes.size, 3, 'the three fault tests above ran');
		assert.equal(new Set(codes.values()).size, 3, JSON.stringify([...codes]));
		for (const code of codes.values()) assert.notEqual(code, 2);
		assert.deepEqual(router.clientPids(), [], 'no ssh left behind in the client namespace');
	});
});

/** Pids in the client namespace running an ssh control master (`-M` in their argv). */
function masterPids(): number[] {
	return router.clientPids().filter((pid) => {
		try {
			return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes('-M');
		} catch {
			return false;
		}
	});
}

describe('the router going away while the TUI runs', () => {
	let tmux: Tmux | undefined;

	after(() => {
		tmux?.kill();
	});

	test('marks the table stale while sshd is down, keeps running, and reconnects when it is back', async () => {
		const log = join(router.dir, 'deleted.jsonl');
		const argv = router.conntopArgv(['--delete-log', log]);
		const command = `env -u CI ${argv.join(' ')}; echo "conntop exited $?"; sleep 600`;
		tmux = Tmux.start({command, width: 120, height: 30});
		const screen = () => tmux!.screen();
		const waitForScreen = async (accept: (text: string) => boolean, what: string) =>
			tmux!.waitForScreen(accept, what, 60_000);

		await waitForScreen((text) => text.includes('10.8.0.1:42001'), "the router's flow");
		assert.doesNotMatch(screen(), /STALE/);

		await router.stop();
		const stale = await waitForScreen((text) => text.includes('STALE'), 'the table marked stale');
		assert.match(stale, /10\.8\.0\.1:42001/, 'the last table stays on screen');
		assert.doesNotMatch(stale, /conntop exited/, 'conntop keeps running');

		await router.start();
		router.router.conntrack(
			'-I -p tcp -s 10.8.0.2 -d 10.8.0.100 --sport 42002 --dport 443 --state ESTABLISHED -u SEEN_REPLY,ASSURED -t 3600'.split(
				' ',
			),
		);
		await waitForScreen(
			(text) => text.includes('10.8.0.2:42002') && !text.includes('STALE'),
			'the table read again after the reconnect, no longer stale',
		);
		assert.equal(masterPids().length, 1, 'one ssh master after the reconnect, not two');

		tmux.type('q');
		await waitForScreen((text) => text.includes('conntop exited 0'), 'the exit');
		assert.equal(tmux.display('#{alternate_on}'), '0');
		await waitFor(
			() => router.clientPids(),
			(pids) => pids.length === 0,
			5000,
			'no ssh (or anything) left in the client namespace',
		);
	});
});
