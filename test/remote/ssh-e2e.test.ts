/**
 * `conntop --ssh` end to end: the built binary runs in a client namespace and reads a router
 * namespace's table through the system's `ssh` and a real sshd (test/helpers/ssh-router.ts).
 * What it prints and shows is checked against `conntrack -L` run on the router itself, and what
 * it deletes is checked there too. Needs root, conntrack, nft, ip, tmux and openssh-server
 * (.ci/run installs them); fails rather than skips without them.
 */
import assert from 'node:assert/strict';
import {existsSync, readdirSync, readFileSync, statSync} from 'node:fs';
import {homedir, tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import type {FlowJson, TupleJson} from '../../source/flow/json.js';
import {parseConntrackList, type ListedFlow, type ListedTuple} from '../helpers/conntrack-list.js';
import {populateVariety} from '../helpers/populate.js';
import {spawnProbe} from '../helpers/probe.js';
import {conntopBinary, SshRouter} from '../helpers/ssh-router.js';
import {Tmux} from '../helpers/tmux.js';
import {waitFor} from '../helpers/ui-flows.js';

/** Makes the router side read /proc/net/nf_conntrack instead of running `conntrack`. */
const procReader = {CONNTOP_REMOTE_READER: 'proc'};

let router: SshRouter;

before(async () => {
	assert.ok(existsSync(conntopBinary), 'dist/cli.js exists: run `npm run build` (npm test does)');
	router = await SshRouter.create();
	populateVariety(router.router);
});

after(async () => {
	await router?.close();
});

function tupleKey(tuple: TupleJson | ListedTuple): string {
	return `${tuple.src} ${tuple.dst} ${tuple.sport ?? tuple.type} ${tuple.dport ?? tuple.id}`;
}

/** Proto, original tuple and zone: a key /proc can give too (it prints no conntrack id). */
function flowKey(proto: string, tuple: TupleJson | ListedTuple, zone: number): string {
	return `${proto} ${tupleKey(tuple)} zone ${zone}`;
}

function assertTupleEqual(ours: TupleJson, theirs: ListedTuple, where: string): void {
	for (const field of ['src', 'dst', 'sport', 'dport', 'type', 'code', 'id'] as const)
		assert.equal(ours[field], theirs[field], `${where} ${field}`);
}

/**
 * Asserts `ours` (conntop's JSON) holds exactly the flows of `listed` (`conntrack -L -o
 * extended,id` on the router), with every field the text carries equal: ids when `ids`,
 * tuples, proto, state, timeout within 2 s, mark, zone, use, counters and the flags the text
 * prints ([UNREPLIED], [ASSURED], [OFFLOAD]). Returns the NAT kinds and protocols seen.
 */
function assertSameTable(
	ours: readonly FlowJson[],
	listed: readonly ListedFlow[],
	ids: boolean,
): {nat: Set<string>; protos: Set<string>} {
	assert.equal(ours.length, listed.length, 'as many flows as conntrack -L lists');
	const byKey = new Map(ours.map((flow) => [flowKey(flow.proto, flow.original, flow.zone), flow]));
	const seen = {nat: new Set<string>(), protos: new Set<string>()};
	for (const theirs of listed) {
		const key = flowKey(theirs.proto, theirs.original, theirs.zone);
		const flow = byKey.get(key);
		assert.ok(flow, `conntrack lists ${key} but conntop --ssh lacks it`);
		const where = `flow ${key}`;
		if (ids) assert.equal(flow.id, theirs.id, `${where} id`);
		assert.equal(flow.family, theirs.family, `${where} family`);
		assert.equal(flow.proto, theirs.proto, `${where} proto`);
		assert.equal(flow.protonum, theirs.protonum, `${where} protonum`);
		assert.equal(flow.state, theirs.state, `${where} state`);
		assert.ok(
			Math.abs((flow.timeout ?? -99) - theirs.timeout) <= 2,
			`${where} timeout ${flow.timeout} vs ${theirs.timeout}`,
		);
		assertTupleEqual(flow.original, theirs.original, `${where} original`);
		assertTupleEqual(flow.reply, theirs.reply, `${where} reply`);
		assert.equal(
			!flow.flags.includes('SEEN_REPLY'),
			theirs.flags.includes('UNREPLIED'),
			`${where} UNREPLIED`,
		);
		for (const flag of ['ASSURED', 'OFFLOAD'])
			assert.equal(flow.flags.includes(flag), theirs.flags.includes(flag), `${where} ${flag}`);
		assert.equal(flow.mark, theirs.mark, `${where} mark`);
		assert.equal(flow.zone, theirs.zone, `${where} zone`);
		// /proc/net/nf_conntrack prints use one higher than netlink for the same entry: its
		// ct_seq_show holds a reference of its own while it prints. The JSON must not depend on
		// the reader.
		assert.equal(flow.use, theirs.use, `${where} use (conntrack -L's, not /proc's own + 1)`);
		assert.ok(flow.counters, `${where} counters (accounting is on)`);
		assert.deepEqual(
			flow.counters,
			{
				original: {packets: theirs.original.packets, bytes: theirs.original.bytes},
				reply: {packets: theirs.reply.packets, bytes: theirs.reply.bytes},
			},
			`${where} counters`,
		);
		seen.protos.add(flow.proto);
		if (flow.nat) seen.nat.add(flow.nat);
	}

	return seen;
}

function onceJson(env: Readonly<Record<string, string>> = {}): FlowJson[] {
	const {status, stdout, stderr} = router.conntop(['--once', '--json'], {env});
	assert.equal(status, 0, stderr);
	return JSON.parse(stdout) as FlowJson[];
}

function routerList(): ListedFlow[] {
	return parseConntrackList(router.router.conntrack(['-L', '-o', 'extended,id']));
}

/**
 * Waits (bounded) until no process is left in the client namespace (conntop's ssh children,
 * a control master) and none but the listening sshd in the router's (sessions, conntrack -E).
 */
async function assertNothingLeft(): Promise<void> {
	await waitFor(
		() => router.clientPids(),
		(pids) => pids.length === 0,
		5000,
		'no ssh (or anything) left in the client namespace',
	);
	await waitFor(
		() => router.routerPids().filter((pid) => pid !== router.serverPid),
		(pids) => pids.length === 0,
		5000,
		'no session or conntrack left on the router',
	);
}

function assertVariety(seen: {nat: Set<string>; protos: Set<string>}): void {
	assert.deepEqual([...seen.nat].sort(), ['dnat', 'snat'], 'real NAT traffic');
	for (const proto of ['tcp', 'udp', 'icmp', 'icmpv6', 'sctp'])
		assert.ok(seen.protos.has(proto), proto);
}

describe('--ssh --once --json', () => {
	test('equals conntrack -L -o extended,id on the router, field by field (conntrack reader)', async () => {
		const ours = onceJson({CONNTOP_REMOTE_READER: 'conntrack'});
		const listed = routerList();
		assert.ok(listed.length >= 16, `the variety is in place (${listed.length} flows)`);
		assertVariety(assertSameTable(ours, listed, true));
		await assertNothingLeft();
	});

	test('equals conntrack -L -o extended,id on the router, field by field (/proc reader)', async () => {
		const ours = onceJson(procReader);
		assertVariety(assertSameTable(ours, routerList(), false));
		await assertNothingLeft();
	});
});

describe('--ssh --events --json', () => {
	test('prints NEW and DESTROY of a flow made and deleted on the router, and exits 0 on SIGINT', async () => {
		const events = spawnProbe(router.conntopArgv(['--events', '--json', '-f', 'dport:4242']), {
			stderr: 'pipe',
		});
		let code: number | null;
		try {
			await events.waitFor(
				(_, stderr) => stderr.includes('conntop: following conntrack events\n'),
				'conntop said it follows events',
				20_000,
			);
			const entry = ['-p', 'udp', '-s', '10.4.0.1', '-d', '10.4.0.2', '--sport', '5000'];
			router.router.conntrack(['-I', ...entry, '--dport', '4242', '-t', '600']);
			router.router.conntrack(['-I', ...entry, '--dport', '4243', '-t', '600']);
			await events.waitFor((output) => output.includes('"new"'), 'the NEW event', 20_000);
			router.router.conntrack(['-D', ...entry, '--dport', '4242']);
			await events.waitFor((output) => output.includes('"destroy"'), 'the DESTROY event', 20_000);
		} finally {
			code = await events.stop('SIGINT');
		}

		assert.equal(code, 0, events.errors());
		const lines = events.jsonLines<{event: string; flow: FlowJson}>();
		assert.deepEqual(
			lines.map((line) => [line.event, line.flow.original.dport]),
			[
				['new', 4242],
				['destroy', 4242],
			],
		);
		assert.equal(lines[0].flow.original.src, '10.4.0.1');
		await assertNothingLeft();
	});
});

/** Socket files under the temp dir and ~/.ssh (ssh control sockets live in one of them). */
function sockets(): Set<string> {
	const found = new Set<string>();
	const walk = (dir: string, depth: number) => {
		let names: string[];
		try {
			names = readdirSync(dir);
		} catch {
			return;
		}

		for (const name of names) {
			const path = join(dir, name);
			// Other tests' tmux servers come and go under /tmp/tmux-<uid>: not ours to count.
			if (name.startsWith('tmux-')) continue;
			try {
				const stat = statSync(path);
				if (stat.isSocket()) found.add(path);
				else if (stat.isDirectory() && depth > 0) walk(path, depth - 1);
			} catch {
				// Removed while we walked: someone else's temp file.
			}
		}
	};

	walk(tmpdir(), 2);
	walk(join(homedir(), '.ssh'), 2);
	return found;
}

describe('the TUI over --ssh in tmux', () => {
	let tmux: Tmux | undefined;

	function entry(source: string, sport: number): string[] {
		return [
			'-I',
			...`-p tcp -s ${source} -d 10.7.0.100 --sport ${sport} --dport 443 --state ESTABLISHED -u SEEN_REPLY,ASSURED -t 3600`.split(
				' ',
			),
		];
	}

	after(() => {
		tmux?.kill();
	});

	test("shows the router's flows and a new one, deletes one there with x after asking, and leaves nothing behind on q", async () => {
		router.router.conntrack(entry('10.7.0.1', 41_001));
		router.router.conntrack(entry('10.7.0.2', 41_002));
		const socketsBefore = sockets();
		const log = join(router.dir, 'deleted.jsonl');
		const argv = router.conntopArgv(['--delete-log', log, '-f', 'dst:10.7.0.100']);
		// CI must be unset or Ink renders non-interactively; the shell keeps the pane open after
		// conntop exits so the restored screen and the exit code can be read.
		const command = `env -u CI ${argv.join(' ')}; echo "conntop exited $?"; sleep 600`;
		tmux = Tmux.start({command, width: 120, height: 30});
		const waitForScreen = async (accept: (text: string) => boolean, what: string) =>
			tmux!.waitForScreen(accept, what, 30_000);

		await waitForScreen(
			(text) => text.includes('10.7.0.1:41001') && text.includes('10.7.0.2:41002'),
			"the router's two flows",
		);
		assert.equal(tmux.display('#{alternate_on}'), '1');

		router.router.conntrack(entry('10.7.0.3', 41_003));
		await waitForScreen((text) => text.includes('10.7.0.3:41003'), 'the flow made on the router');

		// The cursor is on the first row: 10.7.0.1 sorts first by source.
		tmux.type('x');
		await waitForScreen(
			(text) => text.includes('Delete tcp 10.7.0.1:41001 → 10.7.0.100:443'),
			"x's question, with the flow in it",
		);
		tmux.type('y');
		await waitForScreen((text) => text.includes('deleted 1'), 'the delete report');
		const listed = router.router.conntrack(['-L']);
		assert.doesNotMatch(listed, /sport=41001/, 'the flow is gone from the router');
		assert.match(listed, /sport=41002/);
		assert.match(listed, /sport=41003/);
		assert.match(readFileSync(log, 'utf8'), /41001/);
		await waitForScreen(
			(text) => !text.includes('10.7.0.1:41001'),
			'the deleted flow leaving the table',
		);

		tmux.type('q');
		await waitForScreen((text) => text.includes('conntop exited 0'), 'the exit');
		assert.equal(tmux.display('#{alternate_on}'), '0');
		await assertNothingLeft();
		const left = [...sockets()].filter((path) => !socketsBefore.has(path));
		assert.deepEqual(left, [], 'no control socket left behind');
	});
});
