/**
 * Runs the kernel client inside a test's namespace (`ip netns exec NS node --import tsx
 * kernel-probe.ts CMD`) and prints JSON: sockets belong to the namespace of the process that
 * opens them, and a Node process cannot switch namespaces itself.
 *
 *   dump                 one JSON flow per line, then {"summary": ...}
 *   stats                {"stats": ...}
 *   delete <flow-json>   {"outcome": ...}  (flow-json: the raw Flow as `dump --raw` printed it)
 *   reread <flows-json|->  {"results": [flow json | "gone" | "unreadable", ...]} for a JSON array of
 *                        raw Flows, re-read in one batch by tuple and zone
 *   dump --raw           raw Flow objects (addresses as numbers / byte arrays) for delete
 *   events <ms>          one JSON event per line for <ms> milliseconds, resyncs as {"resync":...}
 *   capture-dump         {"datagrams": [hex, ...]}: the raw dump datagrams, for fixtures
 *   capture-events <ms>  {"datagrams": [hex, ...]}: raw event datagrams for <ms> ms, for fixtures
 */
import {flowToJson, eventToJson} from '../../source/flow/json.js';
import type {Flow} from '../../source/flow/types.js';
import {readFileSync} from 'node:fs';
import {RawNetlinkSocket} from 'netlink';
import {ConntrackClient} from '../../source/kernel/client.js';
import * as C from '../../source/kernel/constants.js';
import {decodeDatagram} from '../../source/kernel/decode-datagram.js';
import {encodeDumpRequest} from '../../source/kernel/encode.js';
import {EventStream} from '../../source/kernel/events.js';

const [command, argument] = process.argv.slice(2);

function rawReplacer(_key: string, value: unknown): unknown {
	return value instanceof Uint8Array ? {v6: Array.from(value)} : value;
}

function rawReviver(_key: string, value: unknown): unknown {
	if (value && typeof value === 'object' && 'v6' in value)
		return Uint8Array.from((value as {v6: number[]}).v6);
	return value;
}

/** Records raw datagrams: a dump until NLMSG_DONE, or events for a while. */
async function capture(kind: 'dump' | 'events', ms: number): Promise<void> {
	const socket = new RawNetlinkSocket(C.NETLINK_NETFILTER, {
		messagePeeking: false,
		msgBufferSize: 32768,
		recvBufferSize: 4 << 20,
		sendBufferSize: 0,
	});
	const datagrams: string[] = [];
	await new Promise<void>((resolve) => {
		socket.on('message', (msg) => {
			datagrams.push(msg.toString('hex'));
			if (kind === 'dump') {
				decodeDatagram(msg, {flow() {}, done: () => resolve()});
			}
		});
		if (kind === 'dump') {
			socket.send(encodeDumpRequest(1));
		} else {
			socket.addMembership(C.NFNLGRP_CONNTRACK_NEW);
			socket.addMembership(C.NFNLGRP_CONNTRACK_UPDATE);
			socket.addMembership(C.NFNLGRP_CONNTRACK_DESTROY);
			console.log(JSON.stringify({ready: true}));
			setTimeout(resolve, ms);
		}
	});
	socket.close();
	console.log(JSON.stringify({datagrams}));
}

async function main(): Promise<void> {
	if (command === 'capture-dump' || command === 'capture-events') {
		await capture(command === 'capture-dump' ? 'dump' : 'events', Number(argument ?? 2000));
		return;
	}

	if (command === 'events') {
		const stream = new EventStream();
		stream.on('ready', (size) => console.log(JSON.stringify({ready: size})));
		stream.on('event', (event) => console.log(JSON.stringify(eventToJson(event))));
		stream.on('resync', (reason) => console.log(JSON.stringify({resync: reason})));
		stream.on('error', (error) => console.log(JSON.stringify({error: error.message})));
		setTimeout(() => stream.stop(), Number(argument ?? 2000));
		return;
	}

	const client = ConntrackClient.open();
	try {
		if (command === 'dump') {
			const raw = argument === '--raw';
			const summary = await client.dump((flow) => {
				console.log(raw ? JSON.stringify(flow, rawReplacer) : JSON.stringify(flowToJson(flow)));
			});
			console.log(JSON.stringify({summary}));
		} else if (command === 'stats') {
			console.log(JSON.stringify({stats: await client.stats()}));
		} else if (command === 'delete') {
			const flow = JSON.parse(argument, rawReviver) as Flow;
			console.log(JSON.stringify({outcome: await client.delete(flow)}));
		} else if (command === 'reread') {
			// `-`: the list comes on stdin (a long list is over the kernel's 128 KiB argument limit).
			const text = argument === '-' ? readFileSync(0, 'utf8') : argument;
			const flows = JSON.parse(text, rawReviver) as Flow[];
			const results = await client.reread(flows);
			console.log(
				JSON.stringify({
					results: results.map((result) =>
						typeof result === 'string' ? result : flowToJson(result),
					),
				}),
			);
		} else {
			throw new Error(`unknown probe command ${command}`);
		}
	} finally {
		client.close();
	}
}

main().catch((error: unknown) => {
	console.log(JSON.stringify({error: String(error), code: (error as {code?: string}).code}));
	process.exitCode = (error as {exitCode?: number}).exitCode ?? 1;
});
