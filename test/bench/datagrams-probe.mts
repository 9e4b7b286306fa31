/**
 * Runs inside a bench namespace: dumps the table once over a raw netlink socket with message
 * peeking on or off (`--peek`) and prints {peeking, datagrams, flows} as JSON. A datagram is one
 * 'message' event of the socket; with peeking on, each also costs a second recvmsg.
 */
import {RawNetlinkSocket} from 'netlink';
import * as C from '../../source/kernel/constants.js';
import {decodeDatagram} from '../../source/kernel/decode-datagram.js';
import {encodeDumpRequest} from '../../source/kernel/encode.js';

const peeking = process.argv.includes('--peek');
const socket = new RawNetlinkSocket(C.NETLINK_NETFILTER, {
	messagePeeking: peeking,
	msgBufferSize: 32768,
	recvBufferSize: 1 << 20,
	sendBufferSize: 0,
});
let datagrams = 0;
let flows = 0;
await new Promise<void>((resolve, reject) => {
	socket.on('error', reject);
	socket.on('message', (message: Buffer) => {
		datagrams++;
		decodeDatagram(message, {
			flow() {
				flows++;
			},
			done: () => {
				resolve();
			},
		});
	});
	socket.send(encodeDumpRequest(1), {}, (error) => {
		if (error) reject(error);
	});
});
socket.close();
console.log(JSON.stringify({peeking, datagrams, flows}));
