/**
 * ctnetlink decoder: datagrams in, flows out.
 *
 * Walks each received Buffer once, in place, with byte reads: no per-attribute objects, no
 * copies but the 16 bytes of an IPv6 address. The netlink package's generic attribute parser
 * took 2.8x the time of `conntrack -L`; this shape reached 1.0x (docs/facts.md#dump-cost).
 */
import {natKind} from '../flow/nat.js';
import {conntrackProtocolName, hasStates} from '../flow/protocols.js';
import {dccpStates, sctpStates, tcpStates} from '../flow/states.js';
import type {Address, Counters, Flow, Tuple} from '../flow/types.js';
import {align4, readI32Host, readU16Host, readU32Host, readU64BE} from './bytes.js';
import * as C from './constants.js';
import {codecError, type CodecError} from './errors.js';

/** What a datagram's messages are handed to. Every callback is optional but `flow`. */
export interface DecodeSink {
	/** A conntrack message decoded: `msgType` is IPCTNL_MSG_CT_NEW or _DELETE, `flags` its nlmsg flags. */
	flow(flow: Flow, msgType: number, flags: number, seq: number): void;
	/** A message that could not be decoded; decoding goes on with the next message. */
	error?(error: CodecError): void;
	/** NLMSG_DONE: the end of a dump. */
	done?(seq: number): void;
	/** NLMSG_ERROR: `errno` is 0 for an ACK, else the positive errno of the failed request. */
	ack?(errno: number, seq: number): void;
	/** A top-level attribute newer than this decoder (skipped), by type number. */
	unknown?(type: number): void;
	/** Any other ctnetlink message (stats replies), with its bounds, for a specialised decoder. */
	other?(buf: Buffer, start: number, end: number, msgType: number): void;
}

/**
 * Decodes every netlink message in one datagram. Never throws on malformed bytes: each bad
 * message is reported to `sink.error`, and a header that makes the rest unreadable ends the walk.
 */
export function decodeDatagram(buf: Buffer, sink: DecodeSink): void {
	let offset = 0;
	const total = buf.length;
	while (offset + C.NLMSG_HDRLEN <= total) {
		const length = readU32Host(buf, offset);
		if (length < C.NLMSG_HDRLEN || offset + length > total) {
			sink.error?.(codecError('bad-message-length', '', offset));
			return;
		}

		const type = readU16Host(buf, offset + 4);
		const flags = readU16Host(buf, offset + 6);
		const seq = readU32Host(buf, offset + 8);
		const end = offset + length;
		if (type === C.NLMSG_DONE) {
			sink.done?.(seq);
		} else if (type === C.NLMSG_ERROR) {
			if (length < C.NLMSG_HDRLEN + 4)
				sink.error?.(codecError('truncated-header', 'nlmsgerr', offset));
			else sink.ack?.(-readI32Host(buf, offset + C.NLMSG_HDRLEN), seq);
		} else if (type >> 8 === C.NFNL_SUBSYS_CTNETLINK) {
			const msgType = type & 0xff;
			if (msgType === C.IPCTNL_MSG_CT_NEW || msgType === C.IPCTNL_MSG_CT_DELETE) {
				const result = decodeFlow(buf, offset + C.NLMSG_HDRLEN, end, sink.unknown);
				if ('kind' in result) sink.error?.(result);
				else sink.flow(result, msgType, flags, seq);
			} else {
				sink.other?.(buf, offset + C.NLMSG_HDRLEN, end, msgType);
			}
		}

		// NLMSG_NOOP, NLMSG_OVERRUN and other subsystems are skipped.
		offset += align4(length);
	}

	if (offset < total && offset + C.NLMSG_HDRLEN > total) {
		sink.error?.(codecError('truncated-header', '', offset));
	}
}

/** Mutable scratch for one tuple while its attributes are read. */
interface TupleScratch {
	src: Address | undefined;
	dst: Address | undefined;
	protonum: number;
	sport: number;
	dport: number;
	icmpType: number;
	icmpCode: number;
	icmpId: number;
	zone: number | undefined;
}

function newScratch(): TupleScratch {
	return {
		src: undefined,
		dst: undefined,
		protonum: -1,
		sport: 0,
		dport: 0,
		icmpType: -1,
		icmpCode: -1,
		icmpId: -1,
		zone: undefined,
	};
}

/**
 * Decodes one conntrack message body: `start` points at the nfgenmsg, `end` one past the
 * message. Unknown attributes are skipped; a length that lies yields an error value.
 */
export function decodeFlow(
	buf: Buffer,
	start: number,
	end: number,
	onUnknown?: (type: number) => void,
): Flow | CodecError {
	if (start + C.NFGENMSG_LEN > end) return codecError('truncated-header', 'nfgenmsg', start);
	const familyNumber = buf[start];
	let original: TupleScratch | undefined;
	let reply: TupleScratch | undefined;
	let id = 0;
	let status: number | undefined;
	let state: string | null | undefined;
	let timeout: number | undefined;
	let mark: number | undefined;
	let use: number | undefined;
	let zone = 0;
	let countersOriginal: Counters | undefined;
	let countersReply: Counters | undefined;
	let tsStart: number | undefined;
	let tsStop: number | undefined;
	let helper: string | undefined;
	let labels: number[] | undefined;

	let offset = start + C.NFGENMSG_LEN;
	while (offset + C.NLA_HDRLEN <= end) {
		const length = readU16Host(buf, offset);
		if (length < C.NLA_HDRLEN || offset + length > end) {
			return codecError(
				'bad-attribute-length',
				attributeName(readU16Host(buf, offset + 2)),
				offset,
			);
		}

		const type = readU16Host(buf, offset + 2) & C.NLA_TYPE_MASK;
		const p = offset + C.NLA_HDRLEN;
		const q = offset + length;
		// Fixed-size attributes are checked once here, so each case below just reads.
		if (length - C.NLA_HDRLEN < (minimumSizes[type] ?? 0)) {
			return codecError('short-attribute', attributeName(type), offset);
		}

		switch (type) {
			case C.CTA_TUPLE_ORIG:
			case C.CTA_TUPLE_REPLY: {
				const scratch = newScratch();
				const error = decodeTuple(
					buf,
					p,
					q,
					scratch,
					type === C.CTA_TUPLE_ORIG ? 'CTA_TUPLE_ORIG' : 'CTA_TUPLE_REPLY',
				);
				if (error) return error;
				if (type === C.CTA_TUPLE_ORIG) original = scratch;
				else reply = scratch;
				break;
			}

			case C.CTA_STATUS:
				status = buf.readUInt32BE(p);
				break;
			case C.CTA_PROTOINFO: {
				const result = decodeProtoinfo(buf, p, q);
				if (typeof result === 'object' && result !== null) return result;
				state = result;
				break;
			}

			case C.CTA_TIMEOUT:
				timeout = buf.readUInt32BE(p);
				break;
			case C.CTA_MARK:
				mark = buf.readUInt32BE(p);
				break;
			case C.CTA_COUNTERS_ORIG:
			case C.CTA_COUNTERS_REPLY: {
				const result = decodeCounters(buf, p, q);
				if ('kind' in result) return result;
				if (type === C.CTA_COUNTERS_ORIG) countersOriginal = result;
				else countersReply = result;
				break;
			}

			case C.CTA_USE:
				use = buf.readUInt32BE(p);
				break;
			case C.CTA_ID:
				id = buf.readUInt32BE(p);
				break;
			case C.CTA_ZONE:
				zone = buf.readUInt16BE(p);
				break;
			case C.CTA_TIMESTAMP: {
				const result = walkNested(buf, p, q, 'CTA_TIMESTAMP', (t, a, b) => {
					if (t !== C.CTA_TIMESTAMP_START && t !== C.CTA_TIMESTAMP_STOP) return undefined;
					if (b - a < 8) return codecError('short-attribute', 'CTA_TIMESTAMP', a);
					const ms = readU64BE(buf, a) / 1e6;
					if (t === C.CTA_TIMESTAMP_START) tsStart = ms;
					else tsStop = ms;
					return undefined;
				});
				if (result) return result;
				break;
			}

			case C.CTA_HELP: {
				const result = walkNested(buf, p, q, 'CTA_HELP', (t, a, b) => {
					if (t === C.CTA_HELP_NAME) helper = readCString(buf, a, b);
					return undefined;
				});
				if (result) return result;
				break;
			}

			case C.CTA_LABELS:
				labels = decodeLabels(buf, p, q);
				break;
			default:
				// Unneeded attributes (seq adjust, secctx, synproxy) are skipped; newer ones are
				// counted too, so a kernel that says more than we read is noticed, not fatal.
				if (type > C.CTA_STATUS_MASK) onUnknown?.(type);
				break;
		}

		offset += align4(length);
	}

	if (!original || !reply)
		return codecError('missing-tuple', original ? 'CTA_TUPLE_REPLY' : 'CTA_TUPLE_ORIG', start);
	if (original.src === undefined || original.dst === undefined || original.protonum < 0) {
		return codecError('incomplete-tuple', 'CTA_TUPLE_ORIG', start);
	}

	if (reply.src === undefined || reply.dst === undefined) {
		return codecError('incomplete-tuple', 'CTA_TUPLE_REPLY', start);
	}

	const protonum = original.protonum;
	const originalTuple = freezeTuple(original);
	const replyTuple = freezeTuple(reply);
	const flow: Flow = {
		id,
		family: familyNumber === C.AF_INET6 ? 'ipv6' : 'ipv4',
		protonum,
		proto: conntrackProtocolName(protonum),
		original: originalTuple,
		reply: replyTuple,
		status,
		state: state === undefined && status !== undefined && !hasStates(protonum) ? null : state,
		timeout,
		mark,
		use,
		zone,
		counters:
			countersOriginal || countersReply
				? {original: countersOriginal ?? zeroCounters, reply: countersReply ?? zeroCounters}
				: undefined,
		start: tsStart,
		stop: tsStop,
		helper,
		labels,
		nat: natKind(originalTuple, replyTuple, status),
	};
	return flow;
}

const zeroCounters: Counters = {packets: 0, bytes: 0};

function freezeTuple(s: TupleScratch): Tuple {
	return {
		src: s.src!,
		dst: s.dst!,
		sport: s.sport,
		dport: s.dport,
		icmpType: s.icmpType,
		icmpCode: s.icmpCode,
		icmpId: s.icmpId,
		zone: s.zone,
	};
}

/**
 * Walks the attributes of a nest, calling `visit` with each one's type and payload bounds.
 * Returns the first error, from a lying length or from `visit`.
 */
function walkNested(
	buf: Buffer,
	start: number,
	end: number,
	name: string,
	visit: (type: number, payload: number, payloadEnd: number) => CodecError | undefined,
): CodecError | undefined {
	let offset = start;
	while (offset + C.NLA_HDRLEN <= end) {
		const length = readU16Host(buf, offset);
		if (length < C.NLA_HDRLEN || offset + length > end)
			return codecError('bad-attribute-length', name, offset);
		const error = visit(
			readU16Host(buf, offset + 2) & C.NLA_TYPE_MASK,
			offset + C.NLA_HDRLEN,
			offset + length,
		);
		if (error) return error;
		offset += align4(length);
	}

	return undefined;
}

function decodeTuple(
	buf: Buffer,
	start: number,
	end: number,
	out: TupleScratch,
	name: string,
): CodecError | undefined {
	return walkNested(buf, start, end, name, (type, p, q) => {
		if (type === C.CTA_TUPLE_IP) return decodeTupleIp(buf, p, q, out, `${name}/CTA_TUPLE_IP`);
		if (type === C.CTA_TUPLE_PROTO)
			return decodeTupleProto(buf, p, q, out, `${name}/CTA_TUPLE_PROTO`);
		if (type === C.CTA_TUPLE_ZONE) {
			if (q - p < 2) return codecError('short-attribute', `${name}/CTA_TUPLE_ZONE`, p);
			out.zone = buf.readUInt16BE(p);
		}

		return undefined;
	});
}

function decodeTupleIp(
	buf: Buffer,
	start: number,
	end: number,
	out: TupleScratch,
	name: string,
): CodecError | undefined {
	return walkNested(buf, start, end, name, (type, p, q) => {
		switch (type) {
			case C.CTA_IP_V4_SRC:
			case C.CTA_IP_V4_DST: {
				if (q - p < 4) return codecError('short-attribute', name, p);
				const address = buf.readUInt32BE(p);
				if (type === C.CTA_IP_V4_SRC) out.src = address;
				else out.dst = address;
				break;
			}

			case C.CTA_IP_V6_SRC:
			case C.CTA_IP_V6_DST: {
				if (q - p < 16) return codecError('short-attribute', name, p);
				const address = new Uint8Array(16);
				address.set(buf.subarray(p, p + 16));
				if (type === C.CTA_IP_V6_SRC) out.src = address;
				else out.dst = address;
				break;
			}

			default:
				break;
		}

		return undefined;
	});
}

function decodeTupleProto(
	buf: Buffer,
	start: number,
	end: number,
	out: TupleScratch,
	name: string,
): CodecError | undefined {
	return walkNested(buf, start, end, name, (type, p, q) => {
		const size = q - p;
		switch (type) {
			case C.CTA_PROTO_NUM:
				if (size < 1) return codecError('short-attribute', name, p);
				out.protonum = buf[p];
				break;
			case C.CTA_PROTO_SRC_PORT:
				if (size < 2) return codecError('short-attribute', name, p);
				out.sport = buf.readUInt16BE(p);
				break;
			case C.CTA_PROTO_DST_PORT:
				if (size < 2) return codecError('short-attribute', name, p);
				out.dport = buf.readUInt16BE(p);
				break;
			case C.CTA_PROTO_ICMP_ID:
			case C.CTA_PROTO_ICMPV6_ID:
				if (size < 2) return codecError('short-attribute', name, p);
				out.icmpId = buf.readUInt16BE(p);
				break;
			case C.CTA_PROTO_ICMP_TYPE:
			case C.CTA_PROTO_ICMPV6_TYPE:
				if (size < 1) return codecError('short-attribute', name, p);
				out.icmpType = buf[p];
				break;
			case C.CTA_PROTO_ICMP_CODE:
			case C.CTA_PROTO_ICMPV6_CODE:
				if (size < 1) return codecError('short-attribute', name, p);
				out.icmpCode = buf[p];
				break;
			default:
				break;
		}

		return undefined;
	});
}

/** The state name inside CTA_PROTOINFO, null when the nest names no known protocol. */
function decodeProtoinfo(buf: Buffer, start: number, end: number): string | null | CodecError {
	let state: string | null = null;
	const error = walkNested(buf, start, end, 'CTA_PROTOINFO', (type, p, q) => {
		const names =
			type === C.CTA_PROTOINFO_TCP
				? tcpStates
				: type === C.CTA_PROTOINFO_SCTP
					? sctpStates
					: type === C.CTA_PROTOINFO_DCCP
						? dccpStates
						: undefined;
		if (!names) return undefined;
		// The state attribute is number 1 in all three nests.
		return walkNested(buf, p, q, 'CTA_PROTOINFO', (t, a, b) => {
			if (t !== C.CTA_PROTOINFO_TCP_STATE) return undefined;
			if (b - a < 1) return codecError('short-attribute', 'CTA_PROTOINFO', a);
			state = names[buf[a]] ?? `UNKNOWN(${buf[a]})`;
			return undefined;
		});
	});
	return error ?? state;
}

function decodeCounters(buf: Buffer, start: number, end: number): Counters | CodecError {
	let packets = 0;
	let bytes = 0;
	const error = walkNested(buf, start, end, 'CTA_COUNTERS', (type, p, q) => {
		const size = q - p;
		if (type === C.CTA_COUNTERS_PACKETS || type === C.CTA_COUNTERS_BYTES) {
			if (size < 8) return codecError('short-attribute', 'CTA_COUNTERS', p);
			if (type === C.CTA_COUNTERS_PACKETS) packets = readU64BE(buf, p);
			else bytes = readU64BE(buf, p);
		} else if (type === C.CTA_COUNTERS32_PACKETS || type === C.CTA_COUNTERS32_BYTES) {
			if (size < 4) return codecError('short-attribute', 'CTA_COUNTERS', p);
			if (type === C.CTA_COUNTERS32_PACKETS) packets = buf.readUInt32BE(p);
			else bytes = buf.readUInt32BE(p);
		}

		return undefined;
	});
	return error ?? {packets, bytes};
}

/** Label bitmap: host-order u32 words, as libnetfilter_conntrack's nfct_bitmask reads them. */
function decodeLabels(buf: Buffer, start: number, end: number): number[] {
	const labels: number[] = [];
	for (let word = 0; start + word * 4 + 4 <= end; word++) {
		const bits = readU32Host(buf, start + word * 4);
		if (bits === 0) continue;
		for (let bit = 0; bit < 32; bit++) if ((bits >>> bit) & 1) labels.push(word * 32 + bit);
	}

	return labels;
}

function readCString(buf: Buffer, start: number, end: number): string {
	const nul = buf.indexOf(0, start);
	return buf.toString('latin1', start, nul === -1 || nul > end ? end : nul);
}

/** Payload bytes the fixed-size top-level attributes need (u32 values, the u16 zone). */
const minimumSizes: Readonly<Record<number, number>> = {
	[C.CTA_STATUS]: 4,
	[C.CTA_TIMEOUT]: 4,
	[C.CTA_MARK]: 4,
	[C.CTA_USE]: 4,
	[C.CTA_ID]: 4,
	[C.CTA_ZONE]: 2,
};

const attributeNames: Readonly<Record<number, string>> = {
	[C.CTA_TUPLE_ORIG]: 'CTA_TUPLE_ORIG',
	[C.CTA_TUPLE_REPLY]: 'CTA_TUPLE_REPLY',
	[C.CTA_STATUS]: 'CTA_STATUS',
	[C.CTA_PROTOINFO]: 'CTA_PROTOINFO',
	[C.CTA_HELP]: 'CTA_HELP',
	[C.CTA_TIMEOUT]: 'CTA_TIMEOUT',
	[C.CTA_MARK]: 'CTA_MARK',
	[C.CTA_COUNTERS_ORIG]: 'CTA_COUNTERS_ORIG',
	[C.CTA_COUNTERS_REPLY]: 'CTA_COUNTERS_REPLY',
	[C.CTA_USE]: 'CTA_USE',
	[C.CTA_ID]: 'CTA_ID',
	[C.CTA_ZONE]: 'CTA_ZONE',
	[C.CTA_TIMESTAMP]: 'CTA_TIMESTAMP',
	[C.CTA_LABELS]: 'CTA_LABELS',
};

function attributeName(type: number): string {
	const bare = type & C.NLA_TYPE_MASK;
	return attributeNames[bare] ?? `attribute ${bare}`;
}
