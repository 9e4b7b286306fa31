/**
 * `--once --sort`: the whole table must be read before the first row, so it is kept small:
 * each flow as a compact record (`CompactFlows`, ~66 bytes) plus the uint32 chunks of the one
 * column it is sorted by that vary (key-columns.ts) and its id, sorted by radix
 * (model/radix.ts). A flow becomes an object
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
import {KeyColumns} from './key-columns.js';
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

/** Flows whose records are read ahead together before they are printed. */
const prefetchWindow = 256;

/** How many uint32 chunks a column's key takes; 0 for numeric columns (a value each). */
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
			return 0;
		default:
			return 1;
	}
}

/**
 * Writes `flow`'s key for a chunk `column` into `row` (one value each), as the TUI's table
 * orders it: an address sorts on by its port and a port by its address; IPv4 before IPv6;
 * states by rank; NAT none < snat < dnat < both.
 */
function writeChunkKey(column: SortColumn, row: readonly Uint32Array[], flow: Flow): void {
	const o = flow.original;
	switch (column) {
		case 'src':
		case 'dst':
			writeAddressChunks(column === 'src' ? o.src : o.dst, row, 0, 0);
			row[5][0] = column === 'src' ? o.sport : o.dport;
			return;
		case 'sport':
		case 'dport':
			row[0][0] = column === 'sport' ? o.sport : o.dport;
			writeAddressChunks(column === 'sport' ? o.src : o.dst, row, 1, 0);
			return;
		case 'nat':
			row[0][0] = natRank(natKindOf(flow));
			writeAddressChunks(natAddressOf(flow), row, 1, 0);
			return;
		case 'proto':
			row[0][0] = flow.protonum;
			return;
		case 'state':
			row[0][0] = stateRank(flow.state);
			return;
		case 'mark':
			row[0][0] = (flow.mark ?? 0) >>> 0;
			return;
		case 'zone':
			row[0][0] = flow.zone >>> 0;
	}
}

/**
 * `flow`'s key for a numeric `column`, as the TUI's table orders it: TTL by expiry, age by
 * start time (newest first), totals of both directions.
 */
function numericKey(column: SortColumn, flow: Flow, now: number): number {
	switch (column) {
		case 'ttl':
			return flow.timeout === undefined ? Number.POSITIVE_INFINITY : now + flow.timeout * 1000;
		case 'packets':
		case 'bytes': {
			const c = flow.counters;
			if (!c) return 0;
			return column === 'bytes'
				? c.original.bytes + c.reply.bytes
				: c.original.packets + c.reply.packets;
		}

		case 'age':
			return -(flow.start ?? now);
		default:
			// One read has no rate: every flow is 0, and the tie-breaker orders them.
			return 0;
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
	const numeric = chunkCount(column) === 0;
	const keys = new KeyColumns(chunkCount(column));
	const values = new GrowingChunks(0, numeric);
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
		ids.fit(i);
		ids.chunks[0][i] = flow.id >>> 0;
		if (numeric) {
			values.fit(i);
			values.values[i] = numericKey(column, flow, now);
		} else {
			writeChunkKey(column, keys.row, flow);
			keys.push(i);
		}
	});

	const n = flows.length;
	const order = new Int32Array(n);
	for (let i = 0; i < n; i++) order[i] = i;
	const scratch = new Int32Array(n);
	let sortKeys = keys.varying();
	let flip = options.reverse ? 0xffffffff : 0;
	if (numeric) {
		const high = new Uint32Array(n);
		const low = new Uint32Array(n);
		encodeNumbers(values.values, n, high, low, options.reverse);
		sortKeys = varying([high, low], n);
		flip = 0;
	}

	radixSort(order, n, sortKeys, scratch, flip);
	sortTiesById(order, n, sortKeys, ids.chunks[0], scratch);
	// Records in sorted order are scattered: each window's are read ahead of printing it, so
	// their cache misses overlap (scratch is free again: it holds the records' positions).
	const positions = new Uint32Array(scratch.buffer, scratch.byteOffset, n);
	for (let i = 0; i < n; i++) positions[i] = flows.positionOf(order[i]);
	const printer = await printing;
	try {
		for (let start = 0; start < n; start += prefetchWindow) {
			const end = Math.min(n, start + prefetchWindow);
			flows.prefetch(positions, start, end);
			for (let i = start; i < end; i++) printer.add(flows.at(positions[i]), now);
		}

		printer.end();
	} catch (error) {
		closedOrThrow(error);
	}
}
