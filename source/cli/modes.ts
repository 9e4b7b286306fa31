/**
 * The non-interactive modes: `--once` (text, JSON, CSV) and `--events` (text or NDJSON).
 * Same kernel client and model as the TUI; no React is loaded here.
 */
import {eventToJson, flowToJson} from '../flow/json.js';
import type {EventSource, FlowSource} from '../flow/source.js';
import type {Flow} from '../flow/types.js';
import {EventStream} from '../kernel/events.js';
import {eventSubject, type Filter} from '../model/filter.js';
import type {GroupBy, GroupRow, GroupSortColumn} from '../model/group.js';
import {isGroupSortColumn, isSortColumn, type SortChoice} from '../model/sort-choice.js';
import {FlowTable} from '../model/table.js';
import {chooseColumns, chooseGroupColumns, widestEndpoint} from '../view/column-layout.js';
import {formatFlowRow, formatGroupRow, formatHeaderLine} from '../view/row-format.js';
import {csvHeader, csvRow} from './csv.js';
import {eventLine} from './flow-text.js';

/** Output formats of `--once`. */
export type OnceFormat = 'text' | 'json' | 'csv';

/** What `--once` needs from the flags. */
export interface OnceOptions {
	readonly filter?: Filter;
	/** A flow sort column; with `group`, a group sort column sorts the groups. */
	readonly sort: SortChoice;
	readonly reverse: boolean;
	readonly group?: GroupBy;
	readonly format: OnceFormat;
	readonly family?: 'ipv4' | 'ipv6';
	/** Width of the text table. */
	readonly width: number;
	readonly color: boolean;
}

/** Writes and waits for the pipe to take it, so 100k rows do not pile up in memory. */
async function write(text: string): Promise<void> {
	if (!process.stdout.write(text))
		await new Promise((resolve) => process.stdout.once('drain', resolve));
}

/** Writes lines in chunks of ~64 KB. */
async function writeLines(lines: Iterable<string>): Promise<void> {
	let chunk = '';
	for (const line of lines) {
		chunk += line + '\n';
		if (chunk.length > 65_536) {
			await write(chunk);
			chunk = '';
		}
	}

	if (chunk) await write(chunk);
}

function groupJson(row: GroupRow, by: GroupBy): Record<string, unknown> {
	return {
		group: by,
		key: row.key,
		count: row.count,
		closed: row.closed,
		packets: row.packets,
		bytes: row.bytes,
	};
}

/**
 * Prints the table once, filtered and sorted like the TUI, then resolves with the exit code.
 * A group-by sorts groups by the given column when groups have it, else by count.
 */
export async function runOnce(
	client: Pick<FlowSource, 'dump'>,
	options: OnceOptions,
): Promise<number> {
	const flows: Flow[] = [];
	await client.dump((flow) => {
		if (!options.family || flow.family === options.family) flows.push(flow);
	});
	const now = Date.now();
	const table = new FlowTable();
	table.applySnapshot(flows, now);
	const rows = Math.max(1, flows.length);

	if (options.group) {
		const sort: GroupSortColumn = isGroupSortColumn(options.sort) ? options.sort : 'count';
		// Without an explicit sort, the biggest groups first: the question is "who has them all".
		const reverse = sort === 'count' ? !options.reverse : options.reverse;
		const page = table.query(
			{group: options.group, sort, reverse, filter: options.filter, rows},
			now,
		);
		if (page.kind !== 'groups') throw new Error('expected a grouped page');
		const by = options.group;
		if (options.format === 'json') {
			await write(
				JSON.stringify(
					page.rows.map((row) => groupJson(row, by)),
					null,
					1,
				) + '\n',
			);
		} else if (options.format === 'csv') {
			await writeLines([
				'group,key,count,closed,packets,bytes',
				...page.rows.map((r) => [by, r.key, r.count, r.closed, r.packets, r.bytes].join(',')),
			]);
		} else {
			const columns = chooseGroupColumns(options.width, by);
			await writeLines([
				formatHeaderLine(columns, options.width, {column: sort, reverse}).trimEnd(),
				...page.rows.map((row) => formatGroupRow(row, columns, options.width).trimEnd()),
			]);
		}

		return 0;
	}

	// The CLI lets a group sort column through only with a group-by.
	const sort = isSortColumn(options.sort) ? options.sort : 'src';
	const page = table.query({sort, reverse: options.reverse, filter: options.filter, rows}, now);
	if (page.kind !== 'flows') throw new Error('expected a flow page');
	if (options.format === 'json') {
		await writeLines(jsonArray(page.rows.map((row) => row.flow)));
	} else if (options.format === 'csv') {
		await writeLines([csvHeader(), ...page.rows.map((row) => csvRow(flowToJson(row.flow)))]);
	} else {
		const counters = page.rows.some((row) => row.flow.counters !== undefined);
		const columns = chooseColumns(options.width, {
			counters,
			tags: false,
			endpoints: widestEndpoint(page.rows),
		});
		await writeLines([
			formatHeaderLine(columns, options.width, {
				column: sort,
				reverse: options.reverse,
			}).trimEnd(),
			...page.rows.map((row) => formatFlowRow(row, columns, options.width).trimEnd()),
		]);
	}

	return 0;
}

/** A JSON array, one flow per line, streamed. */
function* jsonArray(flows: readonly Flow[]): Iterable<string> {
	if (flows.length === 0) {
		yield '[]';
		return;
	}

	for (let i = 0; i < flows.length; i++) {
		yield (
			(i === 0 ? '[' : '') +
			JSON.stringify(flowToJson(flows[i])) +
			(i === flows.length - 1 ? ']' : ',')
		);
	}
}

/** What `--events` reads: the kernel's EventStream, or the router's (--ssh). */
export type EventsStream = EventSource & {
	once(event: 'ready', listener: (receiveBuffer: number) => void): unknown;
};

/** What `--events` needs from the flags. */
export interface EventsOptions {
	readonly filter?: Filter;
	readonly json: boolean;
	readonly family?: 'ipv4' | 'ipv6';
}

/**
 * Streams events until SIGINT/SIGTERM or a closed stdout. Lost events are reported in the
 * stream itself (`{"resync": reason}` with --json, a `[LOST]` line otherwise), since a script
 * reading it must know its picture has a gap.
 */
export async function runEvents(
	options: EventsOptions,
	open: () => EventsStream = () => new EventStream(),
): Promise<number> {
	const stream = open();
	return new Promise<number>((resolve) => {
		const stop = (code: number) => {
			stream.stop();
			resolve(code);
		};

		stream.on('event', (event) => {
			if (options.family && event.flow.family !== options.family) return;
			if (options.filter && !options.filter.test(eventSubject(event), event.time)) return;
			process.stdout.write(
				(options.json ? JSON.stringify(eventToJson(event)) : eventLine(event)) + '\n',
			);
		});
		stream.on('resync', (reason) => {
			const time = new Date().toISOString();
			process.stdout.write(
				options.json
					? JSON.stringify({event: 'lost', time, reason}) + '\n'
					: `[${time}]    [LOST] ${reason}\n`,
			);
		});
		// Said on stderr even when it is not a terminal: stdout stays pure NDJSON, and a script
		// (or a test) learns when a change can no longer be missed. Only the first time: a
		// restarted event process reports its gap as a lost event instead.
		stream.once('ready', () => {
			const hint = process.stderr.isTTY ? ' (Ctrl-C to stop)' : '';
			process.stderr.write(`conntop: following conntrack events${hint}\n`);
		});
		stream.on('error', (error) => {
			process.stderr.write(`conntop: ${error.message}\n`);
			stop(error.exitCode);
		});
		// `on`, not `once`: a repeated Ctrl-C (see netns.ts) must not kill us mid-stop.
		process.on('SIGINT', () => stop(0));
		process.on('SIGTERM', () => stop(0));
	});
}
