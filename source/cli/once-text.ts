/**
 * `--once` as text: rows drawn by the view exactly as the TUI draws them, in columns fixed from
 * the first `textLookahead` flows. Loaded only for text (the view and string-width take a
 * sixth of the start-up).
 */
import {CompactFlows} from '../flow/compact-flows.js';
import type {Flow} from '../flow/types.js';
import {chooseColumns, widestEndpoint, type Column} from '../view/column-layout.js';
import {formatFlowRow, formatHeaderLine, type SortMark} from '../view/row-format.js';
import type {FlowPrinter} from './once.js';
import {onceRow} from './once-row.js';
import {TextRowWriter} from './text-row-bytes.js';
import type {ChunkWriter} from './stdout-writer.js';

/**
 * How many flows streamed text looks at before it fixes its columns. A table this small
 * prints exactly as if the whole table had been measured; past it, the columns are those
 * these flows asked for, and a later, wider IPv6 endpoint loses its middle (`fd00:…:1`).
 */
export const textLookahead = 10_000;

/** Whether every address of `flow` (the NAT target's too) is IPv4. */
function allIpv4(flow: Flow): boolean {
	const {original: o, reply: r} = flow;
	return (
		typeof o.src === 'number' &&
		typeof o.dst === 'number' &&
		typeof r.src === 'number' &&
		typeof r.dst === 'number'
	);
}

/** Prints flows as text rows into `out`, `width` columns wide, the title marked by `sort`. */
export function textPrinter(out: ChunkWriter, width: number, sort?: SortMark): FlowPrinter {
	// The flows the columns wait for are kept compactly (10k flow objects held ~20 MB), with
	// what the columns need of them measured as they come: as the TUI would choose, counters
	// when a row has them, address columns as wide as the widest endpoint.
	let waiting: CompactFlows | undefined = new CompactFlows();
	let counters = false;
	let endpoints = 0;
	let columns: Column[] = [];
	let rows: TextRowWriter | undefined;
	let waitedAt = 0;
	const print = (flow: Flow, now: number) => {
		const at = out.reserve(rows!.bound);
		const end = rows!.write(out.bytes(), at, flow, now);
		if (end === -1) out.add(formatFlowRow(onceRow(flow, now), columns, width).trimEnd() + '\n');
		else out.commit(end);
	};

	const start = () => {
		columns = chooseColumns(width, {counters, tags: false, endpoints});
		rows = new TextRowWriter(columns, width);
		out.add(formatHeaderLine(columns, width, sort).trimEnd() + '\n');
		for (let i = 0; i < (waiting?.length ?? 0); i++) print(waiting!.get(i), waitedAt);
		waiting = undefined;
	};

	return {
		add(flow, now) {
			if (waiting === undefined) {
				print(flow, now);
				return;
			}

			waitedAt = now;
			waiting.add(flow);
			counters ||= flow.counters !== undefined;
			// An IPv4 endpoint is never wider than the narrowest address column: only IPv6 needs
			// measuring.
			if (!allIpv4(flow)) endpoints = Math.max(endpoints, widestEndpoint([onceRow(flow, now)]));
			if (waiting.length >= textLookahead) start();
		},
		end() {
			if (waiting !== undefined) start();
		},
	};
}
