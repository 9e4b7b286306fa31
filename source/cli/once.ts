/**
 * `--once`: the table printed once, as text, JSON or CSV. Without a sort or group-by, each flow
 * is printed as the decoder hands it over, in the kernel's order like `conntrack -L`, and
 * nothing is kept: memory does not grow with the table. A sort keeps only compact records and
 * their keys (once-sorted.ts), a group-by only its groups (once-groups.ts). No React, no
 * FlowTable.
 */
import {flowJsonBound, writeFlowJson} from '../flow/json-bytes.js';
import {flowJsonText, flowToJson} from '../flow/json.js';
import type {FlowSource} from '../flow/source.js';
import type {Flow} from '../flow/types.js';
import type {Filter} from '../model/filter.js';
import type {GroupBy} from '../model/group.js';
import type {SortChoice} from '../model/sort-choice.js';
import type {SortMark} from '../view/row-format.js';
import {flowCsvBound, writeFlowCsv} from './csv-bytes.js';
import {csvHeader, csvRow} from './csv.js';
import {ChunkWriter, ClosedOutput} from './stdout-writer.js';

/** Output formats of `--once`. */
export type OnceFormat = 'text' | 'json' | 'csv';

/** What `--once` needs from the flags. */
export interface OnceOptions {
	readonly filter?: Filter;
	/**
	 * A flow sort column; with `group`, a group sort column sorts the groups. Undefined (no
	 * `--sort`, `--reverse` or `--group-by`): the kernel's order, streamed.
	 */
	readonly sort: SortChoice | undefined;
	readonly reverse: boolean;
	readonly group?: GroupBy;
	readonly format: OnceFormat;
	readonly family?: 'ipv4' | 'ipv6';
	/** Width of the text table. */
	readonly width: number;
	readonly color: boolean;
}

/**
 * Whether a flow read at `now` is printed: its family, then the filter, matched as the event
 * pane matches a flow (TTL and age from `now`, no rate). The filter's module is loaded only
 * when there is a filter (the CLI has loaded it then anyway).
 */
export async function onceKeeps(
	options: OnceOptions,
): Promise<(flow: Flow, now: number) => boolean> {
	const {family, filter} = options;
	if (!filter) return (flow) => !family || flow.family === family;
	const {eventSubject} = await import('../model/filter.js');
	return (flow, now) =>
		(!family || flow.family === family) &&
		filter.test(eventSubject({type: 'new', flow, time: now}), now);
}

/** Prints flows as they come, in one of the three formats. */
export interface FlowPrinter {
	add(flow: Flow, now: number): void;
	end(): void;
}

/**
 * A printer of `format` into `out`; `sort` only marks the text's title line. The text printer
 * (once-text.ts) and the view it draws with load only for text.
 */
export async function flowPrinter(
	out: ChunkWriter,
	format: OnceFormat,
	width: number,
	sort?: SortMark,
): Promise<FlowPrinter> {
	if (format === 'json') {
		let first = true;
		return {
			add(flow) {
				// One flow a line: `[` before the first, `,` and a newline between, `]` after the last.
				let at = out.reserve(flowJsonBound(flow) + 2);
				const bytes = out.bytes();
				if (first) bytes[at++] = 91;
				else {
					bytes[at] = 44;
					bytes[at + 1] = 10;
					at += 2;
				}

				first = false;
				const end = writeFlowJson(bytes, at, flow);
				if (end === -1) {
					out.commit(at);
					out.add(flowJsonText(flow));
				} else out.commit(end);
			},
			end() {
				out.add(first ? '[]\n' : ']\n');
			},
		};
	}

	if (format === 'csv') {
		out.add(csvHeader() + '\n');
		return {
			add(flow) {
				const at = out.reserve(flowCsvBound(flow));
				const end = writeFlowCsv(out.bytes(), at, flow);
				if (end === -1) out.add(csvRow(flowToJson(flow)) + '\n');
				else out.commit(end);
			},
			end() {},
		};
	}

	const {textPrinter} = await import('./once-text.js');
	// Older Node cannot load string-width in the middle of a row (view/text.ts).
	await (await import('../view/text.js')).textWidthReady();
	return textPrinter(out, width, sort);
}

/**
 * Prints the table once, filtered (and sorted or grouped when asked) like the TUI, then
 * resolves with the exit code. A closed stdout (`| head`) exits 0 at once, quietly.
 */
export async function runOnce(
	client: Pick<FlowSource, 'dump'>,
	options: OnceOptions,
	out = new ChunkWriter(),
): Promise<number> {
	try {
		if (options.group) {
			const {printGroups} = await import('./once-groups.js');
			await printGroups(client, options, options.group, out);
		} else if (options.sort !== undefined) {
			const {printSorted} = await import('./once-sorted.js');
			await printSorted(client, options, out);
		} else {
			const keeps = await onceKeeps(options);
			const printer = await flowPrinter(out, options.format, options.width);
			const now = Date.now();
			await client.dump((flow) => {
				if (!keeps(flow, now)) return;
				try {
					printer.add(flow, now);
				} catch (error) {
					closedOrThrow(error);
				}
			});
			printer.end();
		}

		out.flush();
	} catch (error) {
		closedOrThrow(error);
	}

	return 0;
}

/** A reader that went away ends us quietly, even from inside the dump's callback. */
export function closedOrThrow(error: unknown): void {
	if (error instanceof ClosedOutput) process.exit(0);
	throw error;
}
