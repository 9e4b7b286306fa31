/**
 * Runs the whole read path (kernel client, event stream, sync, model table) inside a test
 * namespace. Prints {"ready":...} once following events; on a line "finish" on stdin it waits
 * for a quiet moment, then prints the live table as {"flows": [key...], "status": ...}.
 * Env: RCVBUF = event socket receive buffer (small makes loss likely).
 */
import {createInterface} from 'node:readline';
import {flowToJson} from '../../source/cli/flow-json.js';
import {ConntrackClient} from '../../source/kernel/client.js';
import {EventStream} from '../../source/kernel/events.js';
import {FlowTable} from '../../source/model/index.js';
import {TableSync} from '../../source/sync/table-sync.js';
import {flowKey} from './compare-flows.js';

const client = ConntrackClient.open();
const events = new EventStream({receiveBuffer: Number(process.env.RCVBUF ?? 8 << 20)});
const table = new FlowTable({closedMs: 0});
let lastActivity = Date.now();
const touch = () => {
	lastActivity = Date.now();
};
events.on('event', touch);
events.on('resync', touch);
const sync = new TableSync({
	source: client,
	events,
	target: table,
	now: Date.now,
	resyncIntervalMs: 0,
	statsIntervalMs: 0,
});
await new Promise<void>((resolve) => events.on('ready', () => resolve()));
await sync.start();
console.log(JSON.stringify({ready: true}));

const lines = createInterface({input: process.stdin});
for await (const line of lines) {
	if (line.trim() !== 'finish') continue;
	while (Date.now() - lastActivity < 1000) await new Promise((resolve) => setTimeout(resolve, 100));
	// Quiet for a second: a re-dump started by a late loss report has had time to finish.
	await new Promise((resolve) => setTimeout(resolve, 1000));
	const now = Date.now();
	table.expire(now);
	const page = table.query({sort: 'src', rows: 1_000_000}, now);
	const flows =
		page.kind === 'flows'
			? page.rows
					.filter((row) => !row.closed)
					.map((row) => flowKey(row.flow.id, flowToJson(row.flow).original))
			: [];
	console.log(JSON.stringify({flows, status: sync.status}));
	break;
}

lines.close();
sync.stop();
