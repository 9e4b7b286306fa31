/**
 * Delete safety with the real binary in a tmux pane on a test namespace's table: a delete
 * right before quitting reaches the kernel and the log before conntop has exited, and pasted
 * text or a burst of keys deletes nothing. Needs root, ip, conntrack and tmux; fails rather
 * than skips without them.
 */
import assert from 'node:assert/strict';
import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import {hostname, tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, test} from 'node:test';
import {pasteIgnoredMessage} from '../../source/ui/input-batch.js';
import {readDeleteLog} from '../helpers/delete-log.js';
import {repoRoot, TestNamespace} from '../helpers/netns.js';
import {Tmux} from '../helpers/tmux.js';

let ns: TestNamespace | undefined;
let logDir: string | undefined;
const terminals: Tmux[] = [];

function entry(sport: number): string[] {
	return [
		'-I',
		'-p',
		'tcp',
		'-s',
		'10.8.0.1',
		'-d',
		'10.8.0.100',
		'--sport',
		String(sport),
		'--dport',
		'443',
		'--state',
		'ESTABLISHED',
		'-u',
		'SEEN_REPLY,ASSURED',
		'-t',
		'3600',
	];
}

/** The namespace's flows by source port, from conntrack -L. */
function kernelPorts(): number[] {
	return [...ns!.conntrack(['-L']).matchAll(/src=10\.8\.0\.1 dst=10\.8\.0\.100 sport=(\d+)/g)]
		.map((match) => Number(match[1]))
		.sort((a, b) => a - b);
}

/** Starts conntop in a new tmux on the test namespace; returns the terminal and its log. */
function startConntop(args: readonly string[]) {
	const log = join(logDir!, `conntop${terminals.length + 1}.jsonl`);
	const cli = join(repoRoot, 'source/cli.tsx');
	// CI must be unset or Ink renders non-interactively; the shell keeps the pane open after
	// conntop exits so the exit code can be read.
	const command = `env -u CI ${process.execPath} --import tsx ${cli} --netns ${ns!.name} --delete-log ${log} ${args.join(' ')}; echo "conntop exited $?"; sleep 600`;
	const tmux = Tmux.start({command, width: 110, height: 30, cwd: repoRoot});
	terminals.push(tmux);
	const waitForScreen = async (accept: (text: string) => boolean, what: string) =>
		tmux.waitForScreen(accept, what);
	const keys = (...keys: string[]) => {
		tmux.keys(...keys);
	};

	return {tmux, log, waitForScreen, keys};
}

before(() => {
	ns = TestNamespace.create('tuidel');
	for (const sport of [42_001, 42_002, 42_003, 42_004]) ns.conntrack(entry(sport));
	logDir = mkdtempSync(join(tmpdir(), 'conntop-tuidel-'));
});

after(() => {
	for (const tmux of terminals) tmux.kill();
	ns?.remove();
	if (logDir) rmSync(logDir, {recursive: true, force: true});
});

for (const [quit, code, sport] of [
	['q', 0, 42_001],
	['C-c', 130, 42_002],
] as const) {
	test(`a delete answered just before ${quit} is gone from the kernel and in the log once conntop has exited (${code})`, async () => {
		const ui = startConntop(['-f', `sport:${sport}`]);
		await ui.waitForScreen((text) => text.includes(`10.8.0.1:${sport}`), 'the flow');
		ui.keys('-l', 'x');
		await ui.waitForScreen(
			(text) => text.includes(`Delete tcp 10.8.0.1:${sport} → 10.8.0.100:443`),
			"x's question",
		);
		// y and the quit key go in as two writes, so the delete is usually still in flight when the
		// quit arrives. Right after a frame the app may still be busy and read both at once: a
		// burst, ignored (the question stays). Then y alone, its report, and the quit.
		const quitKey = () => ui.keys(quit === 'q' ? '-l' : '-H', quit === 'q' ? 'q' : '03');
		ui.keys('-l', 'y');
		quitKey();
		let exited = await ui.waitForScreen(
			(t) => t.includes('conntop exited') || t.includes(pasteIgnoredMessage),
			'the exit',
		);
		if (!exited.includes('conntop exited')) {
			ui.keys('-l', 'y');
			await ui.waitForScreen((t) => t.includes('deleted 1'), 'the delete report');
			quitKey();
			exited = await ui.waitForScreen((t) => t.includes('conntop exited'), 'the exit');
		}

		assert.match(exited, new RegExp(`conntop exited ${code}`));
		assert.ok(!kernelPorts().includes(sport), 'the flow is gone from the kernel');
		assert.ok(existsSync(ui.log), 'the log was written before the exit');
		const lines = readDeleteLog(ui.log);
		assert.equal(lines.length, 1);
		assert.equal(lines[0].flow.original.sport, sport);
		assert.equal(lines[0].netns, ns!.name);
		assert.equal(lines[0].host, hostname());
	});
}

for (const [how, send] of [
	[
		'tmux paste-buffer -p (bracketed paste)',
		(tmux: Tmux) => {
			tmux.run('set-buffer', '-b', 'conntop-paste', 'ab x');
			tmux.run('paste-buffer', '-p', '-b', 'conntop-paste', '-t', tmux.session);
		},
	],
	[
		"send-keys -l 'ab x' (a burst in one read)",
		(tmux: Tmux) => {
			tmux.type('ab x');
		},
	],
] as const) {
	test(`with --no-confirm, ${how} deletes nothing and says pasted input was ignored`, async () => {
		const before = kernelPorts();
		const ui = startConntop(['--no-confirm']);
		await ui.waitForScreen(
			(text) => before.every((port) => text.includes(`10.8.0.1:${port}`)),
			'the flows',
		);
		send(ui.tmux);
		const text = await ui.waitForScreen((t) => t.includes(pasteIgnoredMessage), 'the notice');
		assert.doesNotMatch(text, /\d tagged|deleting \d|deleted \d/);
		assert.match(text, /sort src/);
		ui.keys('-l', 'q');
		await ui.waitForScreen((t) => t.includes('conntop exited 0'), 'the exit');
		assert.deepEqual(kernelPorts(), before, 'conntrack -L lists the same flows');
		assert.ok(!existsSync(ui.log), 'nothing was logged');
	});
}
