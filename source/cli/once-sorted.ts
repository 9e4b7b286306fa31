/**
 * `--once --sort`: the whole table must be read before the first row, so it is kept small:
 * each flow as a compact record (`CompactFlows`, ~100 bytes) plus the uint32 chunks of the one
 * column it is sorted by and its id, sorted by radix (model/radix.ts). A flow becomes an object
 * again only to be printed. No FlowTable: its indexes, rates and text are for a live table.
 */
import {CompactFlows} from '../flow/compact-flows.js';
import {natAddressOf, natKindOf} from '../flow/nat.js';
import type {FlowSource} from '../flow/source.js';
import type {Flow} from '../flow/types.js';
import {stateRank} from '../model/names.js';
import {encodeNumbers, radixSort} from '../model/radix.js';
import {natRank, writeAddressChunks} from '../model/row-keys.js';
import {isSortColumn} from '../model/sort-choice.js';
import type {SortColumn} from '../model/sort-columns.js';
import {closedOrThrow, flowPrinter, onceKeeps, type OnceOptions} from './once.js';
import type {ChunkWriter} from './stdout-writer.js';

/** Uint32 columns that grow together, one value per flow each. */
export class GrowingChunks {
	chunks: Uint32Array[];
	values = new Float64Array(0);

	constructor(
		count: number,
		private readonly numeric: boolean,
		private capacity = 4096,
	) {
		this.chunks = Array.from({length: count}, () => new Uint32Array(capacity));
		if (numeric) this.values = new Float64Array(capacity);
	}

	/** Makes room for index `i`. */
	fit(i: number): void {
		if (i < this.capacity) return;
		this.capacity *= 2;
		this.chunks = this.chunks.map((chunk) => {
			const grown = new Uint32Array(this.capacity);
			grown.set(chunk);
			return grown;
		});
		if (this.numeric) {
			const grown = new Float64Array(this.capacity);
			grown.set(this.values);
			this.values = grown;
		}
	}
}

/** How many chunks a column's key takes (numeric columns: a value, encoded at the end). */
function chunkCount(column: SortColumn): number {
	switch (column) {
		case 'src':
		case 'dst':
		case 'sport':
		case 'dport':
		case 'nat':
			return 6;
		case 'ttl':
		case 'packets':
		case 'bytes':
		case 'rate':
		case 'age':
			return 2;
		default:
			return 1;
	}
}

/**
 * Writes flow `i`'s key for `column`, as the TUI's table orders it: an address sorts on by its
 * port and a port by its address; IPv4 before IPv6; states by rank; NAT none < snat < dnat <
 * both; TTL by expiry, age by start time (newest first), totals of both directions.
 */
function writeKey(column: SortColumn, keys: GrowingChunks, i: number, flow: Flow, now: number) {
	const {chunks, values} = keys;
	const o = flow.original;
	switch (column) {
		case 'src':
		case 'dst':
			writeAddressChunks(column === 'src' ? o.src : o.dst, chunks, 0, i);
			chunks[5][i] = column === 'src' ? o.sport : o.dport;
			return;
		case 'sport':
		case 'dport':
			chunks[0][i] = column === 'sport' ? o.sport : o.dport;
			writeAddressChunks(column === 'sport' ? o.src : o.dst, chunks, 1, i);
			return;
		case 'nat':
			chunks[0][i] = natRank(natKindOf(flow));
			writeAddressChunks(natAddressOf(flow), chunks, 1, i);
			return;
		case 'proto':
			chunks[0][i] = flow.protonum;
			return;
		case 'state':
			chunks[0][i] = stateRank(flow.state);
			return;
		case 'mark':
			chunks[0][i] = (flow.mark ?? 0) >>> 0;
			return;
		case 'zone':
			chunks[0][i] = flow.zone >>> 0;
			return;
		case 'ttl':
			values[i] = flow.timeout === undefined ? Number.POSITIVE_INFINITY : now + flow.timeout * 1000;
			return;
		case 'packets':
		case 'bytes': {
			const c = flow.counters;
			values[i] = !c
				? 0
				: column === 'bytes'
					? c.original.bytes + c.reply.bytes
					: c.original.packets + c.reply.packets;
			return;
		}

		case 'rate':
			// One read has no rate: every flow is 0, and the tie-breaker orders them.
			values[i] = 0;
			return;
		case 'age':
			values[i] = -(flow.start ?? now);
	}
}

/** The chunks that differ between the first `n` rows; constant ones cannot change an order. */
function varying(chunks: readonly Uint32Array[], n: number): Uint32Array[] {
	return chunks.filter((chunk) => {
		for (let i = 1; i < n; i++) if (chunk[i] !== chunk[0]) return true;
		return false;
	});
}

/**
 * Sorts each run of `order[0..n)` that ties on `keys` by `ids` (ascending, stable). After a
 * stable sort by the keys this is the order a sort by ids and then by the keys gives, but ids
 * are only sorted where keys tie, which most columns seldom do.
 */
function sortTiesById(
	order: Int32Array,
	n: number,
	keys: readonly Uint32Array[],
	ids: Uint32Array,
	scratch: Int32Array,
): void {
	let start = 0;
	while (start < n) {
		let end = start + 1;
		while (end < n && tied(keys, order[start], order[end])) end++;
		if (end - start > 32) radixSort(order.subarray(start, end), end - start, [ids], scratch);
		else if (end - start > 1) insertById(order, start, end, ids);
		start = end;
	}
}

function tied(keys: readonly Uint32Array[], a: number, b: number): boolean {
	for (const chunk of keys) if (chunk[a] !== chunk[b]) return false;
	return true;
}

/** Insertion sort of `order[start..end)` by `ids`: stable, and cheapest for a short run. */
function insertById(order: Int32Array, start: number, end: number, ids: Uint32Array): void {
	for (let i = start + 1; i < end; i++) {
		const index = order[i];
		const id = ids[index];
		let j = i - 1;
		while (j >= start && ids[order[j]] > id) {
			order[j + 1] = order[j];
			j--;
		}

		order[j + 1] = index;
	}
}

/**
 * Reads the table, keeps the matching flows compactly, sorts them by `options.sort` (ties by
 * conntrack id, then the kernel's order; reverse flips the column, not the ties) and prints
 * them in `options.format`.
 */
export async function printSorted(
	client: Pick<FlowSource, 'dump'>,
	options: OnceOptions,
	out: ChunkWriter,
): Promise<void> {
	// The CLI lets a group sort column through only with a group-by.
	const column: SortColumn =
		options.sort !== undefined && isSortColumn(options.sort) ? options.sort : 'src';
	const numeric = chunkCount(column) === 2;
	const keys = new GrowingChunks(chunkCount(column), numeric);
	const ids = new GrowingChunks(1, false);
	const flows = new CompactFlows();
	const keeps = await onceKeeps(options);
	// The printer's modules (text: the view) load while the kernel is still dumping, not after
	// it. Nothing is written before the first row but CSV's header, into the buffer.
	const printing = flowPrinter(out, options.format, options.width, {
		column,
		reverse: options.reverse,
	});
	// Awaited after the dump; if the dump fails first, its error is the one that counts.
	printing.catch(() => undefined);
	const now = Date.now();
	await client.dump((flow) => {
		if (!keeps(flow, now)) return;
		const i = flows.add(flow);
		keys.fit(i);
		ids.fit(i);
		writeKey(column, keys, i, flow, now);
		ids.chunks[0][i] = flow.id >>> 0;
	});

	const n = flows.length;
	const order = new Int32Array(n);
	for (let i = 0; i < n; i++) order[i] = i;
	const scratch = new Int32Array(n);
	let flip = options.reverse ? 0xffffffff : 0;
	if (numeric) {
		encodeNumbers(keys.values, n, keys.chunks[0], keys.chunks[1], options.reverse);
		flip = 0;
	}

	const sortKeys = varying(keys.chunks, n);
	radixSort(order, n, sortKeys, scratch, flip);
	sortTiesById(order, n, sortKeys, ids.chunks[0], scratch);
	const printer = await printing;
	try {
		for (let i = 0; i < n; i++) printer.add(flows.get(order[i]), now);
		printer.end();
	} catch (error) {
		closedOrThrow(error);
	}
}
