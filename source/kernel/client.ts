/**
 * The request side of the kernel client: dump, delete, stats, count over one ctnetlink socket.
 *
 * The event stream lives in `events.ts` (in a child process, because of a crash in the socket
 * package under overflow). Requests here are serialised: one in flight at a time on the socket,
 * so replies never interleave.
 */
import {readFileSync} from 'node:fs';
import {readFile} from 'node:fs/promises';
// The raw socket alone: the package's index loads every generated protocol module (~100 ms).
import {RawNetlinkSocket} from 'netlink/dist/raw.js';
import type {CpuCounters, DeleteOutcome, DumpSummary, KernelStats} from '../flow/source.js';
import type {Flow, RereadResult} from '../flow/types.js';
import * as C from './constants.js';
import {decodeDatagram, type DecodeSink} from './decode-datagram.js';
import type {SpareDumpThread} from './dump-thread.js';
import {
	encodeCountRequest,
	encodeDeleteRequest,
	encodeDumpRequest,
	encodeStatsCpuRequest,
} from './encode.js';
import {encodeGetBatch} from './encode-get.js';
import type {CodecError} from './errors.js';
import {KernelError, errnoName, errorFromErrno} from './kernel-error.js';
import {readTrackingSettings} from './settings.js';
import {addCpuStats, decodeGlobalStats} from './stats.js';

/** Flows re-read per datagram sent: ~100 bytes a request, far below any buffer limit. */
const rereadBatch = 256;

/**
 * Tables from this many entries are dumped through a worker thread. Its start-up (~50 ms, ~12 MB)
 * is paid back at 0.2-1.0 us per flow, depending on how much the caller does per flow: the
 * measured crossovers run from ~70k (`--once --json`) to ~250k (`--group-by`), so from 200k
 * every mode is about even or ahead (docs/facts.md#dump-thread).
 */
const defaultThreadFrom = 200_000;

/** How `ConntrackClient.open` sets the client up. */
export interface ClientOptions {
	/**
	 * Dump through a worker thread (`dump-thread.ts`) when the table has at least this many
	 * entries; 0 always, Infinity never. Tests lower it to exercise the thread on small tables.
	 */
	readonly threadFrom?: number;
	/** Datagrams the dump thread may read ahead of the decoder (see `DumpThreadOptions`). */
	readonly threadSlots?: number;
}

/** A request in flight: the sink its replies go to and how it ends. */
interface Pending {
	readonly seq: number;
	readonly sink: DecodeSink;
	readonly dump: boolean;
	/** For a batch of requests sent in one datagram: every ACK or error goes here instead. */
	readonly batchAck?: (errno: number, seq: number) => void;
	resolve(): void;
	reject(error: Error): void;
}

/**
 * Reads and changes the conntrack table of the network namespace the process is in.
 * Open one with `ConntrackClient.open()`; close it when done so the process can exit.
 */
export class ConntrackClient {
	private seq = Math.floor(Math.random() * 0x7fffffff);
	private pending: Pending | undefined;
	private queue: Promise<unknown> = Promise.resolve();
	private closed = false;
	/** Stops the dump thread in flight, if any. */
	private stopThread: ((reason: Error) => void) | undefined;
	/**
	 * A dump thread started by `open` for the first dump of a big table, so that its start-up
	 * overlaps what the caller loads before dumping (the TUI: Ink and React, ~100 ms).
	 */
	private spare: Promise<SpareDumpThread | undefined> | undefined;

	private constructor(
		private readonly socket: RawNetlinkSocket,
		private readonly options: ClientOptions,
	) {
		socket.on('message', (msg) => {
			this.onMessage(msg);
		});
		// A dump bigger than the buffer can't happen (the kernel sizes datagrams to our buffer),
		// but a truncated datagram must not be decoded as if whole.
		socket.on('truncatedMessage', () => {
			this.fail(
				new KernelError('socket', 'the kernel sent a message larger than the receive buffer'),
			);
		});
		// Unhandled, an 'error' event kills the process: route it to the request in flight.
		socket.on('error', (error) => {
			this.fail(errorFromErrno(error.errno ?? 0, error.syscall || 'netlink'));
		});
	}

	/**
	 * Opens the socket. Throws KernelError 'unavailable' when the kernel has no
	 * NETLINK_NETFILTER, or 'socket' for anything else.
	 */
	static open(options: ClientOptions = {}): ConntrackClient {
		let socket: RawNetlinkSocket;
		try {
			// Peeking off: one recvmsg per datagram, and the kernel fills 32 KB datagrams
			// (~740 of them for 100k flows instead of ~6,700: docs/facts.md#datagrams).
			socket = new RawNetlinkSocket(C.NETLINK_NETFILTER, {
				messagePeeking: false,
				msgBufferSize: 32768,
				recvBufferSize: 1 << 20,
				sendBufferSize: 0,
			});
		} catch (error) {
			throw errorFromErrno((error as {errno?: number}).errno ?? 0, 'opening the netlink socket');
		}

		socket.unref();
		const client = new ConntrackClient(socket, options);
		const from = options.threadFrom ?? defaultThreadFrom;
		if (from <= 0 || (from !== Infinity && readConntrackCount() >= from)) {
			client.spare = import('./dump-thread.js').then(({startDumpThread}) =>
				client.closed ? undefined : startDumpThread({slots: options.threadSlots}),
			);
		}

		return client;
	}

	/**
	 * Streams the whole table (IPv4 and IPv6) to `onFlow` as each datagram is decoded, in the
	 * kernel's order. A big table is read by a worker thread while this one decodes (see
	 * `ClientOptions.threadFrom`); the flows, their order and the summary are the same either way.
	 * Rejects with KernelError 'permission' without CAP_NET_ADMIN.
	 */
	async dump(onFlow: (flow: Flow) => void): Promise<DumpSummary<CodecError>> {
		let flows = 0;
		let interrupted = false;
		let unknownAttributes = 0;
		const errors: CodecError[] = [];
		const sink: DecodeSink = {
			flow(flow, _type, flags) {
				if (flags & C.NLM_F_DUMP_INTR) interrupted = true;
				flows++;
				onFlow(flow);
			},
			error(error) {
				errors.push(error);
			},
			unknown() {
				unknownAttributes++;
			},
		};
		const spare = this.spare;
		this.spare = undefined;
		if (spare || (await this.threadPays())) await this.dumpInThread(sink, await spare);
		else await this.request((seq) => encodeDumpRequest(seq), true, sink);
		return {flows, errors, interrupted, unknownAttributes};
	}

	/**
	 * Re-reads flows by original tuple and zone (one IPCTNL_MSG_CT_GET each, all in one
	 * datagram per 256), for what no event reports: counters, timeouts refreshed by traffic,
	 * entries that expired silently. Results are in the order of `flows`: ENOENT is `gone`, any
	 * other error for one request (e.g. a protocol whose tuple the kernel will not look up from
	 * these attributes) `unreadable`.
	 */
	async reread(flows: readonly Flow[]): Promise<RereadResult[]> {
		const results: RereadResult[] = new Array<RereadResult>(flows.length).fill('unreadable');
		for (let start = 0; start < flows.length; start += rereadBatch) {
			const batch = flows.slice(start, start + rereadBatch);
			let base = 0;
			await this.request(
				(seq) => {
					// `seq` is the first of the batch; the rest and the closing request follow it.
					base = seq;
					this.seq = (seq + batch.length) >>> 0;
					return encodeGetBatch(batch, seq);
				},
				false,
				{
					flow(flow, _type, _flags, seq) {
						const i = (seq - base) >>> 0;
						if (i < batch.length) results[start + i] = flow;
					},
				},
				(errno, seq, done) => {
					const i = (seq - base) >>> 0;
					if (i === batch.length) done();
					else if (i < batch.length)
						results[start + i] = errno === C.ENOENT ? 'gone' : 'unreadable';
				},
			);
		}

		return results;
	}

	/** Deletes one flow by original tuple, zone and id; see encodeDeleteRequest. */
	async delete(flow: Flow): Promise<DeleteOutcome> {
		try {
			await this.request((seq) => encodeDeleteRequest(flow, seq), false, {flow() {}});
			return {result: 'deleted'};
		} catch (error) {
			if (error instanceof KernelError && error.errno === C.ENOENT) return {result: 'gone'};
			if (error instanceof KernelError)
				return {result: 'error', reason: error.message, errno: error.errno};
			return {result: 'error', reason: String(error)};
		}
	}

	/** Count, max, summed per-CPU counters, and the accounting and timestamp sysctls. */
	async stats(): Promise<KernelStats> {
		const counters: CpuCounters = {};
		await this.request((seq) => encodeStatsCpuRequest(seq), true, {
			flow() {},
			other(buf, start, end, msgType) {
				if (msgType === C.IPCTNL_MSG_CT_GET_STATS_CPU) addCpuStats(buf, start, end, counters);
			},
		});
		const global = await this.count();
		const [max, settings] = await Promise.all([
			global.max ?? readConntrackMax(),
			readTrackingSettings(),
		]);
		return {count: global.count, max, counters, settings};
	}

	/** The number of entries (and the limit, where the kernel reports it). */
	async count(): Promise<{count: number; max: number | undefined}> {
		let count = 0;
		let max: number | undefined;
		await this.request((seq) => encodeCountRequest(seq), false, {
			flow() {},
			other(buf, start, end, msgType) {
				if (msgType !== C.IPCTNL_MSG_CT_GET_STATS) return;
				const result = decodeGlobalStats(buf, start, end);
				if ('kind' in result) return;
				count = result.entries ?? 0;
				max = result.maxEntries;
			},
		});
		return {count, max};
	}

	/** Closes the socket and ends a dump thread; requests still queued reject. */
	close(): void {
		if (this.closed) return;
		this.closed = true;
		const error = new KernelError('socket', 'the conntrack socket was closed');
		this.fail(error);
		this.stopThread?.(error);
		void this.spare?.then((spare) => spare?.stop());
		this.spare = undefined;
		this.socket.close();
	}

	/** Whether the table is big enough for a dump thread to pay for its start-up. */
	private async threadPays(): Promise<boolean> {
		const from = this.options.threadFrom ?? defaultThreadFrom;
		if (from <= 0 || from === Infinity) return from <= 0;
		// A failed count leaves the error to the dump itself, on the path that reports it today.
		return this.count().then(
			({count}) => count >= from,
			() => false,
		);
	}

	/**
	 * One dump through a worker thread (`spare`, or one started now), serialised with the other
	 * requests like `request`.
	 */
	private async dumpInThread(sink: DecodeSink, spare?: SpareDumpThread): Promise<void> {
		// Loaded only for a big table: worker_threads and the thread's modules cost ~5 ms at start-up.
		const {startDumpThread} = await import('./dump-thread.js');
		return this.serialised(async () => {
			if (this.closed) throw new KernelError('socket', 'the conntrack socket is closed');
			const seq = (this.seq = (this.seq + 1) >>> 0);
			let refused: KernelError | undefined;
			const replies: DecodeSink = {
				flow: sink.flow,
				error: sink.error,
				unknown: sink.unknown,
				ack(errno) {
					if (errno !== 0) refused = errorFromErrno(errno, 'the conntrack request');
				},
			};
			const thread = (spare ?? startDumpThread({slots: this.options.threadSlots})).read(
				encodeDumpRequest(seq),
				(datagram) => {
					decodeDatagram(datagram, replies);
				},
			);
			this.stopThread = thread.stop;
			try {
				await thread.finished;
			} finally {
				this.stopThread = undefined;
			}

			// The worker ends on NLMSG_DONE or NLMSG_ERROR: the latter refused the dump (EPERM).
			if (refused) throw refused;
		});
	}

	/** Queues one request; resolves on NLMSG_DONE (dumps) or the ACK, rejects on an error reply. */
	private async request(
		encode: (seq: number) => Buffer,
		dump: boolean,
		sink: DecodeSink,
		batchAck?: (errno: number, seq: number, done: () => void) => void,
	): Promise<void> {
		const run = async (): Promise<void> => {
			if (this.closed) throw new KernelError('socket', 'the conntrack socket is closed');
			const seq = (this.seq = (this.seq + 1) >>> 0);
			return new Promise<void>((resolve, reject) => {
				const entry: Pending = {
					seq,
					sink,
					dump,
					batchAck: batchAck && ((errno, at) => batchAck(errno, at, resolve)),
					resolve,
					reject,
				};
				this.pending = entry;
				this.socket.ref();
				this.socket.send(encode(seq), {}, (error) => {
					if (error) this.fail(errorFromErrno(error.errno ?? 0, 'sending to the kernel'));
				});
			}).finally(() => {
				this.pending = undefined;
				this.socket.unref();
			});
		};

		return this.serialised(run);
	}

	/** Runs `run` once every request queued before it has settled: one in flight at a time. */
	private async serialised<T>(run: () => Promise<T>): Promise<T> {
		const next = this.queue.then(run, run);
		this.queue = next.catch(() => undefined);
		return next;
	}

	private onMessage(msg: Buffer): void {
		const pending = this.pending;
		if (!pending) return;
		decodeDatagram(msg, {
			flow: pending.sink.flow,
			error: pending.sink.error,
			unknown: pending.sink.unknown,
			other: pending.sink.other,
			done: () => {
				if (pending.dump) pending.resolve();
			},
			ack: (errno, seq) => {
				if (pending.batchAck) pending.batchAck(errno, seq);
				else if (errno === 0) pending.resolve();
				else pending.reject(errorFromErrno(errno, 'the conntrack request'));
			},
		});
		// A GET_STATS reply comes without NLM_F_MULTI and before the ACK; nothing more to do.
	}

	private fail(error: Error): void {
		const pending = this.pending;
		this.pending = undefined;
		pending?.reject(error);
	}
}

/**
 * Reads nf_conntrack_max of the current network namespace (procfs shows the namespace of
 * the reader), or undefined when conntrack is not loaded.
 */
export async function readConntrackMax(): Promise<number | undefined> {
	try {
		const text = await readFile('/proc/sys/net/netfilter/nf_conntrack_max', 'utf8');
		const value = Number.parseInt(text, 10);
		return Number.isFinite(value) ? value : undefined;
	} catch {
		return undefined;
	}
}

/**
 * The number of entries in the current network namespace's table, read from procfs (microseconds,
 * synchronous, the namespace of the reader), or 0 when conntrack is not loaded.
 */
function readConntrackCount(): number {
	try {
		return Number.parseInt(readFileSync('/proc/sys/net/netfilter/nf_conntrack_count', 'utf8'), 10);
	} catch {
		return 0;
	}
}

export {errnoName};
