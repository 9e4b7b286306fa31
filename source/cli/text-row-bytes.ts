/**
 * `--once` text rows written as bytes: the same bytes as `formatFlowRow(onceRow(flow, now),
 * columns, width).trimEnd()` (view/row-format.ts), without its strings. The view stays the
 * one place that says what a cell shows: each cell that repeats across rows (protocol, state,
 * TTL, counters...) is drawn by the view once per distinct input and kept as padded bytes;
 * only the endpoints, different in every row, are written here, and only for IPv4, whose text
 * always fits its column. Anything else (IPv6, names, a cell that is not plain ASCII, a layout
 * wider than the line) goes to the view, cell by cell or the whole row.
 */
import {writeAddress, writeDecimal} from '../flow/address-text.js';
import {natKindOf} from '../flow/nat.js';
import {hasPorts} from '../flow/protocols.js';
import {isOffloaded} from '../flow/status.js';
import type {Address, Flow} from '../flow/types.js';
import type {Column} from '../view/column-layout.js';
import {natLetters, natTarget} from '../view/flow-cells.js';
import {formatFlowRow} from '../view/row-format.js';
import {onceRow} from './once-row.js';

/** What a repeated cell depends on in a `--once` row (no rates, tags or closed rows there). */
type CellKey = string | number | boolean | undefined;

/**
 * The input each column's cell is a function of, for rows made by `onceRow`; undefined for
 * the endpoint columns, which are written per row.
 */
function cellKey(column: Column, flow: Flow, now: number): CellKey {
	switch (column.id) {
		case 'src':
		case 'dst':
		case 'nat':
			return undefined;
		case 'tag':
			return isOffloaded(flow);
		case 'proto':
			return flow.proto;
		case 'natKind':
			return natKindOf(flow) ?? '';
		case 'state':
			// A state name when there is one, else the status bits ('' when unknown too).
			return flow.state || (flow.status ?? '');
		case 'ttl':
			return flow.timeout ?? Number.POSITIVE_INFINITY;
		case 'bytes': {
			const c = flow.counters;
			return c ? c.original.bytes + c.reply.bytes : '';
		}

		case 'packets': {
			const c = flow.counters;
			return c ? c.original.packets + c.reply.packets : '';
		}

		case 'rate':
			return flow.counters !== undefined;
		case 'age':
			// formatTtl counts a started second as whole.
			return Math.ceil(onceRow(flow, now).age);
		case 'ctmark':
			return flow.mark ?? 0;
		case 'zone':
			return flow.zone;
		default:
			return 0;
	}
}

const printableAscii = /^[\u0020-\u007e]*$/;

/** Cells kept per column: past this many distinct inputs, the view draws each one. */
const keptCells = 4096;

/** Writes rows of `columns` for `width` as bytes; see the file's comment. */
export class TextRowWriter {
	/** Bytes `write` may need: the columns, their separators and the newline. */
	readonly bound: number;
	private readonly fits: boolean;
	private readonly kept: Array<Map<CellKey, Uint8Array | null>>;

	constructor(
		private readonly columns: readonly Column[],
		width: number,
	) {
		let used = Math.max(0, columns.length - 1);
		for (const column of columns) used += Math.max(0, column.width);
		// A layout wider than the line is cut as a whole by the view.
		this.fits = used <= width && columns.every((column) => column.width >= 0);
		this.bound = used + 1;
		this.kept = columns.map(() => new Map<CellKey, Uint8Array | null>());
	}

	/**
	 * Writes the row of `flow` read at `now` and a newline at `at`; returns the offset after
	 * them, or -1 having written nothing that counts when the view must draw this row.
	 */
	write(out: Uint8Array, at: number, flow: Flow, now: number): number {
		if (!this.fits) return -1;
		const start = at;
		const {columns} = this;
		const ports = hasPorts(flow.protonum);
		for (let i = 0; i < columns.length; i++) {
			const column = columns[i];
			if (i > 0) out[at++] = 32;
			const cellEnd = at + column.width;
			let end = -1;
			if (column.id === 'src' || column.id === 'dst') {
				const o = flow.original;
				end =
					column.id === 'src'
						? writeEndpoint(out, at, o.src, o.sport, ports, cellEnd)
						: writeEndpoint(out, at, o.dst, o.dport, ports, cellEnd);
			} else if (column.id === 'nat') {
				end = writeNat(out, at, flow, ports, cellEnd);
			} else {
				const cell = this.cell(i, flow, now);
				if (cell !== null) {
					out.set(cell, at);
					end = cellEnd;
				}
			}

			if (end === -1) end = writeViewCell(out, at, column, flow, now);
			if (end === -1) return -1;
			while (end < cellEnd) out[end++] = 32;
			at = cellEnd;
		}

		// The view pads the line to the screen's width; --once trims what ends it.
		while (at > start && out[at - 1] === 32) at--;
		out[at] = 10;
		return at + 1;
	}

	/** Column `i`'s padded cell for `flow`, drawn by the view once per input; null if odd. */
	private cell(i: number, flow: Flow, now: number): Uint8Array | null {
		const column = this.columns[i];
		const key = cellKey(column, flow, now);
		const kept = this.kept[i];
		let cell = kept.get(key);
		if (cell === undefined) {
			const text = formatFlowRow(onceRow(flow, now), [column], column.width);
			cell =
				printableAscii.test(text) && text.length === column.width
					? Buffer.from(text, 'latin1')
					: null;
			if (kept.size < keptCells) kept.set(key, cell);
		}

		return cell;
	}
}

/**
 * An IPv4 endpoint (`10.0.0.1:443`, or the bare address without ports) at `at`, as the view's
 * `endpointCell` writes it when it fits; -1 for IPv6 or when it would not end by `limit`.
 */
function writeEndpoint(
	out: Uint8Array,
	at: number,
	address: Address,
	port: number,
	ports: boolean,
	limit: number,
): number {
	if (typeof address !== 'number' || at + 21 > limit) return -1;
	at = writeAddress(out, at, address);
	if (!ports) return at;
	out[at] = 58;
	return writeDecimal(out, at + 1, port);
}

/** The NAT cell: empty without NAT, `S 10.0.0.1:443` for an IPv4 target, else -1. */
function writeNat(out: Uint8Array, at: number, flow: Flow, ports: boolean, limit: number): number {
	const target = natTarget(flow);
	if (target === undefined) return at;
	const letter = natLetters[target.kind];
	if (letter.length !== 1 || letter.charCodeAt(0) > 0x7e) return -1;
	out[at] = letter.charCodeAt(0);
	out[at + 1] = 32;
	return writeEndpoint(out, at + 2, target.address, target.port, ports, limit);
}

/** The view's cell for `column` (unpadded end returned), or -1 when it is not plain ASCII. */
function writeViewCell(out: Uint8Array, at: number, column: Column, flow: Flow, now: number) {
	const text = formatFlowRow(onceRow(flow, now), [column], column.width);
	if (!printableAscii.test(text) || text.length !== column.width) return -1;
	for (let i = 0; i < text.length; i++) out[at + i] = text.charCodeAt(i);
	return at + text.length;
}
