/**
 * `--once --csv`: one header row, then one row per flow, RFC 4180 quoting.
 */
import type {FlowJson} from '../flow/json.js';

/** The columns, in order; the README documents them. */
export const csvColumns = [
	'id',
	'family',
	'proto',
	'state',
	'timeout',
	'src',
	'dst',
	'sport',
	'dport',
	'reply_src',
	'reply_dst',
	'reply_sport',
	'reply_dport',
	'nat',
	'mark',
	'zone',
	'flags',
	'orig_packets',
	'orig_bytes',
	'reply_packets',
	'reply_bytes',
	'start',
] as const;

function quote(value: string | number | null | undefined): string {
	if (value === null || value === undefined) return '';
	const text = String(value);
	return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The header row. */
export function csvHeader(): string {
	return csvColumns.join(',');
}

/** One flow as a CSV row; ICMP flows put type/code in the port columns' place as empty. */
export function csvRow(flow: FlowJson): string {
	const values: Array<string | number | null | undefined> = [
		flow.id,
		flow.family,
		flow.proto,
		flow.state,
		flow.timeout,
		flow.original.src,
		flow.original.dst,
		flow.original.sport,
		flow.original.dport,
		flow.reply.src,
		flow.reply.dst,
		flow.reply.sport,
		flow.reply.dport,
		flow.nat,
		flow.mark,
		flow.zone,
		flow.flags.join(' '),
		flow.counters?.original.packets,
		flow.counters?.original.bytes,
		flow.counters?.reply.packets,
		flow.counters?.reply.bytes,
		flow.start,
	];
	return values.map(quote).join(',');
}
