/**
 * The stable JSON form of a flow, documented in the README, used by `--once --json`,
 * `--events --json` and the delete log.
 */
import type {Flow, FlowEvent, Tuple} from '../flow/types.js';
import {statusFlags} from '../kernel/decode.js';
import {hasPorts} from '../kernel/encode.js';
import {formatAddress as addressText} from '../model/format.js';

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
	nat: 'snat' | 'dnat' | 'both' | null;
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

function tupleJson(tuple: Tuple, isIcmp: boolean, ports: boolean): TupleJson {
	const out: TupleJson = {src: addressText(tuple.src), dst: addressText(tuple.dst)};
	if (isIcmp) {
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
	const isIcmp = flow.protonum === 1 || flow.protonum === 58;
	const ports = hasPorts(flow.protonum);
	return {
		id: flow.id,
		family: flow.family,
		proto: flow.proto,
		protonum: flow.protonum,
		state: flow.state ?? null,
		timeout: flow.timeout ?? null,
		original: tupleJson(flow.original, isIcmp, ports),
		reply: tupleJson(flow.reply, isIcmp, ports),
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
