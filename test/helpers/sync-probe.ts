/**
 * Runs the whole read path (kernel client, event stream, sync, model table) inside a test
 * namespace. Prints {"ready":...} once following events; on a line "finish" on stdin it waits
 * for a quiet moment, then prints the live table as {"flows": [key...], "closed", "status"}.
 * Env: RCVBUF = event socket receive buffer (small makes loss likely); RESYNC_MS = periodic
 * re-read (default off); CLOSED_MS = how long
 * tombstones stay (default 0); SAMPLE_MS = also run the TUI's 1 Hz work (expire, a sorted page,
 * totals) and print {"sample": {heap, rss, cpu, size, closed}} that often (run with --expose-gc).
 */
import {createInterface} from 'node:readline';
import {flowToJson} from '../../source/cli/flow-json.js';
import {ConntrackClient} from '../../source/kernel/client.js';
import {EventStream} from '../../source/kernel/events.js';
import {FlowTable} from '../../source/model/table.js';
import {TableSync} from '../../source/sync/table-sync.js';
import {flowKey} from './compare-flows.js';

const client = ConntrackClient.open();
const events = new EventStream({receiveBuffer: Number(process.env.RCVBUF ?? 8 << 20)});
const table = new FlowTable({closedMs: Number(process.env.CLOSED_MS ?? 0)});
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
	resyncIntervalMs: Number(process.env.RESYNC_MS ?? 0),
	statsIntervalMs: 0,
});
await new Promise<void>((resolve) => events.on('ready', () => resolve()));
await sync.start();
console.log(JSON.stringify({ready: true}));

const sampleMs = Number(process.env.SAMPLE_MS ?? 0);
const timers: NodeJS.Timeout[] = [];
let cpuBefore = process.cpuUsage();
if (sampleMs > 0) {
	timers.push(
		setInterval(() => {
			const now = Date.now();
			table.expire(now);
			table.query({sort: 'rate', reverse: true, rows: 30}, now);
			table.totals(now);
		}, 1000),
		setInterval(() => {
			const used = process.cpuUsage(cpuBefore);
			cpuBefore = process.cpuUsage();
			globalThis.gc?.();
			const {heapUsed, rss} = process.memoryUsage();
			// CPU as a share of one core over the interval.
			const cpu = (used.user + used.system) / 1000 / sampleMs;
			const sample = {heap: heapUsed, rss, cpu, size: table.size, closed: table.closed};
			console.log(JSON.stringify({sample}));
		}, sampleMs),
	);
}

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
	console.log(JSON.stringify({flows, closed: table.closed, status: sync.status}));
	break;
}

lines.close();
for (const timer of timers) clearInterval(timer);
sync.stop();
