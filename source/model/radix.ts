/**
 * Sorting index arrays by numeric keys without a comparator: a comparator sort of 100k rows
 * takes ~40 ms (twice that on strings), a radix sort of a uint32 key ~2 ms
 * (docs/facts.md#sorting, test/bench/sort.ts). Keys are
 * sequences of uint32 "chunks", most significant first; any number maps to two chunks.
 */

// Up to three digits per 32-bit chunk, each at most 16 bits (65,536 buckets).
const counts = new Uint32Array(3 * 65_536);
// Keys travel with their indices, so every pass reads sequentially; grown on demand.
let keysA = new Uint32Array(0);
let keysB = new Uint32Array(0);

/**
 * Sorts `order[0..n)` (indices into the chunk arrays) by the key `chunks[0], chunks[1], ...`
 * ascending, in place. Stable: indices with equal keys keep their relative order, which is
 * how the table's fixed tie-breaker (the order `order` arrives in) survives. `scratch` must
 * hold at least `n` items. Keys are read XOR `flip` (0xffffffff sorts descending without
 * copying them). Only the bits that differ between keys are sorted on, in as few passes as
 * fit: a chunk holding one value is skipped, a port (16 bits) takes one pass.
 */
export function radixSort(
	order: Int32Array,
	n: number,
	chunks: readonly Uint32Array[],
	scratch: Int32Array,
	flip = 0,
): void {
	if (n < 2) return;
	if (keysA.length < n) {
		keysA = new Uint32Array(n);
		keysB = new Uint32Array(n);
	}

	// Wide digits mean fewer passes (a 28-bit ttl range: two instead of three, ~33 -> ~25 ms
	// at 1M rows); small inputs would spend more on clearing and summing their buckets.
	const maxBits = n < 65_536 ? 11 : 16;
	let source = order;
	let target = scratch;
	let sourceKeys = keysA;
	let targetKeys = keysB;
	for (let c = chunks.length - 1; c >= 0; c--) {
		const chunk = chunks[c];
		const first = (chunk[source[0]] ^ flip) >>> 0;
		let differ = 0;
		for (let i = 0; i < n; i++) {
			const k = (chunk[source[i]] ^ flip) >>> 0;
			sourceKeys[i] = k;
			differ |= k ^ first;
		}

		if (differ === 0) continue;
		// Bits below the lowest that differs and above the highest are the same in every key.
		const low = 31 - Math.clz32(differ & -differ);
		const width = 32 - Math.clz32(differ) - low;
		const passes = Math.ceil(width / maxBits);
		const bits = Math.ceil(width / passes);
		const mask = (1 << bits) - 1;
		const size = mask + 1;
		counts.fill(0, 0, passes * size);
		for (let i = 0; i < n; i++) {
			const k = sourceKeys[i] >>> low;
			for (let p = 0; p < passes; p++) counts[p * size + ((k >>> (p * bits)) & mask)]++;
		}

		for (let p = 0; p < passes; p++) {
			const base = p * size;
			const shift = low + p * bits;
			let sum = 0;
			for (let b = base; b < base + size; b++) {
				const count = counts[b];
				counts[b] = sum;
				sum += count;
			}

			for (let i = 0; i < n; i++) {
				const k = sourceKeys[i];
				const at = counts[base + ((k >>> shift) & mask)]++;
				target[at] = source[i];
				targetKeys[at] = k;
			}

			const swap = source;
			source = target;
			target = swap;
			const swapKeys = sourceKeys;
			sourceKeys = targetKeys;
			targetKeys = swapKeys;
		}
	}

	if (source !== order) order.set(source.subarray(0, n));
}

/**
 * `radixSort` by `head` chunks, then each run of indices equal on `head` by `tail` chunks:
 * the same order as sorting by `[...head, ...tail]`, but the long tail (an IPv6 address's
 * low words) is only sorted where the head ties, so an IPv4-heavy table pays for it little.
 */
export function radixSortRefined(
	order: Int32Array,
	n: number,
	head: readonly Uint32Array[],
	tail: readonly Uint32Array[],
	scratch: Int32Array,
	flip = 0,
): void {
	radixSort(order, n, head, scratch, flip);
	if (tail.length === 0) return;
	for (let start = 0; start < n;) {
		let end = start + 1;
		while (end < n && equalOn(head, order[start], order[end])) end++;
		const length = end - start;
		if (length > 24) radixSort(order.subarray(start, end), length, tail, scratch, flip);
		else if (length > 1) insertionSort(order, start, end, tail, flip);
		start = end;
	}
}

function equalOn(chunks: readonly Uint32Array[], a: number, b: number): boolean {
	for (const chunk of chunks) if (chunk[a] !== chunk[b]) return false;
	return true;
}

function compareOn(chunks: readonly Uint32Array[], a: number, b: number, flip: number): number {
	for (const chunk of chunks) {
		const x = (chunk[a] ^ flip) >>> 0;
		const y = (chunk[b] ^ flip) >>> 0;
		if (x !== y) return x < y ? -1 : 1;
	}

	return 0;
}

/** Stable for short runs, where a radix pass's fixed cost would dominate. */
function insertionSort(
	order: Int32Array,
	start: number,
	end: number,
	chunks: readonly Uint32Array[],
	flip: number,
): void {
	for (let i = start + 1; i < end; i++) {
		const index = order[i];
		let j = i - 1;
		while (j >= start && compareOn(chunks, order[j], index, flip) > 0) {
			order[j + 1] = order[j];
			j--;
		}

		order[j + 1] = index;
	}
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
// Which half of a float64 holds the sign and exponent depends on the platform's byte order.
const highWord = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const lowWord = 1 - highWord;

/** The least and greatest of some numbers (NaN left out), and whether all are safe integers. */
export interface NumberRange {
	readonly min: number;
	readonly max: number;
	readonly integers: boolean;
}

/** The range of `values[0..n)`, NaN left out; an empty or all-NaN range has min > max. */
export function numberRange(values: Float64Array, n: number): NumberRange {
	let min = Number.POSITIVE_INFINITY;
	let max = Number.NEGATIVE_INFINITY;
	let integers = true;
	for (let i = 0; i < n; i++) {
		const value = values[i];
		if (value !== value) continue;
		if (value < min) min = value;
		if (value > max) max = value;
		if (integers && !Number.isSafeInteger(value)) integers = false;
	}

	return {min, max, integers};
}

/**
 * Writes, for each index `i < n`, two chunks `high[i], low[i]` whose unsigned order is the
 * numeric order of `values[i]` (ascending, or descending when `descending`). NaN marks an
 * unused index: it gets some key and does not count. When every value is an integer, the
 * chunks hold `value - min` split at 2^32 (so the high chunk is usually constant);
 * otherwise the IEEE-754 bits with the sign folded so negative numbers come first. -0
 * equals 0. `range` is `numberRange(values, n)`, passed in by a caller that found it while
 * filling `values`. Returns false when `high` is the same for every index, so sorting can
 * leave it out without looking (true when it may differ).
 */
export function encodeNumbers(
	values: Float64Array,
	n: number,
	high: Uint32Array,
	low: Uint32Array,
	descending: boolean,
	range: NumberRange = numberRange(values, n),
): boolean {
	const {min, max, integers} = range;
	const flip = descending ? 0xffffffff : 0;
	if (integers && max - min < 4_294_967_296) {
		// Every offset (and an unused index's 0) below 2^32: one high chunk for all.
		high.fill(flip, 0, n);
		for (let i = 0; i < n; i++) {
			const value = values[i];
			low[i] = (((value === value ? value - min : 0) >>> 0) ^ flip) >>> 0;
		}

		return false;
	}

	if (integers) {
		for (let i = 0; i < n; i++) {
			const value = values[i];
			const offset = value === value ? value - min : 0;
			high[i] = (Math.floor(offset / 4_294_967_296) ^ flip) >>> 0;
			low[i] = ((offset >>> 0) ^ flip) >>> 0;
		}

		return true;
	}

	for (let i = 0; i < n; i++) {
		const value = values[i];
		f64[0] = value === value ? value + 0 : 0;
		let hi = u32[highWord];
		let lo = u32[lowWord];
		if (hi >>> 31) {
			hi = ~hi;
			lo = ~lo;
		} else {
			hi |= 0x80000000;
		}

		high[i] = (hi ^ flip) >>> 0;
		low[i] = (lo ^ flip) >>> 0;
	}

	return true;
}
