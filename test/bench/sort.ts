/**
 * Why sort keys live in typed arrays (docs/facts.md#sorting): 100k rows ordered by one key four
 * ways, each warmed once and then the median of 7 runs printed. No kernel, no root.
 *
 *   node --import tsx test/bench/sort.ts   (ROWS=n to change the count)
 */
import {performance} from 'node:perf_hooks';
import {radixSort} from '../../source/model/radix.js';
import {createRandom} from '../helpers/synthetic-flows.js';

const rows = Number(process.env.ROWS ?? 100_000);
const random = createRandom(13);
const keys = new Uint32Array(rows);
for (let i = 0; i < rows; i++) keys[i] = Math.floor(random() * 2 ** 32);
const addresses = Array.from(
	keys,
	(k) => `${k >>> 24}.${(k >>> 16) & 255}.${(k >>> 8) & 255}.${k & 255}`,
);
const indices = () => Array.from({length: rows}, (_, i) => i);

function median(run: () => void): number {
	run();
	const times: number[] = [];
	for (let i = 0; i < 7; i++) {
		const start = performance.now();
		run();
		times.push(performance.now() - start);
	}

	return times.sort((a, b) => a - b)[3];
}

const order = new Int32Array(rows);
const scratch = new Int32Array(rows);
const cases: Array<[string, () => void]> = [
	['Array#sort, numeric comparator', () => indices().sort((a, b) => keys[a] - keys[b])],
	[
		'Array#sort, IP strings compared',
		() =>
			indices().sort((a, b) =>
				addresses[a] < addresses[b] ? -1 : addresses[a] > addresses[b] ? 1 : 0,
			),
	],
	[
		'Array#sort, localeCompare',
		() => indices().sort((a, b) => addresses[a].localeCompare(addresses[b])),
	],
	[
		'radix sort of a uint32 key',
		() => {
			for (let i = 0; i < rows; i++) order[i] = i;
			radixSort(order, rows, [keys], scratch);
		},
	],
];
console.log(`Sorting ${rows} row indices by one key (median of 7, warmed)`);
for (const [name, run] of cases)
	console.log(`${name.padEnd(34)} ${median(run).toFixed(1).padStart(7)} ms`);
