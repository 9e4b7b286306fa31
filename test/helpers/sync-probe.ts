/**
 * Runs the whole read path (kernel client, event stream, sync, model table) inside a test
 * namespace. Prints {"ready":...} once following events; on a line "finish" on stdin (sent once
 * the test's churn is over) it waits until the sync has caught up with the kernel (see
 * `settle`), then prints the live table as {"flows": [key...], "closed", "status"}.
 * Env: RCVBUF = event socket receive buffer (small makes loss likely); RESYNC_MS = periodic
 * re-read (default off); CLOSED_MS = how long
 * tombstones stay (default 0); SAMPLE_MS = also run the TUI's 1 Hz work (expire, a sorted page,
 * totals) and print {"sample": {heap, rss, cpu, size, closed}} that often (run with --expose-gc).
 */
import {execFile} from 'node:child_process';
import {createInterface} from 'node:readline';
import {promisify} from 'node:util';
import {formatAddress} from '../../source/flow/address-text.js';
import {flowToJson} from '../../source/flow/json.js';
import type {FlowSource} from '../../source/flow/source.js';
import type {FlowEvent} from '../../source/flow/types.js';
import {ConntrackClient} from '../../source/kernel/client.js';
import {EventStream} from '../../source/kernel/events.js';
import {FlowTable} from '../../source/model/table.js';
import {TableSync} from '../../source/sync/table-sync.js';
import {flowKey} from './compare-flows.js';

const client = ConntrackClient.open();
const events = new EventStream({receiveBuffer: Number(process.env.RCVBUF ?? 8 << 20)});
const table = new FlowTable({closedMs: Number(process.env.CLOSED_MS ?? 0)});

// The client, with a count of dumps in flight: the sync does not say when one is running.
let dumpsRunning = 0;
const source: FlowSource = {
	async dump(onFlow) {
		dumpsRunning++;
		try {
			return await client.dump(onFlow);
		} finally {
			dumpsRunning--;
		}
	},
	stats: async () => client.stats(),
	delete: async (flow) => client.delete(flow),
	reread: async (flows) => client.reread(flows),
	close() {
		client.close();
	},
};

const sync = new TableSync({
	source,
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
	await settle();
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

/**
 * Resolves once the table holds everything the churn did. Events reach the sync in the order
 * the kernel queued them, and a loss is reported before any datagram queued after it (recvmsg
 * returns the pending ENOBUFS first; a restarted event process reports its resync once
 * subscribed). So a marker entry inserted now, whose NEW arrives with no resync reported
 * since, proves every earlier event and loss report has been handed to the sync; a resync
 * instead means the marker may be lost, and another one is sent. Then the dumps those reports
 * started (and any periodic one) must finish. Markers (UDP 192.0.2.1 -> 192.0.2.2:9, an hour's
 * timeout) stay in the kernel, so the probe's table and the test's conntrack -L both list them;
 * they are not deleted, as a delete would leave a tombstone in the table.
 */
async function settle(): Promise<void> {
	const run = promisify(execFile);
	const deadline = Date.now() + 60_000;
	for (let attempt = 0; ; attempt++) {
		if (Date.now() > deadline) throw new Error('sync-probe: the event stream never caught up');
		const sport = 40_000 + attempt;
		const tuple = ['-p', 'udp', '-s', '192.0.2.1', '-d', '192.0.2.2'];
		tuple.push('--sport', `${sport}`, '--dport', '9');
		let resynced = false;
		let seen = false;
		const onResync = () => {
			resynced = true;
		};

		const onEvent = (event: FlowEvent) => {
			const o = event.flow.original;
			if (event.type === 'new' && o.sport === sport && o.dport === 9) {
				seen ||= formatAddress(o.src) === '192.0.2.1';
			}
		};

		events.on('resync', onResync);
		events.on('event', onEvent);
		try {
			await run('conntrack', ['-I', ...tuple, '-t', '3600']);
			while (!seen && !resynced) await new Promise((resolve) => setTimeout(resolve, 20));
		} finally {
			events.off('resync', onResync);
			events.off('event', onEvent);
		}

		if (seen && !resynced) break;
	}

	while (dumpsRunning > 0) await new Promise((resolve) => setTimeout(resolve, 20));
}
