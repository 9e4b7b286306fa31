import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, symlinkSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {after, before, describe, test} from 'node:test';
import type {FlowJson} from '../../source/flow/json.js';
import {repoRoot, TestNamespace} from '../helpers/netns.js';

/** Runs a command to completion and returns its stdout; fails the test with its stderr. */
function run(command: string, args: readonly string[], cwd?: string): string {
	const result = spawnSync(command, args, {cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024});
	assert.equal(
		result.status,
		0,
		`${command} ${args.join(' ')} failed: ${result.stdout}${result.stderr}${result.error ?? ''}`,
	);
	return result.stdout;
}

describe('conntop packed from a fresh clone and installed globally', () => {
	let temporary: string;
	let clone: string;
	let tarball: string;
	let conntop: string;

	before(() => {
		temporary = mkdtempSync(path.join(tmpdir(), 'conntop-pack-'));
		clone = path.join(temporary, 'clone');
		// The committed HEAD only: uncommitted or ignored files (dist/) must not reach the package.
		run('git', ['clone', '--quiet', repoRoot, clone]);
		// `npm ci` would fetch and unpack the same lockfile's packages for half a minute on a small
		// machine; the checkout's own node_modules is what prepack's build needs.
		symlinkSync(path.join(repoRoot, 'node_modules'), path.join(clone, 'node_modules'));
		const [packed] = JSON.parse(run('npm', ['pack', '--json'], clone)) as Array<{filename: string}>;
		tarball = path.join(clone, packed.filename);
		const prefix = path.join(temporary, 'prefix');
		run('npm', [
			'install',
			'--global',
			'--prefer-offline',
			'--no-audit',
			'--no-fund',
			'--prefix',
			prefix,
			tarball,
		]);
		conntop = path.join(prefix, 'bin', 'conntop');
	});

	after(() => {
		if (temporary) rmSync(temporary, {recursive: true, force: true});
	});

	test('the tarball holds the built CLI, the README and the LICENSE, and no sources or tests', () => {
		const files = run('tar', ['-tzf', tarball]).trim().split('\n');
		for (const file of ['dist/cli.js', 'dist/kernel/event-child.cjs', 'README.md', 'LICENSE'])
			assert.ok(files.includes(`package/${file}`), `${file} is packed`);
		assert.ok(!files.some((file) => /^package\/(source|test|node_modules)\//.test(file)));
		assert.match(readFileSync(path.join(clone, 'LICENSE'), 'utf8'), /^MIT License\n/);
	});

	test('the installed bin prints the package version', () => {
		const {version} = JSON.parse(readFileSync(path.join(clone, 'package.json'), 'utf8')) as {
			version: string;
		};
		assert.equal(run(conntop, ['--version']).trim(), version);
	});

	test('the installed bin reads a namespace table with --once', () => {
		const ns = TestNamespace.create('pack');
		try {
			ns.conntrack(
				'-I -p tcp -s 10.9.0.1 -d 10.9.0.2 --sport 40001 --dport 443 --state ESTABLISHED -u SEEN_REPLY -t 600'.split(
					' ',
				),
			);
			const flows = JSON.parse(ns.run(conntop, ['--once', '--json'])) as FlowJson[];
			assert.deepEqual(
				flows.map((flow) => [flow.original.src, flow.original.dport, flow.state]),
				[['10.9.0.1', 443, 'ESTABLISHED']],
			);
			assert.match(ns.run(conntop, ['--once', '--width', '100']), /10\.9\.0\.2:443/);
		} finally {
			ns.remove();
		}
	});
});
