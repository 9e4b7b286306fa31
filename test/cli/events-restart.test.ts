import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {TestNamespace} from '../helpers/netns.js';
import {spawnProbe} from '../helpers/probe.js';

const binary = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

/** Pids of the direct children of `pid`. */
function childrenOf(pid: number): number[] {
	const out = execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], {encoding: 'utf8'});
	return out.split('\n').map(Number).filter(Boolean);
}

test('--events outlives its event process: a killed child is restarted, the gap reported as lost, and events go on', async () => {
	const ns = TestNamespace.create('evrestart');
	const events = spawnProbe([process.execPath, binary, '--events', '--json'], {
		ns,
		stderr: 'pipe',
	});
	let code: number | null;
	try {
		await events.waitFor(
			(_, stderr) => stderr.includes('conntop: following conntrack events\n'),
			'conntop said it follows events',
		);
		// `ip netns exec` execs node, so the probe's pid is conntop's; its child is the event process.
		const [child] = childrenOf(events.child.pid!);
		assert.ok(child, 'conntop runs an event process');
		process.kill(child, 'SIGKILL');
		await events.waitFor((output) => output.includes('"event":"lost"'), 'the gap reported as lost');

		ns.conntrack([
			'-I',
			'-p',
			'udp',
			'-s',
			'10.9.0.1',
			'-d',
			'10.9.0.2',
			'--sport',
			'5000',
			'--dport',
			'53',
			'-t',
			'60',
		]);
		await events.waitFor(
			(output) => output.includes('"event":"new"') && output.includes('"sport":5000'),
			'a NEW event after the restart',
		);
	} finally {
		code = await events.stop('SIGINT');
		ns.remove();
	}

	assert.equal(code, 0, events.errors());
	const lost = events.jsonLines<{event: string; reason?: string}>().find((e) => e.event === 'lost');
	assert.match(lost?.reason ?? '', /event process died/);
});
