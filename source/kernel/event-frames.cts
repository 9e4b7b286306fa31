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

/** One frame read back from the stream. */
export interface Frame {
	readonly kind: number;
	/** A view into the received bytes, not a copy. */
	readonly payload: Buffer;
}

/**
 * Reads frames back from the pipe as chunks arrive: a pipe cuts where it likes, so a frame may
 * span chunks (its start is kept until the rest comes) and a chunk may hold many frames.
 */
export class FrameReader {
	private pending = Buffer.alloc(0);

	/** Bytes kept for a frame that is not complete yet. */
	get buffered(): number {
		return this.pending.length;
	}

	/** Forgets a partial frame (a new child starts a new stream). */
	reset(): void {
		this.pending = Buffer.alloc(0);
	}

	/** Adds a chunk and returns the frames it completes, in order. */
	push(chunk: Buffer): Frame[] {
		const buf = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
		const frames: Frame[] = [];
		let offset = 0;
		while (buf.length - offset >= FRAME_HEADER) {
			const length = buf.readUInt32LE(offset + 4);
			if (buf.length - offset - FRAME_HEADER < length) break;
			const kind = buf.readUInt32LE(offset);
			frames.push({
				kind,
				payload: buf.subarray(offset + FRAME_HEADER, offset + FRAME_HEADER + length),
			});
			offset += FRAME_HEADER + length;
		}

		// Copy the remainder so a large chunk is not kept alive by a few trailing bytes.
		this.pending = offset < buf.length ? Buffer.from(buf.subarray(offset)) : Buffer.alloc(0);
		return frames;
	}
}
