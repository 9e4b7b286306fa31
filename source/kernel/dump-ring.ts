/**
 * The memory a dump worker (`dump-worker.ts`) and the main thread (`dump-thread.ts`) share: a
 * ring of datagram slots and a few counters, all in SharedArrayBuffers, so a datagram crosses
 * threads with one copy and no message per datagram. The worker writes a slot only while
 * fewer than `slots` are unread, so memory stays this size whatever the table's (issue 12).
 */
import type {MessagePort} from 'node:worker_threads';

/**
 * Bytes per slot: the receive buffer the dump socket reads into. The kernel sizes each dump
 * datagram to it (docs/facts.md#datagrams), so a datagram always fits one slot.
 */
export const slotBytes = 32768;

/** Indices of the Int32 control words. */
export const Control = {
	/**
	 * Bumped by the worker after every change below; what the main thread waits on. The worker
	 * notifies it when the state changes or `written` reaches `wakeAt`.
	 */
	epoch: 0,
	/** Datagrams the worker has put in the ring. */
	written: 1,
	/** Datagrams the main thread has decoded; the worker waits on it when the ring is full. */
	read: 2,
	/** One of `DumpState`. */
	state: 3,
	/** For `failed`: the errno (positive), or 0 when there is none. */
	errno: 4,
	/** For `failed`: one of `FailedAt`. */
	failedAt: 5,
	/** Set by the main thread: close the socket and read no more. */
	stop: 6,
	/**
	 * Set by the worker once its socket is closed and it has left the socket's callback: only
	 * then may it be terminated (docs/facts.md#dump-thread).
	 */
	idle: 7,
	/**
	 * Set by the worker when the ring is full: the `read` count it sleeps until (half the ring
	 * free), so the main thread wakes it once per half ring, not once per datagram.
	 */
	resumeAt: 8,
	/**
	 * Set by the main thread when it has caught up with the worker: the `written` count at which
	 * the worker should wake it (it then decodes several datagrams per wake-up).
	 */
	wakeAt: 9,
	/**
	 * Set by the main thread once the request is on `requests`: until then the worker (a spare,
	 * started ahead of its dump) waits with its socket open.
	 */
	go: 10,
	/** Where the slot lengths start: one word per slot. */
	lengths: 11,
} as const;

/** The worker's state, in `Control.state`. */
export const DumpState = {
	/** Reading: more datagrams may come. */
	running: 0,
	/** The datagram holding NLMSG_DONE or NLMSG_ERROR is in the ring; nothing more comes. */
	ended: 1,
	/** The socket failed; `errno` and `failedAt` say how. */
	failed: 2,
} as const;

/** What failed, in `Control.failedAt`. */
export const FailedAt = {
	open: 0,
	send: 1,
	receive: 2,
	/** A datagram larger than a slot (cannot happen while the kernel sizes them to the buffer). */
	truncated: 3,
} as const;

/** What the main thread hands the worker (`workerData`). */
export interface DumpWorkerData {
	/** Int32 words, `Control.lengths + slots` of them. */
	readonly control: SharedArrayBuffer;
	/** `slots * slotBytes` bytes. */
	readonly ring: SharedArrayBuffer;
	readonly slots: number;
	/**
	 * Where the encoded dump request comes, as one Uint8Array message, before `go` is set; the
	 * worker takes it with `receiveMessageOnPort` (it waits on `go`, not in its event loop).
	 */
	readonly requests: MessagePort;
}

/** Allocates the shared memory for a ring of `slots` datagrams, all counters zero. */
export function createRing(slots: number, requests: MessagePort): DumpWorkerData {
	return {
		control: new SharedArrayBuffer((Control.lengths + slots) * 4),
		ring: new SharedArrayBuffer(slots * slotBytes),
		slots,
		requests,
	};
}
