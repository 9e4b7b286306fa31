/**
 * Runs the kernel client inside a test's namespace (`ip netns exec NS node --import tsx
 * kernel-probe.ts CMD`) and prints JSON: sockets belong to the namespace of the process that
 * opens them, and a Node process cannot switch namespaces itself.
 *
 *   dump                 one JSON flow per line, then {"summary": ...}
 *   stats                {"stats": ...}
 *   delete <flow-json>   {"outcome": ...}  (flow-json: the raw Flow as `dump --raw` printed it)
 *   dump --raw           raw Flow objects (addresses as numbers / byte arrays) for delete
 *   events <ms>          one JSON event per line for <ms> milliseconds, resyncs as {"resync":...}
 */
import {flowToJson, eventToJson} from '../../source/cli/flow-json.js';
import type {Flow} from '../../source/flow.js';
import {ConntrackClient} from '../../source/kernel/client.js';
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

async function main(): Promise<void> {
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
