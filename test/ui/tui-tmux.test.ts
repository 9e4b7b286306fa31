/**
 * The real binary in a real terminal: conntop runs in a tmux pane of known size on a test
 * namespace's table; keys go in with send-keys, the screen comes back with capture-pane, and
 * the kernel table is checked with conntrack. Needs root, ip, conntrack and tmux (.ci/run
 * installs them); it fails rather than skips without them.
 */
import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, test} from 'node:test';
import {repoRoot, TestNamespace} from '../helpers/netns.js';
import {Tmux} from '../helpers/tmux.js';

let ns: TestNamespace | undefined;
let logDir: string | undefined;
let tmux: Tmux | undefined;

function entry(source: string, sport: number, dport: number): string[] {
	return [
		'-I',
		'-p',
		'tcp',
		'-s',
		source,
		'-d',
		'10.7.0.100',
		'--sport',
		String(sport),
		'--dport',
		String(dport),
		'--state',
		'ESTABLISHED',
		'-u',
		'SEEN_REPLY,ASSURED',
		'-t',
		'3600',
	];
}

before(() => {
	ns = TestNamespace.create('tui');
	ns.conntrack(entry('10.7.0.1', 41_001, 443));
	ns.conntrack(entry('10.7.0.2', 41_002, 22));
	ns.conntrack(entry('10.7.0.3', 41_003, 443));
	logDir = mkdtempSync(join(tmpdir(), 'conntop-tui-'));
});

after(() => {
	tmux?.kill();
	ns?.remove();
	if (logDir) rmSync(logDir, {recursive: true, force: true});
});

test('conntop in tmux shows the table, filters, deletes a flow with x after asking, and gives the terminal back on q', async () => {
	const cli = join(repoRoot, 'source/cli.tsx');
	const log = join(logDir!, 'deleted.jsonl');
	// CI must be unset or Ink renders non-interactively; the shell keeps the pane open after
	// conntop exits so the restored screen and the exit code can be read.
	const command = `env -u CI ${process.execPath} --import tsx ${cli} --netns ${ns!.name} --delete-log ${log}; echo "conntop exited $?"; sleep 600`;
	tmux = Tmux.start({command, width: 100, height: 30, cwd: repoRoot});
	const term = tmux;

	const first = await term.waitForScreen(
		(text) => text.includes('10.7.0.3:41003') && text.includes('flows 3/3'),
		'the three flows',
	);
	assert.match(first, /^conntop {2}\S+ \[netns ct-tui-\w+\]/m);
	assert.match(first, /tcp +10\.7\.0\.1:41001 +10\.7\.0\.100:443 .*ESTABLISHED/);
	assert.equal(term.display('#{alternate_on}'), '1');

	term.keys('/');
	term.type('dport:443');
	await term.waitForScreen((text) => text.includes('2 match'), 'the live match count');
	term.keys('Enter');
	// The filter is in force while it is typed, so the table alone does not say that Enter was
	// read: wait for the prompt to close too, or x could come in the same read as Enter (a
	// burst, which the paste guard ignores whole).
	const filtered = await term.waitForScreen(
		(text) =>
			text.includes('flows 2/3') &&
			!text.includes('10.7.0.2:41002') &&
			!text.includes('Enter keeps it'),
		'the filtered table, the prompt closed',
	);
	assert.match(filtered, /filter dport:443/);

	// The cursor is on the first row: 10.7.0.1 sorts first by source.
	term.type('x');
	await term.waitForScreen(
		(text) => text.includes('Delete tcp 10.7.0.1:41001 → 10.7.0.100:443'),
		"x's question, with the flow in it",
	);
	term.type('y');
	await term.waitForScreen((text) => text.includes('deleted 1, log: '), 'the delete report');
	const listed = ns!.conntrack(['-L']);
	assert.doesNotMatch(listed, /sport=41001/, 'the flow is gone from the kernel');
	assert.match(listed, /sport=41002/);
	assert.match(listed, /sport=41003/);
	assert.match(readFileSync(log, 'utf8'), /41001/);
	// The kernel sends no DESTROY for entries made before anyone listened: conntop closes the
	// row itself after a delete, shows it dimmed as closed, then lets it go.
	await term.waitForScreen(
		(text) => !text.includes('10.7.0.1:41001'),
		'the deleted flow leaving the table',
	);

	term.type('q');
	const restored = await term.waitForScreen(
		(text) => text.includes('conntop exited 0'),
		'the exit',
	);
	assert.doesNotMatch(
		restored,
		/Proto|10\.7\.0\.3:41003/,
		'the table is gone with the alternate screen',
	);
	assert.equal(term.display('#{alternate_on}'), '0');
	assert.equal(term.display('#{cursor_flag}'), '1', 'cursor shown');
});
