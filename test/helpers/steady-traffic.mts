/**
 * Steady traffic between two test namespaces (run each side with `ip netns exec`), for tests
 * that check what conntop shows while flows run. Bounded: each side exits by itself.
 *
 *   server <address> <seconds>          TCP sink on 5001, UDP echo on 5002, for <seconds>
 *   client <address> <seconds> [kB/s]   one TCP connection sending [kB/s] (default 1000) in
 *                                       20 ms slices, and 50 UDP datagrams of 200 bytes a second
 *
 * The client prints `started` once both flows are open, then exits after <seconds>.
 */
import {createConnection, createServer} from 'node:net';
import {createSocket} from 'node:dgram';

const [role, address, secondsText, rateText] = process.argv.slice(2);
const seconds = Math.min(120, Number(secondsText));
const kilobytesPerSecond = Number(rateText ?? 1000);

function server(): void {
	const tcp = createServer((socket) => {
		socket.resume();
		socket.on('error', () => undefined);
	});
	tcp.listen(5001, address);
	const udp = createSocket('udp4');
	udp.on('message', (msg, rinfo) => udp.send(msg, rinfo.port, rinfo.address));
	udp.bind(5002, address);
	setTimeout(() => process.exit(0), seconds * 1000).unref();
	setTimeout(() => undefined, seconds * 1000);
}

async function client(): Promise<void> {
	const tcp = createConnection(5001, address);
	tcp.on('error', () => undefined);
	await new Promise<void>((resolve) => tcp.once('connect', () => resolve()));
	const udp = createSocket('udp4');
	udp.on('message', () => undefined);
	const slice = Buffer.alloc(Math.round((kilobytesPerSecond * 1000) / 50), 0x61);
	const datagram = Buffer.alloc(200, 0x62);
	const tcpTimer = setInterval(() => tcp.write(slice), 20);
	const udpTimer = setInterval(() => udp.send(datagram, 5002, address), 20);
	console.log('started');
	setTimeout(() => {
		clearInterval(tcpTimer);
		clearInterval(udpTimer);
		tcp.destroy();
		udp.close();
	}, seconds * 1000);
}

if (role === 'server') server();
else await client();
