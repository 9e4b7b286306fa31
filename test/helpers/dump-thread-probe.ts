/**
 * Runs dumps through the dump thread inside a test's namespace (`ip netns exec NS node --import
 * tsx dump-thread-probe.ts CASE [--dist]`) and prints one JSON line. With `--dist` it loads the
 * built client from dist/ (the worker then starts from `dump-worker.js` without tsx), else the
 * sources (the worker starts from `dump-worker.ts` through the tsx loader).
 *
 *   compare <slots>  the table dumped on the plain path and through the thread with <slots> ring
 *                    slots: {plain, thread, summaries, threads: {before, during, after}}
 *   refused          a threaded dump's error: {code, message}
 *   close-inside     client.close() from inside the first flow: {error, flows, threads}
 *   exit-inside      process.exit(0) from inside the 10th flow, as `| head` makes the CLI do
 *   send-fails       a request too big for the socket's send buffer: {error, threads}
 *   kernel-refuses   a request the kernel answers with NLMSG_ERROR: {errno, datagrams, threads}
 *   spare            open() starts a worker before any dump; close() ends it: {threads}
 *   spare-left       open() starts a worker, then nothing: the process must still exit by itself
 *
 * Thread counts are the entries of /proc/self/task (from sources, the worker's tsx loader adds a
 * thread of its own); `after` is read once the count is back to
 * `before` (or 10 s passed). The process is never made to exit but by `exit-inside`: it must end
 * by itself, so a worker that kept it alive would hang the test.
 */
import {readdirSync} from 'node:fs';
import type * as ClientModule from '../../source/kernel/client.js';
import type * as ThreadModule from '../../source/kernel/dump-thread.js';
import {flowToJson} from '../../source/flow/json.js';
import type {Flow} from '../../source/flow/types.js';
import {writeU16Host, writeU32Host} from '../../source/kernel/bytes.js';
import * as C from '../../source/kernel/constants.js';
import {decodeDatagram} from '../../source/kernel/decode-datagram.js';

const [mode, argument] = process.argv.slice(2);
const root = process.argv.includes('--dist') ? '../../dist/kernel/' : '../../source/kernel/';
const {ConntrackClient} = (await import(`${root}client.js`)) as typeof ClientModule;
const {readDumpInThread} = (await import(`${root}dump-thread.js`)) as typeof ThreadModule;

function threads(): number {
	return readdirSync('/proc/self/task').length;
}

/** Waits until the process has more than `count` threads (a worker started), or 10 s. */
async function growFrom(count: number): Promise<number> {
	for (let waited = 0; threads() <= count && waited < 10_000; waited += 10) {
		await new Promise((resolve) => setTimeout(resolve, 10));
	}

	return threads();
}

/** Waits until the process is back to `count` threads (the worker gone), or 10 s. */
async function settleTo(count: number): Promise<number> {
	for (let waited = 0; threads() > count && waited < 10_000; waited += 10) {
		await new Promise((resolve) => setTimeout(resolve, 10));
	}

	return threads();
}

/** The flow as JSON, without the remaining timeout (it moves between two dumps). */
function comparable(flow: Flow): Record<string, unknown> {
	const {timeout: _timeout, ...rest} = flowToJson(flow);
	return rest;
}

function print(value: unknown): void {
	console.log(JSON.stringify(value));
}

function describe(error: unknown): {code?: string; message: string} {
	const {code, message} = error as {code?: string; message: string};
	return {code, message};
}

switch (mode) {
	case 'compare': {
		const plainClient = ConntrackClient.open({threadFrom: Infinity});
		const plain: unknown[] = [];
		const plainSummary = await plainClient.dump((flow) => plain.push(comparable(flow)));
		plainClient.close();
		const before = threads();
		const client = ConntrackClient.open({threadFrom: 0, threadSlots: Number(argument)});
		const thread: unknown[] = [];
		let during = 0;
		const summary = await client.dump((flow) => {
			if (thread.push(comparable(flow)) === 1) during = threads();
		});
		client.close();
		const after = await settleTo(before);
		print({
			plain,
			thread,
			summaries: {plain: plainSummary, thread: summary},
			threads: {before, during, after},
		});
		break;
	}

	case 'refused': {
		const client = ConntrackClient.open({threadFrom: 0});
		try {
			await client.dump(() => undefined);
			print({code: 'none'});
		} catch (error) {
			print(describe(error));
		} finally {
			client.close();
		}

		break;
	}

	case 'close-inside': {
		const before = threads();
		const client = ConntrackClient.open({threadFrom: 0, threadSlots: 2});
		let flows = 0;
		let error: unknown;
		await client
			.dump(() => {
				if (++flows === 1) client.close();
			})
			.catch((caught: unknown) => {
				error = caught;
			});
		print({error: describe(error), flows, threads: {before, after: await settleTo(before)}});
		break;
	}

	case 'exit-inside': {
		const client = ConntrackClient.open({threadFrom: 0, threadSlots: 2});
		let flows = 0;
		await client.dump(() => {
			if (++flows === 10) process.exit(0);
		});
		// Not reached: the table has more than 10 flows.
		process.exitCode = 3;
		break;
	}

	case 'send-fails': {
		const before = threads();
		// netlink_sendmsg refuses a message larger than the send buffer (~208 KB) with EMSGSIZE.
		const thread = readDumpInThread(new Uint8Array(1 << 20), () => undefined);
		let error: unknown;
		await thread.finished.catch((caught: unknown) => {
			error = caught;
		});
		print({error: describe(error), threads: {before, after: await settleTo(before)}});
		break;
	}

	case 'kernel-refuses': {
		const before = threads();
		// A ctnetlink message type the kernel does not know: it answers with NLMSG_ERROR, EINVAL.
		const request = Buffer.alloc(C.NLMSG_HDRLEN + 4);
		writeU32Host(request, request.length, 0);
		writeU16Host(request, (C.NFNL_SUBSYS_CTNETLINK << 8) | 0x7f, 4);
		writeU16Host(request, C.NLM_F_REQUEST | C.NLM_F_DUMP, 6);
		let errno: number | undefined;
		let datagrams = 0;
		const thread = readDumpInThread(request, (datagram) => {
			datagrams++;
			decodeDatagram(datagram, {flow() {}, ack: (code) => (errno = code)});
		});
		await thread.finished;
		print({errno, datagrams, threads: {before, after: await settleTo(before)}});
		break;
	}

	case 'spare': {
		const before = threads();
		const client = ConntrackClient.open({threadFrom: 0});
		const during = await growFrom(before);
		client.close();
		print({threads: {before, during, after: await settleTo(before)}});
		break;
	}

	case 'spare-left': {
		const before = threads();
		ConntrackClient.open({threadFrom: 0});
		print({threads: {before, during: await growFrom(before)}});
		break;
	}

	default:
		throw new Error(`unknown case ${mode}`);
}
