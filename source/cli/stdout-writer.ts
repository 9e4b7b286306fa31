/**
 * `--once` output: text gathered into large chunks and written to fd 1 with blocking writes.
 *
 * Why not `process.stdout`: for a pipe it is asynchronous, and the dump cannot wait for it.
 * The netlink socket has no pause; the kernel fills the next datagram only when we read the
 * last one, so the only way to hold the kernel back while a reader is slow (`| less`) is to
 * not return to the event loop. A blocking write does exactly that: memory stays one chunk,
 * whatever the table's size. Node makes fd 1 non-blocking only when `process.stdout` is first
 * touched for a pipe, so `--once` leaves it alone (a terminal is safe: libuv reopens it).
 * Should fd 1 come in non-blocking anyway, EAGAIN waits a millisecond and tries again.
 */
import {writeSync} from 'node:fs';

/** What a chunk grows to before it is written: large writes, few system calls. */
const chunkBytes = 256 * 1024;

/** Thrown when the reader went away (`| head`): the caller ends quietly with exit code 0. */
export class ClosedOutput extends Error {
	constructor() {
		super('stdout was closed');
	}
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * Lines to fd 1 (or another descriptor) in large blocking writes. Each piece is encoded into
 * one reused buffer as it comes: gathering a chunk as one string and encoding that at the end
 * cost 17% of `--once --json` (V8 flattens the long chain of joined strings first).
 */
export class ChunkWriter {
	private readonly buffer = Buffer.allocUnsafe(chunkBytes);
	private used = 0;

	constructor(private readonly fd = 1) {}

	/** Adds text; writes once the chunk is large. Throws ClosedOutput when the reader left. */
	add(text: string): void {
		// UTF-8 takes at most 3 bytes per UTF-16 unit.
		if (this.used + text.length * 3 > chunkBytes) {
			this.flush();
			if (text.length * 3 > chunkBytes) {
				this.writeAll(Buffer.from(text, 'utf8'));
				return;
			}
		}

		this.used += this.buffer.write(text, this.used, 'utf8');
	}

	/**
	 * Makes room for `bytes` bytes and returns where they go in `bytes()`; `commit` says where
	 * the written ones end. For writers that put bytes in directly (`writeFlowJson`).
	 */
	reserve(bytes: number): number {
		if (this.used + bytes > chunkBytes) this.flush();
		if (bytes > chunkBytes) throw new RangeError(`${bytes} bytes do not fit one chunk`);
		return this.used;
	}

	/** The buffer `reserve` made room in. */
	bytes(): Buffer {
		return this.buffer;
	}

	/** The bytes written after `reserve` end at `end`. */
	commit(end: number): void {
		this.used = end;
	}

	/** Writes what is gathered. Throws ClosedOutput when the reader left. */
	flush(): void {
		if (this.used === 0) return;
		const used = this.used;
		this.used = 0;
		this.writeAll(this.buffer.subarray(0, used));
	}

	private writeAll(bytes: Buffer): void {
		let at = 0;
		while (at < bytes.length) {
			try {
				at += writeSync(this.fd, bytes, at, bytes.length - at);
			} catch (error) {
				const code = (error as NodeJS.ErrnoException).code;
				if (code === 'EAGAIN') Atomics.wait(sleeper, 0, 0, 1);
				else if (code === 'EPIPE') throw new ClosedOutput();
				else throw error;
			}
		}
	}
}
