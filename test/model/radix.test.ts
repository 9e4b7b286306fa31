import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import fc from 'fast-check';
import {encodeNumbers, radixSort, radixSortRefined} from '../../source/model/radix.js';

const chunkValues = fc.oneof(
	fc.constantFrom(0, 1, 0xffffffff, 0x80000000),
	fc.integer({min: 0, max: 0xffffffff}),
);
const keys = fc.integer({min: 1, max: 4}).chain((width) =>
	fc.array(fc.array(chunkValues, {minLength: width, maxLength: width}), {
		minLength: 0,
		maxLength: 60,
	}),
);

function columns(rows: number[][]): Uint32Array[] {
	const width = rows[0]?.length ?? 1;
	return Array.from({length: width}, (_, c) => Uint32Array.from(rows.map((row) => row[c])));
}

/** Array.prototype.sort is stable: the reference order by key, then by start position. */
function reference(rows: number[][], flip: number): number[] {
	return rows
		.map((_, i) => i)
		.sort((a, b) => {
			for (let c = 0; c < rows[a].length; c++) {
				const x = (rows[a][c] ^ flip) >>> 0;
				const y = (rows[b][c] ^ flip) >>> 0;
				if (x !== y) return x - y;
			}

			return 0;
		});
}

describe('radixSort', () => {
	test('sorts indices by multi-chunk keys stably, ascending or flipped', () => {
		fc.assert(
			fc.property(keys, fc.boolean(), (rows, descending) => {
				const flip = descending ? 0xffffffff : 0;
				const order = Int32Array.from(rows.map((_, i) => i));
				radixSort(order, rows.length, columns(rows), new Int32Array(rows.length), flip);
				assert.deepEqual([...order], reference(rows, flip));
			}),
		);
	});

	test('sorts by head then tail exactly like one sort by both', () => {
		fc.assert(
			fc.property(keys, fc.integer({min: 0, max: 3}), fc.boolean(), (rows, split, descending) => {
				const flip = descending ? 0xffffffff : 0;
				const all = columns(rows);
				const order = Int32Array.from(rows.map((_, i) => i));
				radixSortRefined(
					order,
					rows.length,
					all.slice(0, split),
					all.slice(split),
					new Int32Array(rows.length),
					flip,
				);
				assert.deepEqual([...order], reference(rows, flip));
			}),
		);
	});

	test('keeps the incoming order of equal keys in long runs', () => {
		const n = 1000;
		const key = new Uint32Array(n).fill(7);
		const order = Int32Array.from({length: n}, (_, i) => n - 1 - i);
		radixSortRefined(order, n, [key], [new Uint32Array(n)], new Int32Array(n));
		assert.deepEqual(
			[...order],
			Array.from({length: n}, (_, i) => n - 1 - i),
		);
	});
});

describe('encodeNumbers', () => {
	test('turns any finite or infinite number into chunks in numeric order', () => {
		const numbers = fc.oneof(
			fc.double({noNaN: true}),
			fc.integer({min: -1e15, max: 1e15}),
			fc.constantFrom(0, -0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1_700_000_000_000),
		);
		fc.assert(
			fc.property(
				fc.array(numbers, {minLength: 1, maxLength: 40}),
				fc.boolean(),
				(values, descending) => {
					const n = values.length;
					const high = new Uint32Array(n);
					const low = new Uint32Array(n);
					encodeNumbers(Float64Array.from(values), n, high, low, descending);
					const order = Int32Array.from(values.map((_, i) => i));
					radixSort(order, n, [high, low], new Int32Array(n));
					const sorted = [...order].map((i) => values[i]);
					for (let i = 1; i < n; i++) {
						if (descending)
							assert.ok(sorted[i - 1] >= sorted[i], `${sorted[i - 1]} before ${sorted[i]}`);
						else assert.ok(sorted[i - 1] <= sorted[i], `${sorted[i - 1]} before ${sorted[i]}`);
					}
				},
			),
		);
	});

	test('says the high chunk may differ whenever it does', () => {
		const numbers = fc.oneof(
			fc.double(),
			fc.integer({min: -1e15, max: 1e15}),
			fc.integer({min: 0, max: 5_000_000_000}),
			fc.constantFrom(Number.NaN, 4_294_967_295, 4_294_967_296, 1_700_000_000_000),
		);
		fc.assert(
			fc.property(
				fc.array(numbers, {minLength: 1, maxLength: 40}),
				fc.boolean(),
				(values, descending) => {
					const n = values.length;
					const high = new Uint32Array(n);
					const low = new Uint32Array(n);
					const highVaries = encodeNumbers(Float64Array.from(values), n, high, low, descending);
					if (!highVaries)
						assert.ok(
							high.every((chunk) => chunk === high[0]),
							String(values),
						);
				},
			),
			{numRuns: 500},
		);
	});

	test('gives equal numbers equal chunks, -0 included', () => {
		const high = new Uint32Array(2);
		const low = new Uint32Array(2);
		encodeNumbers(Float64Array.from([0.5, 0.5]), 2, high, low, false);
		assert.deepEqual([high[0], low[0]], [high[1], low[1]]);
		encodeNumbers(Float64Array.from([-0, 0, 0.5]), 3, high, low, false);
		assert.deepEqual([high[0], low[0]], [high[1], low[1]]);
	});
});
