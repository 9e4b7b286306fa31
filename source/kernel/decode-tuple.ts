/**
 * CTA_TUPLE_ORIG / CTA_TUPLE_REPLY: addresses, protocol, ports or ICMP fields, and the tuple's
 * zone (ti-mo/conntrack `tuple.go`). Read into a mutable scratch while the nest is walked, then
 * frozen into a `Tuple` once the message is known to be whole.
 */
import type {Address, Tuple} from '../flow/types.js';
import {align4, readU16BE, readU32BE} from './bytes.js';
import * as C from './constants.js';
import {codecError, type CodecError} from './errors.js';
import {attributeLength, attributeType} from './netlink-attributes.js';

/** Mutable scratch for one tuple while its attributes are read. */
export interface TupleScratch {
	src: Address | undefined;
	dst: Address | undefined;
	/** -1 until CTA_PROTO_NUM is read. */
	protonum: number;
	sport: number;
	dport: number;
	icmpType: number;
	icmpCode: number;
	icmpId: number;
	zone: number | undefined;
}

/** An empty scratch: no addresses, no protocol, ports 0, ICMP fields -1, no zone. */
export function newTupleScratch(): TupleScratch {
	return resetTupleScratch({
		src: undefined,
		dst: undefined,
		protonum: -1,
		sport: 0,
		dport: 0,
		icmpType: -1,
		icmpCode: -1,
		icmpId: -1,
		zone: undefined,
	});
}

/** Empties `s` for reuse (as `newTupleScratch` makes it) and returns it. */
export function resetTupleScratch(s: TupleScratch): TupleScratch {
	s.src = undefined;
	s.dst = undefined;
	s.protonum = -1;
	s.sport = 0;
	s.dport = 0;
	s.icmpType = -1;
	s.icmpCode = -1;
	s.icmpId = -1;
	s.zone = undefined;
	return s;
}

/** The tuple a complete scratch holds; the caller has checked both addresses are there. */
export function freezeTuple(s: TupleScratch): Tuple {
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
 * Reads the tuple nest between `start` and `end` into `out`; `name` is the nest's attribute
 * name, which errors carry (`CTA_TUPLE_ORIG/CTA_TUPLE_IP`). Unknown attributes are skipped.
 */
export function decodeTuple(
	buf: Buffer,
	start: number,
	end: number,
	out: TupleScratch,
	name: string,
): CodecError | undefined {
	for (let offset = start; offset + C.NLA_HDRLEN <= end;) {
		const length = attributeLength(buf, offset, end);
		if (length === -1) return codecError('bad-attribute-length', name, offset);
		const type = attributeType(buf, offset);
		const p = offset + C.NLA_HDRLEN;
		const q = offset + length;
		if (type === C.CTA_TUPLE_IP) {
			const error = decodeTupleIp(buf, p, q, out, name);
			if (error) return error;
		} else if (type === C.CTA_TUPLE_PROTO) {
			const error = decodeTupleProto(buf, p, q, out, name);
			if (error) return error;
		} else if (type === C.CTA_TUPLE_ZONE) {
			if (q - p < 2) return codecError('short-attribute', `${name}/CTA_TUPLE_ZONE`, p);
			out.zone = readU16BE(buf, p);
		}

		offset += align4(length);
	}

	return undefined;
}

/** CTA_TUPLE_IP; errors are named `${tuple}/CTA_TUPLE_IP` (the name is made only then). */
function decodeTupleIp(
	buf: Buffer,
	start: number,
	end: number,
	out: TupleScratch,
	tuple: string,
): CodecError | undefined {
	for (let offset = start; offset + C.NLA_HDRLEN <= end;) {
		const length = attributeLength(buf, offset, end);
		if (length === -1) return codecError('bad-attribute-length', `${tuple}/CTA_TUPLE_IP`, offset);
		const type = attributeType(buf, offset);
		const p = offset + C.NLA_HDRLEN;
		const size = length - C.NLA_HDRLEN;
		if (type === C.CTA_IP_V4_SRC || type === C.CTA_IP_V4_DST) {
			if (size < 4) return codecError('short-attribute', `${tuple}/CTA_TUPLE_IP`, p);
			if (type === C.CTA_IP_V4_SRC) out.src = readU32BE(buf, p);
			else out.dst = readU32BE(buf, p);
		} else if (type === C.CTA_IP_V6_SRC || type === C.CTA_IP_V6_DST) {
			if (size < 16) return codecError('short-attribute', `${tuple}/CTA_TUPLE_IP`, p);
			// A copy, since the flow outlives the receive buffer; a loop, since a subarray to
			// copy from would be one more object.
			const copy = new Uint8Array(16);
			for (let i = 0; i < 16; i++) copy[i] = buf[p + i];
			if (type === C.CTA_IP_V6_SRC) out.src = copy;
			else out.dst = copy;
		}

		offset += align4(length);
	}

	return undefined;
}

/** CTA_TUPLE_PROTO; errors are named `${tuple}/CTA_TUPLE_PROTO`. */
function decodeTupleProto(
	buf: Buffer,
	start: number,
	end: number,
	out: TupleScratch,
	tuple: string,
): CodecError | undefined {
	for (let offset = start; offset + C.NLA_HDRLEN <= end;) {
		const length = attributeLength(buf, offset, end);
		if (length === -1)
			return codecError('bad-attribute-length', `${tuple}/CTA_TUPLE_PROTO`, offset);
		const p = offset + C.NLA_HDRLEN;
		const size = length - C.NLA_HDRLEN;
		switch (attributeType(buf, offset)) {
			case C.CTA_PROTO_NUM:
				if (size < 1) return codecError('short-attribute', `${tuple}/CTA_TUPLE_PROTO`, p);
				out.protonum = buf[p];
				break;
			case C.CTA_PROTO_SRC_PORT:
				if (size < 2) return codecError('short-attribute', `${tuple}/CTA_TUPLE_PROTO`, p);
				out.sport = readU16BE(buf, p);
				break;
			case C.CTA_PROTO_DST_PORT:
				if (size < 2) return codecError('short-attribute', `${tuple}/CTA_TUPLE_PROTO`, p);
				out.dport = readU16BE(buf, p);
				break;
			case C.CTA_PROTO_ICMP_ID:
			case C.CTA_PROTO_ICMPV6_ID:
				if (size < 2) return codecError('short-attribute', `${tuple}/CTA_TUPLE_PROTO`, p);
				out.icmpId = readU16BE(buf, p);
				break;
			case C.CTA_PROTO_ICMP_TYPE:
			case C.CTA_PROTO_ICMPV6_TYPE:
				if (size < 1) return codecError('short-attribute', `${tuple}/CTA_TUPLE_PROTO`, p);
				out.icmpType = buf[p];
				break;
			case C.CTA_PROTO_ICMP_CODE:
			case C.CTA_PROTO_ICMPV6_CODE:
				if (size < 1) return codecError('short-attribute', `${tuple}/CTA_TUPLE_PROTO`, p);
				out.icmpCode = buf[p];
				break;
			default:
				break;
		}

		offset += align4(length);
	}

	return undefined;
}
