/**
 * The `b` key in-process: a table of FLOWS flows (100k unless set) queried for one page per
 * sort column in display order, as stepping through them does (each step sorts a column the
 * cached order was not sorted by). SHAPE=sc1m makes flows like the scale namespace's (TCP
 * ESTABLISHED 10.x.y.z:random -> 10.200.0.1:443, timeouts within a few seconds of each other);
 * otherwise the model bench's synthetic mix. Prints, per column, the median and each of
 * ROUNDS (5) steps, after one unmeasured round; then, for ttl, packets and bytes, the query after
 * 20 rows changed (as the screen's re-read each second does): wall time, or CPU time with CPU=1 (steadier on
 * a shared machine). Run:
 *
 *   FLOWS=1000000 SHAPE=sc1m node --import tsx test/bench/sort-step.ts
 */
import {performance} from 'node:perf_hooks';
import type {Flow} from '../../source/flow/types.js';
import {sortColumns} from '../../source/model/sort-columns.js';
import {FlowTable} from '../../source/model/table.js';
import {createRandom, makeFlow, syntheticFlows} from '../helpers/synthetic-flows.js';

const flowCount = Number(process.env.FLOWS ?? 100_000);
const rounds = Number(process.env.ROUNDS ?? 5);
const reverse = process.env.REVERSE === '1';
const stepped = process.env.COLUMNS
	? (process.env.COLUMNS.split(',') as typeof sortColumns)
	: sortColumns;

function scaleFlows(count: number): Flow[] {
	const random = createRandom(7);
	const flows: Flow[] = [];
	for (let i = 0; i < count; i++) {
		const host = 1 + i;
		const flow = makeFlow({
			id: Math.floor(random() * 2 ** 32),
			src: `10.${(host >>> 16) & 255}.${(host >>> 8) & 255}.${host & 255}`,
			dst: '10.200.0.1',
			sport: 1024 + Math.floor(random() * 64_000),
			dport: 443,
			timeout: 432_000 - Math.floor(random() * 5),
			packets: [1, 0],
			bytes: [60, 0],
		});
		flows.push(flow);
	}

	return flows;
}

const flows = process.env.SHAPE === 'sc1m' ? scaleFlows(flowCount) : syntheticFlows(flowCount, 1);
const now = 1_700_000_000_000;
const table = new FlowTable();
table.applySnapshot(flows, now);
table.query({sort: 'src', rows: 20}, now);

const times = new Map<string, number[]>(stepped.map((column) => [column, []]));
for (let round = -1; round < rounds; round++) {
	for (const sort of stepped) {
		const start = process.env.CPU === '1' ? process.cpuUsage() : undefined;
		const wall = performance.now();
		table.query({sort, reverse, rows: 20, offset: 100}, now);
		const cpu = start && process.cpuUsage(start);
		const ms = cpu ? (cpu.user + cpu.system) / 1000 : performance.now() - wall;
		if (round >= 0) times.get(sort)!.push(ms);
	}
}

// What the screen's re-read does every second: 20 rows' counters and timeouts change, then the
// view is queried again, sorted by a column those change.
const changed = new Map<string, number[]>();
let later = now;
for (const sort of ['ttl', 'packets', 'bytes'] as const) {
	const spent: number[] = [];
	table.query({sort, reverse, rows: 20}, later);
	for (let round = -1; round < rounds; round++) {
		later += 1000;
		for (let i = 0; i < 20; i++) {
			const flow = flows[((round + 1) * 7919 * (i + 1)) % flows.length];
			const packets = 1000 + round * 20 + i;
			table.applyEvent(
				{
					type: 'update',
					flow: {
						...flow,
						timeout: 431_000 + i,
						counters: {original: {packets, bytes: packets * 60}, reply: {packets: 0, bytes: 0}},
					},
					time: later,
				},
				later,
			);
		}

		const start = process.env.CPU === '1' ? process.cpuUsage() : undefined;
		const wall = performance.now();
		table.query({sort, reverse, rows: 20, offset: 100}, later);
		const cpu = start && process.cpuUsage(start);
		if (round >= 0) spent.push(cpu ? (cpu.user + cpu.system) / 1000 : performance.now() - wall);
	}

	changed.set(`${sort} after 20 rows changed`, spent);
}

for (const [column, values] of [...times, ...changed]) {
	const sorted = [...values].sort((a, b) => a - b);
	const median = sorted[Math.floor(sorted.length / 2)];
	console.log(
		`${column.padEnd(26)} median ${median.toFixed(1).padStart(6)} ms  (${values.map((v) => v.toFixed(0)).join(', ')})`,
	);
}
