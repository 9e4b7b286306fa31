import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {describe, test} from 'node:test';
import {printable} from '../../source/remote/printable.js';
import {shellCommand, shellQuote} from '../../source/remote/shell-quote.js';
import {parseSshTarget, targetArgs} from '../../source/remote/ssh-target.js';

/** What a real POSIX sh makes of `word`: printf prints it back unchanged, or not. */
function throughShell(word: string): string {
	const result = spawnSync('sh', ['-c', `printf %s ${shellQuote(word)}`], {encoding: 'latin1'});
	assert.equal(result.status, 0, result.stderr);
	return result.stdout;
}

describe('shellQuote', () => {
	const hostile = [
		"it's",
		"'",
		"''",
		'$(touch /tmp/conntop-pwned)',
		'`touch /tmp/conntop-pwned`',
		'a; rm -rf /',
		'a && b || c | d > e < f',
		'"$HOME" ${PATH} $1 \\n \\',
		'~root',
		'*',
		'-rf',
		'a\nb',
		'\u001B[2J',
		'',
		' leading and trailing ',
		'x'.repeat(10_000),
	];
	for (const word of hostile) {
		test(`passes ${JSON.stringify(word.slice(0, 30))} through sh as one unchanged word`, () => {
			assert.equal(throughShell(word), word);
		});
	}

	test('leaves plain words unquoted and refuses NUL', () => {
		assert.equal(shellQuote('10.0.0.1'), '10.0.0.1');
		assert.equal(shellQuote(443), '443');
		assert.equal(shellQuote('2001:db8::1'), '2001:db8::1');
		assert.throws(() => shellQuote('a\0b'));
	});

	test('quotes each word of a command on its own', () => {
		assert.equal(shellCommand(['cat', "a b'c"]), `cat 'a b'\\''c'`);
	});
});

describe('parseSshTarget', () => {
	test('reads user, host and port', () => {
		assert.deepEqual(parseSshTarget('root@192.168.1.1:2222'), {
			user: 'root',
			host: '192.168.1.1',
			port: 2222,
			label: 'root@192.168.1.1:2222',
		});
		assert.deepEqual(parseSshTarget('router'), {
			user: undefined,
			host: 'router',
			port: undefined,
			label: 'router',
		});
	});

	test('reads IPv6 bare and in brackets with a port', () => {
		assert.equal((parseSshTarget('root@fd00::1') as {host: string}).host, 'fd00::1');
		const bracketed = parseSshTarget('[fd00::1]:22') as {host: string; port: number};
		assert.equal(bracketed.host, 'fd00::1');
		assert.equal(bracketed.port, 22);
	});

	const refused = [
		'-oProxyCommand=touch /tmp/x',
		'-p',
		'--',
		'',
		'host name',
		'host\tname',
		'router\u001B[2J',
		'root@-oProxyCommand=x',
		'-root@host',
		'user;id@host',
		'host:0',
		'host:65536',
		'host:22x',
		'[fd00::1',
		'[fd00::1]x',
		'host$(id)',
	];
	for (const text of refused) {
		test(`refuses ${JSON.stringify(text)}`, () => {
			assert.ok('error' in parseSshTarget(text));
		});
	}

	test('puts the destination after -- so it is never read as an option', () => {
		const target = parseSshTarget('root@router:2222');
		assert.ok(!('error' in target));
		assert.deepEqual(targetArgs(target), ['-p', '2222', '--', 'root@router']);
	});
});

describe('printable', () => {
	test('strips control characters, escape sequences and bidi overrides, and cuts long text', () => {
		assert.equal(
			printable('Permission denied\u001B]0;pwned\u0007 (publickey).\r\n'),
			'Permission denied ]0;pwned  (publickey).',
		);
		assert.equal(printable('a\u009Bb\u202Ec\u0000d'), 'a b c d');
		const long = printable('x'.repeat(10 << 20));
		assert.equal([...long].length, 200);
		// Looked for as a string: a regex naming ESC trips no-control-regex for no gain here.
		assert.ok(!printable('\u001B[31mred\u001B[0m').includes('\u001B'));
	});
});
