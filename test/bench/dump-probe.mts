/**
 * Runs inside a bench namespace: times one dump+decode with the kernel client and prints
 * {ms, flows, rssBaseline, rssAfter} as JSON. With `--collect` the flows are kept in an array
 * (what the live table does), else each is handed on and dropped (what `--once` streaming does).
 */
import {ConntrackClient} from '../../source/kernel/client.js';
import type {Flow} from '../../source/flow.js';

const collect = process.argv.includes('--collect');
globalThis.gc?.();
const rssBaseline = process.memoryUsage().rss;
const client = ConntrackClient.open();
const kept: Flow[] = [];
let count = 0;
const start = performance.now();
await client.dump((flow) => {
	count++;
	if (collect) kept.push(flow);
});
const ms = performance.now() - start;
client.close();
globalThis.gc?.();
const rssAfter = process.memoryUsage().rss;
console.log(JSON.stringify({ms, flows: count, kept: kept.length, rssBaseline, rssAfter}));
