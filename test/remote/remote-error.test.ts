import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {isLoginRefused, RemoteError, remoteExitCodes} from '../../source/remote/remote-error.js';

describe('RemoteError', () => {
	test('each failure has its own exit code, none a usage error (2) or a plain failure (1)', () => {
		const codes = Object.values(remoteExitCodes);
		assert.equal(new Set(codes).size, codes.length);
		for (const code of codes) assert.ok(code > 2, String(code));
		assert.deepEqual(remoteExitCodes, {
			connect: 68,
			auth: 67,
			'not-root': 77,
			'no-conntrack': 69,
			dropped: 75,
		});
		assert.equal(new RemoteError('auth', 'refused').exitCode, 67);
	});

	// What OpenSSH 9 prints for each fault (its LogLevel ERROR lines).
	const refused = [
		'root@10.250.0.1: Permission denied (publickey).',
		'root@router: Permission denied (publickey,password).',
		'Received disconnect from 10.250.0.1 port 2222:2: Too many authentication failures',
		'No more authentication methods to try.',
	];
	const unreachable = [
		'ssh: connect to host 10.250.0.1 port 2223: Connection refused',
		'ssh: connect to host 10.250.0.9 port 22: Connection timed out',
		'ssh: Could not resolve hostname nowhere: Name or service not known',
		'ssh: connect to host 10.250.0.9 port 22: No route to host',
		'Host key verification failed.',
		'kex_exchange_identification: read: Connection reset by peer',
	];
	for (const message of refused) {
		test(`reads "${message}" as a refused login`, () => {
			assert.equal(isLoginRefused(message), true);
		});
	}

	for (const message of unreachable) {
		test(`reads "${message}" as not reaching the host`, () => {
			assert.equal(isLoginRefused(message), false);
		});
	}
});
