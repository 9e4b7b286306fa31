/**
 * Runs inside a bench namespace: what keeping the live table true costs at this size. One
 * dump into a FlowTable as the sync does it (its CPU, user + system, which includes the
 * kernel's walk), the background period that cost chooses, and the median of 20 re-reads of
 * 50 flows by tuple (the rows on screen, every tick). Prints one JSON line.
 */
import {ConntrackClient} from '../../source/kernel/client.js';
import type {Flow} from '../../source/flow/types.js';
import {FlowTable} from '../../source/model/table.js';
import {refreshPeriodMs} from '../../source/sync/refresh-period.js';

const client = ConntrackClient.open();
const table = new FlowTable();
const dumpCosts: number[] = [];
let flows: Flow[] = [];
for (let round = 0; round < 3; round++) {
	const cpu = process.cpuUsage();
	flows = [];
	await client.dump((flow) => flows.push(flow));
	table.applySnapshot(flows, Date.now());
	const spent = process.cpuUsage(cpu);
	dumpCosts.push((spent.user + spent.system) / 1000);
}

const onScreen = flows.slice(0, 50);
const rereads: number[] = [];
let found = 0;
for (let round = 0; round < 20; round++) {
	const start = performance.now();
	const results = await client.reread(onScreen);
	table.applyReread(onScreen, results, Date.now());
	rereads.push(performance.now() - start);
	found = results.filter((result) => typeof result === 'object').length;
}

client.close();
const median = (values: number[]) =>
	[...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const dumpCostMs = median(dumpCosts);
console.log(
	JSON.stringify({
		flows: flows.length,
		dumpCostMs,
		periodMs: refreshPeriodMs(dumpCostMs),
		rereadMs: median(rereads),
		rereadFound: found,
	}),
);
