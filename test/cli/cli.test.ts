import assert from 'node:assert/strict';
import {spawn, spawnSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import {after, before, describe, test} from 'node:test';
import {fileURLToPath} from 'node:url';
import type {FlowJson} from '../../source/flow/json.js';
import {permissionMessage} from '../../source/kernel/kernel-error.js';
import {parseConntrackList} from '../helpers/conntrack-list.js';
import {assertFlowsMatchList, assertVariety} from '../helpers/compare-flows.js';
import {TestNamespace} from '../helpers/netns.js';
import {populateVariety, runTraffic} from '../helpers/populate.js';
import {spawnProbe} from '../helpers/probe.js';

/** The built binary, as `npm start` and the package's bin run it (`npm test` builds first). */
const binary = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

function conntop(args: readonly string[], env: NodeJS.ProcessEnv = {}) {
	const result = spawnSync(process.execPath, [binary, ...args], {
		encoding: 'utf8',
		env: {...process.env, ...env},
		maxBuffer: 64 * 1024 * 1024,
	});
	return {code: result.status, stdout: result.stdout, stderr: result.stderr};
}

describe('conntop as a process, in a namespace with real entries', () => {
	let ns: TestNamespace;

	before(() => {
		assert.ok(existsSync(binary), 'dist/cli.js exists: run `npm run build` (npm test does)');
		ns = TestNamespace.create('cli');
		populateVariety(ns);
	});

	after(() => {
		ns?.remove();
	});

	test('--once --json is valid JSON and equals conntrack -L for the same table', () => {
		const {code, stdout, stderr} = conntop(['--netns', ns.name, '--once', '--json']);
		assert.equal(code, 0, stderr);
		const flows = JSON.parse(stdout) as FlowJson[];
		const listed = parseConntrackList(ns.conntrack(['-L', '-o', 'extended,id,ktimestamp']));
		assertVariety(assertFlowsMatchList(flows, listed));
	});

	test('--once text fits the width it is given, one line per flow under a title line', () => {
		const count = Number(ns.conntrack(['-C']).trim());
		for (const width of [80, 132, 200]) {
			const {code, stdout} = conntop(['--netns', ns.name, '--once', '--width', String(width)]);
			assert.equal(code, 0);
			const lines = stdout.trimEnd().split('\n');
			assert.equal(lines.length, count + 1, `title plus ${count} flows at width ${width}`);
			for (const line of lines) assert.ok([...line].length <= width, `"${line}" fits ${width}`);
			assert.match(lines[0], /Source/);
			assert.ok(lines.some((line) => line.includes('10.1.0.2:443')));
		}
	});

	test('--once --csv has a header row and one row per flow', () => {
		const {code, stdout} = conntop(['--netns', ns.name, '--once', '--csv']);
		assert.equal(code, 0);
		const lines = stdout.trimEnd().split('\n');
		assert.match(lines[0], /^id,family,proto,state,timeout,src,dst,sport,dport,/);
		assert.equal(lines.length - 1, Number(ns.conntrack(['-C']).trim()));
	});

	test('--filter, --sort and -6 shape the output like the TUI', () => {
		const udp = JSON.parse(
			conntop(['--netns', ns.name, '--once', '--json', '-f', 'proto:udp']).stdout,
		) as FlowJson[];
		assert.ok(udp.length >= 3);
		assert.ok(udp.every((flow) => flow.proto === 'udp'));
		const v6 = JSON.parse(
			conntop(['--netns', ns.name, '--once', '--json', '-6']).stdout,
		) as FlowJson[];
		assert.ok(v6.length >= 4 && v6.every((flow) => flow.family === 'ipv6'));
		const byPort = JSON.parse(
			conntop(['--netns', ns.name, '--once', '--json', '-s', 'dport', '-r', '-4']).stdout,
		) as FlowJson[];
		const ports = byPort.map((flow) => flow.original.dport ?? 0);
		assert.deepEqual(
			ports,
			[...ports].sort((a, b) => b - a),
		);
	});

	test('--netns takes the PID of a process inside the namespace', () => {
		const sleeper = ns.spawn('sleep', ['30'], {stdio: 'ignore'});
		try {
			// `ip netns exec` execs sleep in place: wait until the pid's namespace is the test's.
			const deadline = Date.now() + 5000;
			let pid = '';
			while (Date.now() < deadline) {
				pid = spawnSync('pgrep', ['-n', '-x', 'sleep'], {encoding: 'utf8'}).stdout.trim();
				if (
					pid &&
					spawnSync('ip', ['netns', 'identify', pid], {encoding: 'utf8'}).stdout.trim() === ns.name
				)
					break;
				spawnSync('sleep', ['0.05']);
			}

			const {code, stdout, stderr} = conntop(['--netns', pid, '--once', '--json']);
			assert.equal(code, 0, stderr);
			assert.equal((JSON.parse(stdout) as FlowJson[]).length, Number(ns.conntrack(['-C']).trim()));
		} finally {
			sleeper.kill();
		}
	});

	test('a closed stdout (| head) ends quietly with exit code 0', async () => {
		const child = spawn(process.execPath, [binary, '--netns', ns.name, '--once'], {
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stderr = '';
		child.stderr.setEncoding('utf8');
		child.stderr.on('data', (text: string) => {
			stderr += text;
		});
		child.stdout.once('data', () => child.stdout.destroy());
		const code = await new Promise((resolve) => child.on('exit', resolve));
		assert.equal(code, 0);
		assert.equal(stderr, '');
	});
});

describe('conntop --events against a real connection', () => {
	test('--events --json shows NEW and DESTROY of one loopback TCP connection', async () => {
		const ns = TestNamespace.create('cliev');
		try {
			ns.sysctl('net.netfilter.nf_conntrack_tcp_timeout_time_wait', 1);
			const conntopEvents = spawnProbe(
				[process.execPath, binary, '--netns', ns.name, '--events', '--json', '-f', 'dport:8097'],
				{stderr: 'pipe'},
			);
			let code: number | null;
			try {
				// The line that says the stream is subscribed: traffic after it cannot be missed.
				await conntopEvents.waitFor(
					(_, stderr) => stderr.includes('conntop: following conntrack events\n'),
					'conntop said it follows events',
				);
				runTraffic(ns, ['tcp', '8097', '1']);
				runTraffic(ns, ['tcp', '8098', '1']);
				// A dump reaps the entry once its 1 s TIME_WAIT is over; list until the DESTROY comes.
				await conntopEvents.waitFor(
					(output) => {
						if (output.includes('"destroy"')) return true;
						ns.conntrack(['-L']);
						return false;
					},
					'the DESTROY was printed',
					10_000,
					200,
				);
			} finally {
				code = await conntopEvents.stop('SIGINT');
			}

			assert.equal(code, 0, conntopEvents.errors());
			assert.equal(conntopEvents.errors(), 'conntop: following conntrack events\n');
			const events = conntopEvents.jsonLines<{event: string; time: string; flow: FlowJson}>();
			assert.equal(events[0].event, 'new');
			assert.equal(events.at(-1)!.event, 'destroy');
			assert.ok(
				events.every((event) => event.flow.original.dport === 8097),
				'the filter kept port 8098 out',
			);
			assert.ok(!Number.isNaN(Date.parse(events[0].time)));
			assert.equal(events[0].flow.state, 'SYN_SENT');
			// The README promises every key in every event: a destroy has no timeout, so it is null.
			const destroy = events.at(-1)!.flow;
			assert.ok('timeout' in destroy, 'a destroy event keeps the timeout key');
			assert.equal(destroy.timeout, null);
			assert.equal(typeof events[0].flow.timeout, 'number');
		} finally {
			ns.remove();
		}
	});
});

describe('bad input gets one clear message and its exit code', () => {
	const cases: Array<{name: string; args: string[]; code: number; message: RegExp}> = [
		{
			name: 'an unknown sort column',
			args: ['--once', '-s', 'speed'],
			code: 2,
			message: /unknown sort column "speed": use one of proto, src/,
		},
		{
			name: 'an unknown group-by key',
			args: ['--once', '-g', 'colour'],
			code: 2,
			message: /unknown group-by key "colour"/,
		},
		{
			name: 'a bad filter',
			args: ['--once', '-f', 'dport:http'],
			code: 2,
			message: /bad filter: .*\n {2}dport:http\n {8}\^/,
		},
		{
			name: 'json and csv together',
			args: ['--once', '--json', '--csv'],
			code: 2,
			message: /--json and --csv exclude each other/,
		},
		{
			name: '-4 and -6 together',
			args: ['--once', '-4', '-6'],
			code: 2,
			message: /-4 and -6 exclude each other/,
		},
		{
			name: 'a width without --once',
			args: ['--width', '80'],
			code: 2,
			message: /--width goes with --once/,
		},
		{
			name: 'a namespace that does not exist',
			args: ['--netns', 'no-such-ns', '--once'],
			code: 2,
			message: /no network namespace by that name/,
		},
		{
			name: 'a stray argument',
			args: ['--once', 'extra'],
			code: 2,
			message: /unexpected argument "extra"/,
		},
	];
	for (const {name, args, code, message} of cases) {
		test(`${name} exits ${code} with a message`, () => {
			const result = conntop(args);
			assert.equal(result.code, code, result.stderr);
			assert.match(result.stderr, message);
			assert.equal(result.stdout, '');
		});
	}

	// Each bad flag gets exactly this one line, with the program's name once, and exit code 2.
	const flagCases: Array<{args: string[]; line: string}> = [
		{args: ['--bogus'], line: 'unknown flag --bogus (see --help)'},
		{args: ['--once', '-z'], line: 'unknown flag -z (see --help)'},
		{args: ['-rz'], line: 'unknown flag -z in -rz (see --help)'},
		{args: ['--readOnly'], line: 'unknown flag --readOnly (did you mean --read-only?)'},
		{args: ['--once', '--interval'], line: '--interval needs a value (see --help)'},
		{args: ['--once', '-f'], line: '-f needs a value (see --help)'},
		{args: ['--once=3'], line: '--once is a switch and takes no value'},
		{args: ['--once', '-s', 'bytes', '--sort', 'src'], line: '--sort is given more than once'},
		...['0', '0.05', '3601', 'soon'].map((value) => ({
			args: ['--once', '--interval', value],
			line: '--interval takes seconds from 0.1 to 3600, like 1 or 0.5',
		})),
		...['-1', '0.5', '86401', 'never'].map((value) => ({
			args: ['--once', '--resync', value],
			line: '--resync takes auto, seconds from 1 to 86400, or 0 to turn the background re-read off',
		})),
		...['19', '80.5', 'wide'].map((value) => ({
			args: ['--once', '--width', value],
			line: '--width takes a whole number of columns, at least 20, like 132',
		})),
		{args: ['--width', '80'], line: '--width goes with --once'},
		{args: ['--once', '--netns='], line: '--netns "": not a namespace name or PID.'},
	];
	for (const {args, line} of flagCases) {
		test(`${args.join(' ')} exits 2 with one line in conntop's voice`, () => {
			const result = conntop(args);
			assert.equal(result.code, 2, result.stderr);
			assert.equal(result.stderr, `conntop: ${line}\n`);
			assert.equal(result.stdout, '');
		});
	}

	test('not root exits 77 with the sentence that says to run as root', () => {
		const ns = TestNamespace.create('clinoroot');
		try {
			const result = ns.runWithoutCapabilities([process.execPath, binary, '--once']);
			assert.equal(result.status, 77, result.stderr);
			assert.equal(
				result.stderr,
				'conntop: needs root (CAP_NET_ADMIN) to read the conntrack table: run it with sudo.\n',
			);
			assert.equal(result.stderr, `conntop: ${permissionMessage}\n`);
		} finally {
			ns.remove();
		}
	});

	test('--help prints the usage reference and --version the version', () => {
		const help = conntop(['--help']);
		assert.equal(help.code, 0);
		assert.match(help.stdout, /Usage\n\s+\$ sudo conntop \[options\]/);
		assert.match(help.stdout, /--netns NAME\|PID/);
		const version = conntop(['--version']);
		assert.equal(version.code, 0);
		assert.match(version.stdout.trim(), /^\d+\.\d+\.\d+$/);
	});
});
