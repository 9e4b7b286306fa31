/**
 * Real loopback traffic inside a test namespace (run with `ip netns exec`): servers on
 * 127.0.0.1 and ::1, bounded clients, then exit. Every address is on the namespace's own lo.
 *
 *   tcp <port> [count] [host]   serve on <port> and make <count> short TCP connections to it
 *                               (through [host]:<connect-port> when CONNECT_PORT is set, for DNAT)
 *   udp <port> [count] [host]   serve UDP on <port> and send <count> datagrams, each answered
 */
import {createServer, connect} from 'node:net';
import {createSocket} from 'node:dgram';

const [kind, portText, countText, hostText] = process.argv.slice(2);
const port = Number(portText);
const count = Number(countText ?? 1);
const host = hostText ?? '127.0.0.1';
const connectPort = Number(process.env.CONNECT_PORT ?? port);
const family = host.includes(':') ? 'udp6' : 'udp4';

async function tcp(): Promise<void> {
	const server = createServer((socket) => {
		socket.on('data', (data) => socket.end(data));
		socket.on('error', () => undefined);
	});
	await new Promise<void>((resolve) => server.listen(port, host, resolve));
	for (let i = 0; i < count; i++) {
		await new Promise<void>((resolve, reject) => {
			const client = connect(connectPort, host, () => client.write('hello conntop'));
			client.on('data', () => client.end());
			client.on('close', () => resolve());
			client.on('error', reject);
			client.setTimeout(5000, () => reject(new Error('tcp client timed out')));
		});
	}

	server.close();
}

async function udp(): Promise<void> {
	const server = createSocket(family);
	server.on('message', (msg, rinfo) => server.send(msg, rinfo.port, rinfo.address));
	await new Promise<void>((resolve) => server.bind(port, host, resolve));
	const client = createSocket(family);
	for (let i = 0; i < count; i++) {
		await new Promise<void>((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error('udp reply timed out')), 5000);
			client.once('message', () => {
				clearTimeout(timer);
				resolve();
			});
			client.send('ping', connectPort, host);
		});
	}

	client.close();
	server.close();
}

await (kind === 'tcp' ? tcp() : udp());
