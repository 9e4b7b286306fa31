/**
 * The framing between the event child process and its parent: u32 kind, u32 length
 * (little-endian), then the payload.
 */

/** A received netlink datagram, as is. */
export const FRAME_DATAGRAM = 0;
/** The kernel (ENOBUFS) or the child (backlog) lost events; payload: u32 errno or 0. */
export const FRAME_LOST = 1;
/** The socket failed for good; payload: u32 errno. */
export const FRAME_FATAL = 2;
/** Subscribed; payload: u32 receive buffer size the kernel granted. */
export const FRAME_READY = 3;

/** Bytes before a frame's payload. */
export const FRAME_HEADER = 8;

/** Builds one frame. */
export function encodeFrame(kind: number, payload: Buffer): Buffer {
	const out = Buffer.allocUnsafe(FRAME_HEADER + payload.length);
	out.writeUInt32LE(kind, 0);
	out.writeUInt32LE(payload.length, 4);
	payload.copy(out, FRAME_HEADER);
	return out;
}

/** A frame's payload holding one u32. */
export function u32Payload(value: number): Buffer {
	const b = Buffer.alloc(4);
	b.writeUInt32LE(value >>> 0);
	return b;
}
