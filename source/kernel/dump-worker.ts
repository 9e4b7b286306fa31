/**
 * The dump worker: a thread that owns a ctnetlink socket, sends one dump request and copies
 * each datagram into the shared ring (`dump-ring.ts`) for the main thread to decode. It decodes
 * nothing. The kernel walks its table inside our recvmsg (netlink_recvmsg -> netlink_dump), so
 * reading here puts that walk on another core while the main thread decodes the datagram
 * before (docs/facts.md#dump-thread). Started by `dump-thread.ts`; it ends by itself once the
 * datagram with NLMSG_DONE (or the request's NLMSG_ERROR) is in the ring, or when asked to stop.
 */
import {parentPort, receiveMessageOnPort, workerData} from 'node:worker_threads';
// The raw socket alone: the package's index loads every generated protocol module (~100 ms).
import {RawNetlinkSocket} from 'netlink/dist/raw.js';
import {align4, readU16Host, readU32Host} from './bytes.js';
import * as C from './constants.js';
import {Control, DumpState, FailedAt, slotBytes, type DumpWorkerData} from './dump-ring.js';

const data = workerData as DumpWorkerData;
const control = new Int32Array(data.control);
const ring = new Uint8Array(data.ring);
let written = 0;
let over = false;
let socket: RawNetlinkSocket | undefined;

/**
 * Tells the main thread something changed (it waits on the epoch, not on each counter); wakes it
 * when it asked for this many datagrams, or `always` (the state changed).
 */
function publish(always: boolean): void {
	Atomics.add(control, Control.epoch, 1);
	if (always || written >= Atomics.load(control, Control.wakeAt))
		Atomics.notify(control, Control.epoch);
}

/**
 * Closes the socket, then says so from outside its callback. The netlink package aborts the
 * process when a callback it runs is terminated (docs/facts.md#dump-thread), so the main thread
 * waits for `idle` before it lets the process exit.
 */
function finish(): void {
	over = true;
	socket?.close();
	parentPort?.removeAllListeners('message');
	setImmediate(() => {
		Atomics.store(control, Control.idle, 1);
		Atomics.notify(control, Control.idle);
	});
}

function fail(at: number, errno: number): void {
	if (over) return;
	Atomics.store(control, Control.errno, errno);
	Atomics.store(control, Control.failedAt, at);
	Atomics.store(control, Control.state, DumpState.failed);
	publish(true);
	finish();
}

/** Whether this datagram holds the dump's last message (NLMSG_DONE, or an error for the request). */
function endsDump(msg: Buffer): boolean {
	let offset = 0;
	while (offset + C.NLMSG_HDRLEN <= msg.length) {
		const length = readU32Host(msg, offset);
		const type = readU16Host(msg, offset + 4);
		if (type === C.NLMSG_DONE || type === C.NLMSG_ERROR) return true;
		// A malformed header: the main thread's decoder reports it; we read on as a plain read would.
		if (length < C.NLMSG_HDRLEN) return false;
		offset += align4(length);
	}

	return false;
}

/** Waits for a free slot; false when the main thread asked us to stop meanwhile. */
function waitForSlot(): boolean {
	if (written - Atomics.load(control, Control.read) < data.slots) return true;
	// Full. Blocking here is the bound on memory: the kernel fills no datagram until we read again.
	// Each wake-up costs the main thread a context switch (~0.1 ms on a busy machine), so wait
	// for half the ring rather than one slot.
	const resumeAt = written - (data.slots >> 1);
	Atomics.store(control, Control.resumeAt, resumeAt);
	for (;;) {
		if (Atomics.load(control, Control.stop)) return false;
		const read = Atomics.load(control, Control.read);
		if (read >= resumeAt) return true;
		Atomics.wait(control, Control.read, read);
	}
}

/**
 * Young-generation garbage made per datagram. The socket package hands each datagram over in a
 * fresh 32 KB native buffer, freed only when a scavenge finds it dead; this thread allocates
 * so little else that, unprompted, V8 kept a whole 100k dump of them (~30 MB) alive.
 */
const ballast: unknown[] = [];
const ballastLength = slotBytes / 8;

function onMessage(msg: Buffer): void {
	if (over) return;
	if (!waitForSlot()) {
		finish();
		return;
	}

	const slot = written % data.slots;
	ring.set(msg, slot * slotBytes);
	control[Control.lengths + slot] = msg.length;
	written++;
	// The sequentially consistent store orders the slot's bytes and length before the count.
	Atomics.store(control, Control.written, written);
	const ended = endsDump(msg);
	if (ended) Atomics.store(control, Control.state, DumpState.ended);
	publish(ended);
	if (ended) finish();
	ballast[0] = new Array(ballastLength);
}

/**
 * Waits until the main thread hands over the request: a spare worker is started ahead of its
 * dump so that its start-up overlaps what the main thread loads meanwhile. Undefined when asked
 * to stop instead. Blocking is fine here: the socket has nothing to read before the request.
 */
function awaitRequest(): Buffer | undefined {
	while (!Atomics.load(control, Control.go)) {
		if (Atomics.load(control, Control.stop)) return undefined;
		Atomics.wait(control, Control.go, 0);
	}

	if (Atomics.load(control, Control.stop)) return undefined;
	const message = receiveMessageOnPort(data.requests)?.message as Uint8Array | undefined;
	data.requests.close();
	return message && Buffer.from(message.buffer, message.byteOffset, message.byteLength);
}

// The main thread posts a message only to stop us when we might be waiting in epoll.
parentPort?.on('message', () => {
	if (!over) finish();
});
parentPort?.unref();

try {
	// As ConntrackClient.open: no peeking, one recvmsg per datagram of up to 32 KB.
	socket = new RawNetlinkSocket(C.NETLINK_NETFILTER, {
		messagePeeking: false,
		msgBufferSize: slotBytes,
		recvBufferSize: 1 << 20,
		sendBufferSize: 0,
	});
} catch (error) {
	fail(FailedAt.open, (error as {errno?: number}).errno ?? 0);
}

if (socket && !over) {
	socket.on('message', onMessage);
	socket.on('truncatedMessage', () => {
		fail(FailedAt.truncated, 0);
	});
	socket.on('error', (error) => {
		fail(FailedAt.receive, error.errno ?? 0);
	});
	const request = awaitRequest();
	if (request)
		socket.send(request, {}, (error) => {
			if (error) fail(FailedAt.send, error.errno ?? 0);
		});
	else finish();
}
