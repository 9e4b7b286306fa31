/**
 * The detail view of one flow as label/value lines, pure. NAT is spelled out in words from
 * both tuples: conntrack's raw tuples say the same, but people read them backwards.
 */
import {formatAddress} from '../flow/address-text.js';
import {natKindOf} from '../flow/nat.js';
import {hasPorts, isIcmp} from '../flow/protocols.js';
import {IPS_SEEN_REPLY, isOffloaded, statusFlags} from '../flow/status.js';
import type {Flow, Tuple} from '../flow/types.js';
import type {RateSample} from '../model/history.js';
import type {FlowRow} from '../model/table.js';
import {endpointText, stateLabel, type NameResolver} from '../view/flow-cells.js';
import {formatBytes, formatCount, formatRate, formatTtl} from '../view/format.js';
import {bucketed, sparkline} from './sparkline.js';

function endpoint(flow: Flow, address: Tuple['src'], port: number, resolve?: NameResolver): string {
	return endpointText(address, port, hasPorts(flow.protonum), resolve);
}

/**
 * Who talks to whom, in words, then each side's view. Without NAT: one line. With SNAT:
 * "10.0.0.5:5555 talks to 8.8.8.8:443; the server sees it as 203.0.113.1:61000 (SNAT)".
 * With DNAT: where the traffic really goes and who the real server thinks it talks to.
 */
export function natExplanation(flow: Flow, resolve?: NameResolver): string[] {
	const o = flow.original;
	const r = flow.reply;
	const client = endpoint(flow, o.src, o.sport, resolve);
	const server = endpoint(flow, o.dst, o.dport, resolve);
	const kind = natKindOf(flow);
	if (!kind) return [`${client} talks to ${server} directly (no NAT)`];
	const seenAs = endpoint(flow, r.dst, r.dport, resolve);
	const realServer = endpoint(flow, r.src, r.sport, resolve);
	const first =
		kind === 'snat'
			? `${client} talks to ${server}; the server sees it as ${seenAs} (SNAT)`
			: `${client} talks to ${server}; DNAT sends it on to ${realServer}, which sees the client as ${seenAs}${kind === 'both' ? ' (SNAT too)' : ''}`;
	return [
		first,
		`the client's side: ${client} ⇄ ${server}`,
		`the server's side: ${seenAs} ⇄ ${realServer}`,
	];
}

function tupleText(flow: Flow, tuple: Tuple): string {
	const base = `src=${formatAddress(tuple.src)} dst=${formatAddress(tuple.dst)}`;
	if (isIcmp(flow.protonum)) {
		return `${base} type=${tuple.icmpType} code=${tuple.icmpCode} id=${tuple.icmpId}`;
	}

	if (!hasPorts(flow.protonum)) return base;
	const zone = tuple.zone === undefined ? '' : ` zone=${tuple.zone}`;
	return `${base} sport=${tuple.sport} dport=${tuple.dport}${zone}`;
}

function flagNames(flow: Flow): string {
	if (flow.status === undefined) return 'unknown';
	const names = statusFlags(flow.status);
	if ((flow.status & IPS_SEEN_REPLY) === 0) names.unshift('UNREPLIED');
	return `${names.join(' ') || '-'} (0x${flow.status.toString(16)})`;
}

function direction(
	flow: Flow,
	which: 'original' | 'reply',
	bytesRate: number,
	packetRate: number,
): string {
	const c = flow.counters?.[which];
	if (!c) return 'no counters (accounting off: sysctl -w net.netfilter.nf_conntrack_acct=1)';
	return `${formatCount(c.packets)} packets, ${formatBytes(c.bytes)} bytes; now ${formatRate(bytesRate)}, ${formatCount(packetRate)} pkt/s`;
}

/** One line of the detail view. */
export interface DetailLine {
	readonly label: string;
	readonly value: string;
}

/** A flow's byte rates over the last minute, and when that minute ends. */
export interface RateHistory {
	readonly samples: readonly RateSample[];
	readonly now: number;
}

/** Width of the detail view's sparklines: one block per two seconds of the last minute. */
const trendWidth = 30;

/** One direction's byte rate over the last minute as a sparkline and its peak. */
function rateTrend(history: RateHistory, side: 'original' | 'reply'): string {
	const points = history.samples.map((sample) => ({time: sample.time, value: sample[side]}));
	if (points.length === 0) return 'collecting (re-read every tick while shown)';
	let peak = 0;
	for (const point of points) peak = Math.max(peak, point.value);
	const line = sparkline(bucketed(points, history.now, trendWidth));
	return `${line} last minute, peak ${formatRate(peak)}`;
}

/**
 * Everything known about the flow in `row`: protocol and id, state and status flags, both
 * tuples, NAT in words, TTL, age, counters and rates per direction (with a note when the
 * flow is offloaded and its counters stop), mark, zone, helper, labels, use count and kernel
 * timestamps when present.
 */
export function detailLines(
	row: FlowRow,
	resolve?: NameResolver,
	history?: RateHistory,
): DetailLine[] {
	const {flow} = row;
	const lines: DetailLine[] = [];
	const add = (label: string, value: string) => lines.push({label, value});
	add('Flow', `${flow.proto} (${flow.protonum}) ${flow.family}, id ${flow.id}`);
	add('State', row.closed ? `${stateLabel(flow)}, closed` : stateLabel(flow));
	add('Flags', flagNames(flow));
	add('Original', tupleText(flow, flow.original));
	add('Reply', tupleText(flow, flow.reply));
	const [nat, ...sides] = natExplanation(flow, resolve);
	add('NAT', nat);
	for (const side of sides) add('', side);
	const timeout = flow.timeout === undefined ? '' : ` (timeout ${flow.timeout}s when read)`;
	add('TTL', row.closed ? 'closed' : `${formatTtl(row.ttl)} left${timeout}`);
	const started = flow.start === undefined ? '' : `, started ${new Date(flow.start).toISOString()}`;
	add('Age', `${formatTtl(row.age)}${started}`);
	if (flow.stop !== undefined) add('Stopped', new Date(flow.stop).toISOString());
	add('Sent', direction(flow, 'original', row.rates.originalBytes, row.rates.originalPackets));
	add('Replies', direction(flow, 'reply', row.rates.replyBytes, row.rates.replyPackets));
	if (history) {
		add('Sent/s', rateTrend(history, 'original'));
		add('Replies/s', rateTrend(history, 'reply'));
	}

	if (isOffloaded(flow)) add('Offload', 'the flow is offloaded: its counters stop while it is');
	add('Mark', flow.mark === undefined ? '-' : `0x${flow.mark.toString(16)} (${flow.mark})`);
	add('Zone', String(flow.zone));
	add('Helper', flow.helper ?? '-');
	add('Labels', flow.labels && flow.labels.length > 0 ? flow.labels.join(', ') : '-');
	if (flow.use !== undefined) add('Use', String(flow.use));
	return lines;
}
