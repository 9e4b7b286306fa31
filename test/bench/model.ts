/**
 * Model benchmark over 100k synthetic flows (FLOWS=n to change). Every operation runs once
 * unmeasured to warm the JIT, as it would be in a running session, then several times
 * measured; the table prints the median and worst run against the one-frame budget (16 ms),
 * then the memory the table costs per flow (V8 heap plus external memory: typed arrays, external strings).
 * Run: node --import tsx test/bench/model.ts
 */
import {performance} from 'node:perf_hooks';
import {setFlagsFromString} from 'node:v8';
import {runInNewContext} from 'node:vm';
import type {FlowEvent} from '../../source/flow/types.js';
import {parseFilter, type Filter} from '../../source/model/filter.js';
import type {SortColumn} from '../../source/model/sort-columns.js';
import {FlowTable, type FlowQuery} from '../../source/model/table.js';
import {
	createRandom,
	syntheticEvents,
	syntheticFlow,
	syntheticFlows,
} from '../helpers/synthetic-flows.js';

const flowCount = Number(process.env.FLOWS ?? 100_000);
const frameMs = 16;

setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;

function memory(): number {
	gc();
	gc();
	const usage = process.memoryUsage();
	return usage.heapUsed + usage.external;
}

interface Result {
	readonly name: string;
	readonly median: number;
	readonly worst: number;
	readonly budget: number | undefined;
}

const results: Result[] = [];

function measure(
	name: string,
	runs: number,
	budget: number | undefined,
	run: (i: number) => void,
): void {
	run(-1);
	const times: number[] = [];
	for (let i = 0; i < runs; i++) {
		const start = performance.now();
		run(i);
		times.push(performance.now() - start);
	}

	times.sort((a, b) => a - b);
	results.push({name, median: times[Math.floor(times.length / 2)], worst: times.at(-1)!, budget});
}

function compile(text: string): Filter {
	const result = parseFilter(text);
	if (!result.ok) throw new Error(`bench filter '${text}': ${result.error.message}`);
	return result.filter;
}

const memoryBefore = memory();
const flows = syntheticFlows(flowCount, 1);
const memoryFlows = memory();
let now = 1_700_000_000_000;
const table = new FlowTable();
let start = performance.now();
table.applySnapshot(flows, now);
const snapshotMs = performance.now() - start;
const memoryTable = memory();
start = performance.now();
table.query({sort: 'bytes', rows: 50}, now);
const firstQueryMs = performance.now() - start;

const base: FlowQuery = {sort: 'bytes', reverse: true, offset: 0, rows: 50};

const batches: FlowEvent[][] = [];
for (let i = 0; i < 11; i++) batches.push(syntheticEvents(flows, 10_000, 100 + i, now));
measure('apply 10k events (20% new, 20% destroy)', 10, frameMs, (i) => {
	now += 1000;
	table.applyEvents(batches[i + 1], now);
});

// One new flow changes the membership, which re-sorts whatever the column.
const random = createRandom(9);
const columns: SortColumn[] = [
	'bytes',
	'rate',
	'ttl',
	'age',
	'src',
	'dst',
	'nat',
	'state',
	'dport',
];
for (const sort of columns) {
	measure(`one new flow, re-sort by ${sort}, page`, 9, frameMs, () => {
		now += 10;
		table.applyEvent({type: 'new', flow: syntheticFlow(random), time: now}, now);
		table.query({...base, sort}, now);
	});
}

const keystrokes = [
	'proto:t',
	'proto:tcp',
	'proto:tcp dport:443',
	'proto:tcp dport:443 state:est',
	'dst:10.0.0.0/8 bytes>1M',
	'proto:udp flag:unreplied age>60',
	'host:2001:db8::/32 !proto:icmpv6',
	'nat:snat ttl<100',
];
measure('re-filter after a keystroke (fields)', keystrokes.length, frameMs, (i) => {
	table.query({...base, filter: compile(keystrokes[Math.max(0, i)])}, now);
});

// What the UI does when the filter prompt opens, so no keystroke pays for the text index.
now += 10;
table.applyEvent({type: 'new', flow: syntheticFlow(random), time: now}, now);
const memoryNoText = memory();
start = performance.now();
table.prepareTextSearch();
const prepareMs = performance.now() - start;
const memoryText = memory();
const words = [
	'1',
	'10',
	'10.',
	'10.0',
	'10.0.1',
	'10.0.12',
	'assured',
	'establ',
	':443',
	'2001:db8',
];
measure('re-filter after a keystroke (bare word)', words.length, frameMs, (i) => {
	table.query({...base, filter: compile(words[Math.max(0, i)])}, now);
});

const filtered: FlowQuery = {...base, filter: compile('proto:tcp dport:443')};
table.query(filtered, now);
const sortsBefore = table.stats.sorts;
const filtersBefore = table.stats.filterPasses;
measure('one visible page, nothing changed (1 Hz)', 20, frameMs, (i) => {
	table.query({...filtered, offset: Math.max(0, i) * 50}, now + (i + 1) * 1000);
});
const idleSorts = table.stats.sorts - sortsBefore;
const idleFilters = table.stats.filterPasses - filtersBefore;

measure('group by src24 after a change, by count', 5, frameMs, () => {
	now += 10;
	table.applyEvent({type: 'new', flow: syntheticFlow(random), time: now}, now);
	table.query({group: 'src24', sort: 'count', reverse: true, rows: 50}, now);
});
measure('group by dport after a change, by rate', 5, frameMs, () => {
	now += 10;
	table.applyEvent({type: 'new', flow: syntheticFlow(random), time: now}, now);
	table.query({group: 'dport', sort: 'rate', reverse: true, rows: 50}, now);
});
measure('group by src (~1 flow per group), by bytes', 5, frameMs, () => {
	now += 10;
	table.applyEvent({type: 'new', flow: syntheticFlow(random), time: now}, now);
	table.query({group: 'src', sort: 'bytes', reverse: true, rows: 50}, now);
});

const keys = table.query({...base, rows: 10}, now).rows.map((row) => row.key);
measure('indexOfKey (cursor follows a flow)', keys.length, frameMs, (i) => {
	table.indexOfKey(base, keys[Math.max(0, i)], now);
});

const lines: string[] = [];
lines.push(`model benchmark: ${flowCount} flows, node ${process.version}`, '');
lines.push(`${'operation'.padEnd(44)} ${'median'.padStart(9)} ${'worst'.padStart(9)}  budget ok`);
for (const r of results) {
	const ok =
		r.budget === undefined
			? ''
			: r.worst <= r.budget
				? 'yes'
				: r.median <= r.budget
					? 'median'
					: 'NO';
	const median = `${r.median.toFixed(2)} ms`.padStart(9);
	const worst = `${r.worst.toFixed(2)} ms`.padStart(9);
	lines.push(
		`${r.name.padEnd(44)} ${median} ${worst}  ${String(r.budget ?? '-').padStart(3)} ms ${ok}`,
	);
}

const perFlow = (bytes: number) => `${Math.round(bytes / flowCount)} B/flow`;
lines.push(
	'',
	`once: applySnapshot of ${flowCount} flows ${snapshotMs.toFixed(0)} ms, first query (builds`,
	`      the identity order) ${firstQueryMs.toFixed(0)} ms, text index for bare words ${prepareMs.toFixed(0)} ms`,
	`memory: decoded flows (input) ${perFlow(memoryFlows - memoryBefore)}; table over them ${perFlow(memoryTable - memoryFlows)} (budget 1024);`,
	`        text index for bare words (built on first use) ${perFlow(memoryText - memoryNoText)}`,
	`1 Hz queries with nothing changed: ${idleSorts} sorts, ${idleFilters} filter passes (want 0, 0)`,
);
console.log(lines.join('\n'));
