/**
 * One-line text forms of flows and events, in the shape `conntrack -L` and `conntrack -E`
 * print, so that people (and their grep habits) read them at once.
 */
import {formatAddress} from '../flow/address-text.js';
import {eventTags} from '../flow/events.js';
import {hasPorts, isIcmp} from '../flow/protocols.js';
import {IPS_ASSURED, IPS_OFFLOAD, isUnreplied} from '../flow/status.js';
import type {Flow, FlowEvent, Tuple} from '../flow/types.js';

function tupleText(flow: Flow, tuple: Tuple): string {
	const parts = [`src=${formatAddress(tuple.src)}`, `dst=${formatAddress(tuple.dst)}`];
	if (isIcmp(flow.protonum)) {
		parts.push(`type=${tuple.icmpType}`, `code=${tuple.icmpCode}`, `id=${tuple.icmpId}`);
	} else if (hasPorts(flow.protonum)) {
		parts.push(`sport=${tuple.sport}`, `dport=${tuple.dport}`);
	}

	return parts.join(' ');
}

/** A flow as `conntrack -L` prints it (without the family column). */
export function flowLine(flow: Flow): string {
	const parts: string[] = [flow.proto.padEnd(8), String(flow.protonum).padEnd(2)];
	if (flow.timeout !== undefined) parts.push(String(flow.timeout));
	if (flow.state) parts.push(flow.state);
	parts.push(tupleText(flow, flow.original));
	const counters = flow.counters;
	if (counters) parts.push(`packets=${counters.original.packets} bytes=${counters.original.bytes}`);
	const status = flow.status ?? 0;
	if (isUnreplied(flow)) parts.push('[UNREPLIED]');
	parts.push(tupleText(flow, flow.reply));
	if (counters) parts.push(`packets=${counters.reply.packets} bytes=${counters.reply.bytes}`);
	if (status & IPS_OFFLOAD) parts.push('[OFFLOAD]');
	if (status & IPS_ASSURED) parts.push('[ASSURED]');
	if (flow.mark !== undefined) parts.push(`mark=${flow.mark}`);
	if (flow.zone) parts.push(`zone=${flow.zone}`);
	if (flow.use !== undefined) parts.push(`use=${flow.use}`);
	parts.push(`id=${flow.id}`);
	return parts.join(' ');
}

/** An event as `conntrack -E -o timestamp` prints it: time, tag, flow. */
export function eventLine(event: FlowEvent): string {
	const time = new Date(event.time).toISOString();
	return `[${time}] ${eventTags[event.type].padStart(9)} ${flowLine(event.flow)}`;
}
