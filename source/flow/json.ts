/**
 * The stable JSON form of a flow, documented in the README, used by `--once --json`,
 * `--events --json` and the delete log.
 */
import {formatAddress} from './address-text.js';
import {hasPorts, isIcmp} from './protocols.js';
import {statusFlags} from './status.js';
import type {Flow, FlowEvent, NatKind, Tuple} from './types.js';

/** One tuple in JSON: ports for port protocols, type/code/id for ICMP. */
export interface TupleJson {
	src: string;
	dst: string;
	sport?: number;
	dport?: number;
	type?: number;
	code?: number;
	id?: number;
}

/** The documented flow object. */
export interface FlowJson {
	id: number;
	family: 'ipv4' | 'ipv6';
	proto: string;
	protonum: number;
	state: string | null;
	timeout: number | null;
	original: TupleJson;
	reply: TupleJson;
	flags: string[];
	nat: NatKind;
	mark: number;
	zone: number;
	use: number;
	counters: {
		original: {packets: number; bytes: number};
		reply: {packets: number; bytes: number};
	} | null;
	start: string | null;
	helper: string | null;
	labels: number[];
}

function tupleJson(tuple: Tuple, icmp: boolean, ports: boolean): TupleJson {
	const out: TupleJson = {src: formatAddress(tuple.src), dst: formatAddress(tuple.dst)};
	if (icmp) {
		out.type = tuple.icmpType;
		out.code = tuple.icmpCode;
		out.id = tuple.icmpId;
	} else if (ports) {
		out.sport = tuple.sport;
		out.dport = tuple.dport;
	}

	return out;
}

/**
 * A flow as the documented JSON object. Every key is always present: `timeout` is the seconds
 * left when read, null when the message had none (a destroy event never has one); `counters` is
 * null when accounting is off.
 */
export function flowToJson(flow: Flow): FlowJson {
	const icmp = isIcmp(flow.protonum);
	const ports = hasPorts(flow.protonum);
	return {
		id: flow.id,
		family: flow.family,
		proto: flow.proto,
		protonum: flow.protonum,
		state: flow.state ?? null,
		timeout: flow.timeout ?? null,
		original: tupleJson(flow.original, icmp, ports),
		reply: tupleJson(flow.reply, icmp, ports),
		flags: flow.status === undefined ? [] : statusFlags(flow.status),
		nat: flow.nat ?? null,
		mark: flow.mark ?? 0,
		zone: flow.zone,
		use: flow.use ?? 0,
		counters: flow.counters
			? {
					original: {packets: flow.counters.original.packets, bytes: flow.counters.original.bytes},
					reply: {packets: flow.counters.reply.packets, bytes: flow.counters.reply.bytes},
				}
			: null,
		start: flow.start === undefined ? null : new Date(flow.start).toISOString(),
		helper: flow.helper ?? null,
		labels: flow.labels ? [...flow.labels] : [],
	};
}

/** An event as the documented JSON object. */
export function eventToJson(event: FlowEvent): {event: string; time: string; flow: FlowJson} {
	return {
		event: event.type,
		time: new Date(event.time).toISOString(),
		flow: flowToJson(event.flow),
	};
}

/** A string as JSON: plain printable ASCII as is, anything else through JSON.stringify. */
function jsonString(text: string): string {
	return /^[\u0020-\u007e]*$/.test(text) && !/["\\]/.test(text)
		? `"${text}"`
		: JSON.stringify(text);
}

/** A number as JSON.stringify writes it (null for NaN and the infinities). */
function jsonNumber(value: number): string {
	return Number.isFinite(value) ? String(value) : 'null';
}

/** The status words of each status value seen, as JSON array items: a table has a handful. */
const flagsTexts = new Map<number, string>();

function flagsText(status: number): string {
	let text = flagsTexts.get(status);
	if (text === undefined) {
		text = statusFlags(status).map(jsonString).join(',');
		if (flagsTexts.size < 4096) flagsTexts.set(status, text);
	}

	return text;
}

function tupleText(tuple: Tuple, icmp: boolean, ports: boolean): string {
	const head = `{"src":"${formatAddress(tuple.src)}","dst":"${formatAddress(tuple.dst)}"`;
	if (icmp)
		return `${head},"type":${tuple.icmpType},"code":${tuple.icmpCode},"id":${tuple.icmpId}}`;
	if (ports) return `${head},"sport":${tuple.sport},"dport":${tuple.dport}}`;
	return head + '}';
}

/**
 * `JSON.stringify(flowToJson(flow))`, the same text byte for byte, written directly: `--once
 * --json` prints a million of these, and the object plus the generic stringify took ~25% of
 * its profile where this takes ~16% (docs/facts.md#start-up-and-printing-once).
 */
export function flowJsonText(flow: Flow): string {
	const icmp = isIcmp(flow.protonum);
	const ports = hasPorts(flow.protonum);
	const c = flow.counters;
	const counters = c
		? `{"original":{"packets":${jsonNumber(c.original.packets)},"bytes":${jsonNumber(c.original.bytes)}},"reply":{"packets":${jsonNumber(c.reply.packets)},"bytes":${jsonNumber(c.reply.bytes)}}}`
		: 'null';
	return (
		`{"id":${jsonNumber(flow.id)},"family":"${flow.family}","proto":${jsonString(flow.proto)},` +
		`"protonum":${jsonNumber(flow.protonum)},` +
		`"state":${flow.state === undefined || flow.state === null ? 'null' : jsonString(flow.state)},` +
		`"timeout":${flow.timeout === undefined ? 'null' : jsonNumber(flow.timeout)},` +
		`"original":${tupleText(flow.original, icmp, ports)},"reply":${tupleText(flow.reply, icmp, ports)},` +
		`"flags":[${flow.status === undefined ? '' : flagsText(flow.status)}],` +
		`"nat":${flow.nat === undefined || flow.nat === null ? 'null' : `"${flow.nat}"`},` +
		`"mark":${jsonNumber(flow.mark ?? 0)},"zone":${jsonNumber(flow.zone)},"use":${jsonNumber(flow.use ?? 0)},` +
		`"counters":${counters},` +
		`"start":${flow.start === undefined ? 'null' : `"${new Date(flow.start).toISOString()}"`},` +
		`"helper":${flow.helper === undefined ? 'null' : jsonString(flow.helper)},` +
		`"labels":[${flow.labels ? flow.labels.map(jsonNumber).join(',') : ''}]}`
	);
}
