import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import fc from 'fast-check';
import {encodeNumbers, numberRange, radixSort, radixSortRefined} from '../../source/model/radix.js';

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

describe('radixSort on tables of 65,536 rows and more', () => {
	// Above 65,536 indices the digits are up to 16 bits wide and only the bits that differ are
	// sorted on: keys of several widths, offsets and runs of ties, against the stable reference.
	const n = 70_000;
	let state = 11;
	const random = () => {
		state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
		return state / 2 ** 32;
	};

	const below = (limit: number) => Math.floor(random() * limit);
	const shapes: Array<[string, () => number]> = [
		['a port', () => 1024 + below(64_000)],
		['13 bits above a constant', () => 1_700_000_000 + below(8192)],
		['28 bits', () => below(2 ** 28)],
		['any 32 bits', () => below(2 ** 32)],
		['only the top bit', () => (below(2) === 0 ? 0 : 0x80000000)],
		['constant low bits', () => (below(4096) << 20) >>> 0],
		['one value', () => 42],
		['few values, long runs of ties', () => below(3)],
	];

	for (const [name, value] of shapes) {
		test(`sorts ${name} like a stable comparison sort, both directions, on a second chunk too`, () => {
			const rows = Array.from({length: n}, () => [below(4), value()]);
			const start = Array.from({length: n}, (_, i) => i).sort(() => random() - 0.5);
			for (const flip of [0, 0xffffffff]) {
				for (const chunks of [columns(rows), columns(rows.map((row) => [row[1]]))]) {
					const order = Int32Array.from(start);
					radixSort(order, n, chunks, new Int32Array(n), flip);
					const width = chunks.length;
					const expected = [...start].sort((a, b) => {
						for (let c = 0; c < width; c++) {
							const x = (chunks[c][a] ^ flip) >>> 0;
							const y = (chunks[c][b] ^ flip) >>> 0;
							if (x !== y) return x - y;
						}

						return 0;
					});
					assert.deepEqual([...order], expected);
				}
			}
		});
	}
});

/** `values` through `encodeNumbers`: the two chunks, and whether it says the high one varies. */
function encoded(
	values: readonly number[],
	descending: boolean,
): {high: Uint32Array; low: Uint32Array; highVaries: boolean} {
	const high = new Uint32Array(values.length);
	const low = new Uint32Array(values.length);
	const highVaries = encodeNumbers(Float64Array.from(values), values.length, high, low, descending);
	return {high, low, highVaries};
}

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
					const {high, low} = encoded(values, descending);
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
					const {high, highVaries} = encoded(values, descending);
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

	test('takes the range its caller found, and then writes one high chunk for offsets below 2^32', () => {
		const values = Float64Array.from([
			1_700_000_000_000,
			Number.NaN,
			1_700_000_004_000,
			1_700_000_000_001,
		]);
		const n = values.length;
		const range = numberRange(values, n);
		assert.deepEqual(range, {min: 1_700_000_000_000, max: 1_700_000_004_000, integers: true});
		for (const descending of [false, true]) {
			const high = new Uint32Array(n).fill(7);
			const low = new Uint32Array(n);
			assert.equal(encodeNumbers(values, n, high, low, descending, range), false);
			const flip = descending ? 0xffffffff : 0;
			assert.deepEqual([...high], [flip, flip, flip, flip]);
			assert.deepEqual(
				[low[0], low[2], low[3]].map((chunk) => (chunk ^ flip) >>> 0),
				[0, 4000, 1],
			);
		}
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
