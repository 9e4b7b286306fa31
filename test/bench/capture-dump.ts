/** One dump of the current namespace's table, kept as the kernel sent it, for in-process benches. */
import {RawNetlinkSocket} from 'netlink/dist/raw.js';
import * as C from '../../source/kernel/constants.js';
import {decodeDatagram} from '../../source/kernel/decode-datagram.js';
import {encodeDumpRequest} from '../../source/kernel/encode.js';

/** One dump of the namespace's table as the kernel sent it: a copy of every datagram. */
export async function capture(): Promise<Buffer[]> {
	const socket = new RawNetlinkSocket(C.NETLINK_NETFILTER, {
		messagePeeking: false,
		msgBufferSize: 32768,
		recvBufferSize: 1 << 20,
		sendBufferSize: 0,
	});
	const datagrams: Buffer[] = [];
	await new Promise<void>((resolve, reject) => {
		socket.on('error', reject);
		socket.on('message', (message: Buffer) => {
			datagrams.push(Buffer.from(message));
			decodeDatagram(message, {
				flow() {},
				done() {
					resolve();
				},
			});
		});
		socket.send(encodeDumpRequest(1), {}, (error) => {
			if (error) reject(error);
		});
	});
	socket.close();
	return datagrams;
}
