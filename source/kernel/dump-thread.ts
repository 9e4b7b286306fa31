/**
 * The main thread's side of a dump read by a worker thread (`dump-worker.ts`): it starts the
 * worker, hands each datagram in the shared ring (`dump-ring.ts`) to a callback where it lies,
 * frees the slot, and ends the worker when the dump ends, fails or is stopped.
 */
import {extname} from 'node:path';
import {fileURLToPath} from 'node:url';
import {MessageChannel, Worker} from 'node:worker_threads';
import {
	Control,
	DumpState,
	FailedAt,
	createRing,
	slotBytes,
	type DumpWorkerData,
} from './dump-ring.js';
import {KernelError, errorFromErrno} from './kernel-error.js';

/**
 * Datagrams in flight by default: enough that the worker rarely waits on a main thread that
 * is briefly ahead, small enough to be nothing beside the heap (16 x 32 KB).
 */
const defaultSlots = 16;

/**
 * The worker's module sits beside this one: `dump-worker.js` in dist/, `dump-worker.ts` when tests
 * run the sources through tsx. Node 20 does not apply tsx's loader to a worker's entry module, even
 * with `--import tsx` in its execArgv ("Unknown file extension .ts"), so from sources the worker
 * runs a one-line script that registers tsx's loader and then imports the worker.
 */
function workerEntry(): {entry: URL | string; eval: boolean} {
	const here = import.meta.url;
	if (extname(fileURLToPath(here)) !== '.ts')
		return {entry: new URL('./dump-worker.js', here), eval: false};
	const worker = JSON.stringify(new URL('./dump-worker.ts', here).href);
	const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
	return {
		entry: `import(${tsx}).then(({register}) => { register(); return import(${worker}); });`,
		eval: true,
	};
}

// Atomics.waitAsync has shipped since Node 16; TypeScript declares it only from its ES2024 lib.
type WaitAsync = (
	array: Int32Array,
	index: number,
	value: number,
) => {async: false; value: 'not-equal' | 'timed-out'} | {async: true; value: Promise<string>};
const waitAsync = (Atomics as unknown as {waitAsync: WaitAsync}).waitAsync;

/** A dump being read by a worker thread. */
export interface DumpThread {
	/**
	 * Resolves once every datagram of the dump has been handed on (the last one holds NLMSG_DONE
	 * or the request's NLMSG_ERROR, which the caller's decoder sees). Rejects with a KernelError
	 * when the worker's socket fails or the worker dies, or with what `onDatagram` threw.
	 */
	readonly finished: Promise<void>;
	/** Ends the worker now; `finished` then rejects with `reason` unless it has settled. Idempotent. */
	readonly stop: (reason?: Error) => void;
}

/** Datagrams decoded in one turn of the event loop at most (the socket package reads 32). */
const datagramsPerTurn = 32;

/** How long an exiting process waits for the worker to leave the socket's callback. */
const exitWaitMs = 2000;

/** How a threaded dump runs. */
export interface DumpThreadOptions {
	/** Datagrams the worker may read ahead of the main thread (memory: this x 32 KB). */
	readonly slots?: number;
}

/** A worker started ahead of its dump: it boots and opens its socket, then waits for `read`. */
export interface SpareDumpThread {
	/**
	 * Sends `request` (an encoded dump request) on the worker's socket and reads the replies;
	 * `onDatagram` gets each datagram in order, up to 32 per turn of the event loop (as the
	 * socket package delivers them), so timers and input still run during a long dump. The
	 * Buffer is a view of a ring slot that is reused once `onDatagram` returns: decode it there,
	 * keep nothing that points into it. Call it once.
	 */
	readonly read: (request: Uint8Array, onDatagram: (datagram: Buffer) => void) => DumpThread;
	/** Ends the worker (unused, or its dump). Idempotent. */
	readonly stop: () => void;
}

/**
 * Starts a dump worker now, for a `read` later: its start-up (~50 ms) then overlaps whatever
 * the caller does meanwhile. It keeps the process alive only while it reads a dump, and ends
 * with the dump or `stop`.
 */
export function startDumpThread(options: DumpThreadOptions = {}): SpareDumpThread {
	const requests = new MessageChannel();
	const data = createRing(options.slots ?? defaultSlots, requests.port2);
	const control = new Int32Array(data.control);
	const views = Array.from({length: data.slots}, (_, slot) =>
		Buffer.from(data.ring, slot * slotBytes, slotBytes),
	);
	let stopped: Error | undefined;
	let died: Error | undefined;

	const {entry, eval: isScript} = workerEntry();
	const worker = new Worker(entry, {
		eval: isScript,
		workerData: data satisfies DumpWorkerData,
		transferList: [requests.port2],
		// None of the process's flags: they are for the main thread (or V8 flags a worker refuses).
		execArgv: [],
		// The worker only copies bytes: a small heap is plenty.
		resourceLimits: {maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 32},
	});
	// Until `read`: a spare that is never used must not hold the process open.
	worker.unref();

	/** Wakes `pump` from its wait; it then reads `stopped` or `died`. */
	const wake = (): void => {
		Atomics.add(control, Control.epoch, 1);
		Atomics.notify(control, Control.epoch);
	};

	/**
	 * Asks the worker to close its socket and end; false when it has already. Never
	 * worker.terminate(): ending a worker inside the socket package's callback aborts the
	 * process (docs/facts.md#dump-thread).
	 */
	const askToStop = (): boolean => {
		if (Atomics.load(control, Control.idle)) return false;
		Atomics.store(control, Control.stop, 1);
		// A spare waits on `go`, a worker on a full ring on `read`; one in epoll needs a message.
		Atomics.notify(control, Control.go);
		Atomics.notify(control, Control.read);
		worker.postMessage('stop');
		return true;
	};

	/**
	 * Runs on the way out of the process, even from inside `onDatagram` (`| head`): exiting ends
	 * the worker, so wait until it has left the socket's callback.
	 */
	const beforeExit = (): void => {
		if (askToStop()) Atomics.wait(control, Control.idle, 0, exitWaitMs);
	};
	process.on('exit', beforeExit);

	worker.on('error', (error) => {
		died ??= new KernelError('socket', `the dump thread failed: ${error.message}`);
		wake();
	});
	worker.on('exit', () => {
		process.off('exit', beforeExit);
		// A worker that exits after ending the dump is the normal case; pump checks the state first.
		died ??= new KernelError('socket', 'the dump thread ended before the dump did');
		wake();
	});

	/** How far ahead the worker must be before it wakes a main thread that caught up with it. */
	const wakeBatch = Math.max(1, data.slots >> 2);

	const pump = async (onDatagram: (datagram: Buffer) => void): Promise<void> => {
		let read = 0;
		for (;;) {
			if (stopped) throw stopped;
			// Up to 32 datagrams a turn, as the socket package's poll handler reads them; then the
			// event loop runs: timers, input, the TUI's progress frames.
			const before = read;
			for (let written = Atomics.load(control, Control.written); read < written;) {
				const slot = read % data.slots;
				onDatagram(views[slot].subarray(0, control[Control.lengths + slot]));
				read++;
				Atomics.store(control, Control.read, read);
				// Storing `read` before loading `resumeAt` means a worker that sets it later sees our read.
				if (read === Atomics.load(control, Control.resumeAt)) Atomics.notify(control, Control.read);
				if (read - before === datagramsPerTurn) break;
			}

			if (read > before) {
				await new Promise((resolve) => setImmediate(resolve));
				continue;
			}

			// Caught up. A wake-up costs more than decoding a few datagrams at once: ask for several,
			// but for the first one alone (the TUI shows the table from its first flows).
			Atomics.store(control, Control.wakeAt, read + (read === 0 ? 1 : wakeBatch));
			// The epoch after `wakeAt`: whatever the worker does after this read wakes the wait.
			const epoch = Atomics.load(control, Control.epoch);
			const state = Atomics.load(control, Control.state);
			if (read < Atomics.load(control, Control.written)) continue;
			if (state === DumpState.ended) return;
			if (state === DumpState.failed) throw failure(control);
			if (died) throw died;
			const wait = waitAsync(control, Control.epoch, epoch);
			if (wait.async) await wait.value;
		}
	};

	const stop = (reason?: Error): void => {
		if (stopped) return;
		stopped = reason ?? new KernelError('socket', 'the dump was stopped');
		askToStop();
		requests.port1.close();
		worker.unref();
		wake();
	};

	let reading = false;
	const read = (request: Uint8Array, onDatagram: (datagram: Buffer) => void): DumpThread => {
		if (reading) throw new Error('a dump thread reads one dump');
		reading = true;
		requests.port1.postMessage(request);
		Atomics.store(control, Control.go, 1);
		Atomics.notify(control, Control.go);
		if (!stopped) worker.ref();
		const finished = pump(onDatagram).finally(() => {
			stop();
		});
		return {finished, stop};
	};

	return {
		read,
		stop() {
			stop();
		},
	};
}

/** Starts a dump worker and reads one dump with it: `startDumpThread(options).read(...)`. */
export function readDumpInThread(
	request: Uint8Array,
	onDatagram: (datagram: Buffer) => void,
	options: DumpThreadOptions = {},
): DumpThread {
	return startDumpThread(options).read(request, onDatagram);
}

/** The KernelError for a worker that reported its socket failed. */
function failure(control: Int32Array): KernelError {
	const errno = Atomics.load(control, Control.errno);
	switch (Atomics.load(control, Control.failedAt)) {
		case FailedAt.open:
			return errorFromErrno(errno, 'opening the netlink socket');
		case FailedAt.send:
			return errorFromErrno(errno, 'sending to the kernel');
		case FailedAt.truncated:
			return new KernelError('socket', 'the kernel sent a message larger than the receive buffer');
		default:
			return errorFromErrno(errno, 'receiving the dump');
	}
}
