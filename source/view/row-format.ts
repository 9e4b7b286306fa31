/**
 * Rows as text, without Ink: the title line and each flow or group as one pre-formatted
 * string exactly as wide as the screen, in the columns column-layout.ts chose (one <Text> per
 * row measured 2-2.5x cheaper than a Box of cells: docs/facts.md#one-text-node-per-row). The
 * CLI's `--once` output prints the same strings.
 */
import {hasPorts} from '../flow/protocols.js';
import {isOffloaded} from '../flow/status.js';
import type {GroupRow} from '../model/group.js';
import type {SortChoice} from '../model/sort-choice.js';
import type {FlowRow} from '../model/table.js';
import type {Column, ColumnId} from './column-layout.js';
import {endpointCell, natLetters, natTarget, stateCell, type NameResolver} from './flow-cells.js';
import {formatBytes, formatCount, formatRate, formatTtl} from './format.js';
import {cellMarks, flowMarks} from './row-marks.js';
import {groupDigits, padCell, shortenMiddle} from './text.js';

/** Which column is sorted and which way, for the header arrow. */
export interface SortMark {
	/** A SortColumn for flow tables, a GroupSortColumn for grouped ones. */
	readonly column: SortChoice;
	readonly reverse: boolean;
}

function joinCells(columns: readonly Column[], cells: readonly string[], width: number): string {
	let line = '';
	// Each padded cell is exactly its column's width, so the line's width is known without
	// measuring it again (--once joins a million rows).
	let used = Math.max(0, columns.length - 1);
	for (let i = 0; i < columns.length; i++) {
		if (i > 0) line += ' ';
		line += padCell(cells[i], columns[i].width, columns[i].align);
		used += Math.max(0, columns[i].width);
	}

	return used < width ? line + ' '.repeat(width - used) : padCell(line, width);
}

/**
 * The title line of `columns`, exactly `width` columns wide; the sorted column's title gets
 * an arrow (`↑` ascending, `↓` descending, as k9s marks it), and says `:port` when the port
 * in an address column is what is sorted.
 */
export function formatHeaderLine(
	columns: readonly Column[],
	width: number,
	sort?: SortMark,
): string {
	const titles = columns.map((column) => {
		if (!sort || !column.sorts.includes(sort.column)) return column.title;
		const title = column.sortTitles?.[sort.column] ?? column.title;
		return title + (sort.reverse ? '↓' : '↑');
	});
	return joinCells(columns, titles, width);
}

/** How a flow row is drawn. */
export interface FlowRowOptions {
	/** Cached reverse DNS; names replace addresses when it knows them. */
	readonly resolveName?: NameResolver;
	/** The flow is tagged for deletion (`*` in the mark column). */
	readonly tagged?: boolean;
	/** This UI deleted the flow and the table has not caught up: shown like a closed one. */
	readonly removed?: boolean;
}

const protoShort: Readonly<Record<string, string>> = {icmpv6: 'icmp6', udplite: 'udpl'};

function markCell(row: FlowRow, options: FlowRowOptions): string {
	const gone = row.closed || options.removed === true;
	const second = gone
		? flowMarks.closed.text
		: row.isNew
			? flowMarks.new.text
			: isOffloaded(row.flow)
				? flowMarks.offloaded.text
				: ' ';
	return (options.tagged ? flowMarks.tagged.text : ' ') + second;
}

/** `formatTtl` in `width` columns: days lose their minutes and seconds (`4d23h`). */
function ttlCell(seconds: number, width: number): string {
	const full = formatTtl(seconds);
	if (full.length <= width) return full;
	const hours = Math.floor(seconds / 3600);
	return `${Math.floor(hours / 24)}d${String(hours % 24).padStart(2, '0')}h`;
}

function flowCell(id: ColumnId, row: FlowRow, width: number, options: FlowRowOptions): string {
	const {flow} = row;
	const o = flow.original;
	const ports = hasPorts(flow.protonum);
	switch (id) {
		case 'tag':
			return markCell(row, options);
		case 'proto':
			return protoShort[flow.proto] ?? flow.proto;
		case 'src':
			return endpointCell(o.src, o.sport, ports, width, options.resolveName);
		case 'dst':
			return endpointCell(o.dst, o.dport, ports, width, options.resolveName);
		case 'nat': {
			const target = natTarget(flow);
			if (!target) return '';
			const cell = endpointCell(target.address, target.port, ports, width - 2, options.resolveName);
			return `${natLetters[target.kind]} ${cell}`;
		}

		case 'natKind': {
			const target = natTarget(flow);
			return target ? natLetters[target.kind] : '';
		}

		case 'state':
			return stateCell(flow, width);
		case 'ttl':
			return row.closed ? 'closed' : options.removed ? 'deleted' : ttlCell(row.ttl, width);
		case 'bytes': {
			const c = flow.counters;
			return c ? formatBytes(c.original.bytes + c.reply.bytes) : cellMarks.noCounters.text;
		}

		case 'rate':
			return flow.counters ? formatRate(row.bytesPerSecond) : cellMarks.noCounters.text;
		case 'packets': {
			const c = flow.counters;
			return c ? formatCount(c.original.packets + c.reply.packets) : cellMarks.noCounters.text;
		}

		case 'age':
			return formatTtl(row.age);
		case 'ctmark':
			return flow.mark ? `0x${flow.mark.toString(16)}` : '';
		case 'zone':
			return flow.zone ? String(flow.zone) : '';
		default:
			return '';
	}
}

/**
 * One flow as a line exactly `width` columns wide (padded with spaces, so a highlighted row
 * spans the screen; trim it for plain output). Its marks come from `row-marks.ts`: the mark
 * column shows `*` for a tagged flow, then `+` new, `-` closed (or deleted, with `deleted`
 * for its TTL) or `o` offloaded; bytes, rate and packets are `-` without counters.
 */
export function formatFlowRow(
	row: FlowRow,
	columns: readonly Column[],
	width: number,
	options: FlowRowOptions = {},
): string {
	const cells = columns.map((column) => flowCell(column.id, row, column.width, options));
	return joinCells(columns, cells, width);
}

/**
 * One group as a line exactly `width` columns wide: its label (long addresses lose their
 * middle), flow count, bytes, rate and packets as the columns allow.
 */
export function formatGroupRow(row: GroupRow, columns: readonly Column[], width: number): string {
	const cells = columns.map((column) => {
		switch (column.id) {
			case 'key':
				return shortenMiddle(row.key, column.width);
			case 'count':
				return row.count < 10_000_000 ? groupDigits(row.count) : formatCount(row.count);
			case 'bytes':
				return formatBytes(row.bytes);
			case 'rate':
				return formatRate(row.bytesPerSecond);
			case 'packets':
				return formatCount(row.packets);
			default:
				return '';
		}
	});
	return joinCells(columns, cells, width);
}
