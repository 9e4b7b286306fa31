/**
 * Runs inside a bench namespace: times one dump+decode with the kernel client and prints
 * {ms, flows, perFlow, rssPerFlow} as JSON. With `--table` the flows go into a FlowTable (what
 * the live view holds) and `perFlow` is the heap plus typed-array bytes per flow it costs over
 * the baseline, `rssPerFlow` the RSS; otherwise each flow is handed on and dropped (what
 * `--once` streaming does).
 */
import {ConntrackClient} from '../../source/kernel/client.js';
import type {Flow} from '../../source/flow/types.js';
import {FlowTable} from '../../source/model/table.js';

const keep = process.argv.includes('--table');
/** Heap objects plus ArrayBuffer memory (typed arrays live outside the JS heap). */
const used = () => {
	globalThis.gc?.();
	const memory = process.memoryUsage();
	return {bytes: memory.heapUsed + memory.arrayBuffers, rss: memory.rss};
};

const baseline = used();
const client = ConntrackClient.open();
const flows: Flow[] = [];
let count = 0;
const start = performance.now();
await client.dump((flow) => {
	count++;
	if (keep) flows.push(flow);
});
const ms = performance.now() - start;
client.close();
let table: FlowTable | undefined;
if (keep) {
	table = new FlowTable();
	table.applySnapshot(flows, Date.now());
	flows.length = 0;
	table.query({sort: 'src', rows: 50}, Date.now());
}

const after = used();
console.log(
	JSON.stringify({
		ms,
		flows: count,
		kept: table?.size ?? 0,
		perFlow: (after.bytes - baseline.bytes) / Math.max(1, count),
		rssPerFlow: (after.rss - baseline.rss) / Math.max(1, count),
	}),
);
