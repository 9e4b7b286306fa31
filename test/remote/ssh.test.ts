/**
 * SshConnection's master, with a stand-in ssh (test/helpers/fake-ssh.mjs) that binds the
 * control socket as `ssh -M -N` does: one master at a time, the old one stopped before a new
 * one binds its socket, its death reported once.
 */
import assert from 'node:assert/strict';
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {after, before, describe, test} from 'node:test';
import {SshConnection} from '../../source/remote/ssh.js';
import {waitFor} from '../helpers/ui-flows.js';

const fakeSsh = fileURLToPath(new URL('../helpers/fake-ssh.mjs', import.meta.url));
let dir: string;
let logPath: string;
const previousLog = process.env.FAKE_SSH_LOG;

before(() => {
	dir = mkdtempSync(join(tmpdir(), 'conntop-fake-ssh-'));
	logPath = join(dir, 'log');
	process.env.FAKE_SSH_LOG = logPath;
});

after(() => {
	if (previousLog === undefined) delete process.env.FAKE_SSH_LOG;
	else process.env.FAKE_SSH_LOG = previousLog;
	rmSync(dir, {recursive: true, force: true});
});

/** The log's lines as [what, pid]. */
function masters(): Array<[string, number]> {
	if (!existsSync(logPath)) return [];
	return readFileSync(logPath, 'utf8')
		.trim()
		.split('\n')
		.filter(Boolean)
		.map((line) => {
			const [what, pid] = line.split(' ');
			return [what, Number(pid)];
		});
}

/** Pids of masters started and not yet exited. */
function running(): number[] {
	const live = new Set<number>();
	for (const [what, pid] of masters()) {
		if (what === 'start') live.add(pid);
		else live.delete(pid);
	}

	return [...live];
}

function open(onGone: (reason: string) => void = () => undefined): Promise<SshConnection> {
	rmSync(logPath, {force: true});
	return SshConnection.open({target: {host: 'router', label: 'router'}, binary: fakeSsh}, onGone);
}

describe('SshConnection master', () => {
	test('two reconnects at once make one new master, after the old one has exited', async () => {
		const gone: string[] = [];
		const connection = await open((reason) => gone.push(reason));
		try {
			assert.equal(running().length, 1);
			const [first] = running();
			await Promise.all([connection.reconnect(), connection.reconnect()]);
			const log = masters();
			assert.deepEqual(
				log.map(([what]) => what),
				['start', 'exit', 'start'],
				'the old master exits before the one new master starts',
			);
			assert.equal(log[1][1], first);
			assert.equal(running().length, 1);
			assert.equal(connection.generation, 2);
			assert.deepEqual(gone, [], 'stopping the old master on purpose is not a drop');
			assert.ok(existsSync(connection.controlPath), "the new master's socket");
		} finally {
			connection.close();
		}

		await waitFor(running, (pids) => pids.length === 0, 5000, 'close to stop the master');
		assert.equal(existsSync(connection.controlDirectory), false);
	});

	test('a master that dies is reported once; reconnect then starts one master', async () => {
		const gone: string[] = [];
		const connection = await open((reason) => gone.push(reason));
		try {
			const [first] = running();
			process.kill(first, 'SIGTERM');
			await waitFor(
				() => gone.length,
				(count) => count > 0,
				5000,
				'the master death reported',
			);
			await connection.reconnect();
			assert.equal(gone.length, 1);
			assert.equal(running().length, 1);
			assert.notEqual(running()[0], first);
		} finally {
			connection.close();
		}

		await waitFor(running, (pids) => pids.length === 0, 5000, 'close to stop the master');
	});
});
