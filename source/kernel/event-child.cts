/**
 * The event socket's process. It only receives datagrams and writes them to stdout as frames;
 * the parent decodes. It runs apart because `netlink@0.3.0` can abort the whole process when
 * the socket overflows (a Napi::Error built with a NULL syscall name in its poll handler):
 * here that kills only this child, which the parent restarts before it resyncs.
 *
 * It is CommonJS (`.cts`): as an ES module entry it loaded Node's ES module loader too, ~3 MB
 * more resident memory for the same work (docs/facts.md#event-child-as-commonjs). So it imports
 * no ES module: the netlink protocol and groups come from its parent (events.ts, which reads
 * them from constants.ts), ENOBUFS from Node's errno table. Frames are described in
 * event-frames.cts.
 */
import {constants} from 'node:os';
// The raw socket alone: the package's index loads every generated protocol module too, ~8 MB
// of this process's resident memory (docs/facts.md#event-process-memory).
import {RawNetlinkSocket} from 'netlink/dist/raw.js';
import {
	FRAME_DATAGRAM,
	FRAME_FATAL,
	FRAME_LOST,
	FRAME_READY,
	encodeFrame,
	u32Payload as u32,
} from './event-frames.cjs';

// Past this much unread output the parent is not keeping up: drop and say so, rather than
// grow without bound.
const maxBacklog = 64 * 1024 * 1024;

function frame(kind: number, payload: Buffer): void {
	process.stdout.write(encodeFrame(kind, payload));
}

function main(): void {
	const requested = Number.parseInt(process.env.CONNTOP_EVENT_RCVBUF ?? '', 10) || 8 * 1024 * 1024;
	const protocol = Number(process.env.CONNTOP_EVENT_PROTOCOL);
	const groups = (process.env.CONNTOP_EVENT_GROUPS ?? '').split(',').map(Number);
	let socket: RawNetlinkSocket;
	try {
		socket = new RawNetlinkSocket(protocol, {
			messagePeeking: false,
			msgBufferSize: 32768,
			recvBufferSize: requested,
			sendBufferSize: 0,
		});
		for (const group of groups) socket.addMembership(group);
	} catch (error) {
		frame(FRAME_FATAL, u32((error as {errno?: number}).errno ?? 0));
		process.exitCode = 1;
		return;
	}

	let dropping = false;
	socket.on('message', (msg) => {
		if (process.stdout.writableLength > maxBacklog) {
			if (!dropping) frame(FRAME_LOST, u32(0));
			dropping = true;
			return;
		}

		dropping = false;
		frame(FRAME_DATAGRAM, msg);
	});
	socket.on('error', (error) => {
		// ENOBUFS: the kernel dropped events for us. Anything else ends the stream.
		if (error.errno === constants.errno.ENOBUFS) frame(FRAME_LOST, u32(error.errno));
		else {
			frame(FRAME_FATAL, u32(error.errno ?? 0));
			process.exitCode = 1;
			socket.close();
		}
	});
	// The kernel may cap the buffer at net.core.rmem_max; report what we got.
	frame(FRAME_READY, u32(socket.getRecvBufferSize()));
	// The parent closing our stdin (or dying) ends us.
	process.stdin.on('end', () => process.exit(0));
	process.stdin.resume();
	process.stdout.on('error', () => process.exit(0));
}

main();
