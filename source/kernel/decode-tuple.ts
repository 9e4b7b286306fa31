/**
 * CTA_TUPLE_ORIG / CTA_TUPLE_REPLY: addresses, protocol, ports or ICMP fields, and the tuple's
 * zone (ti-mo/conntrack `tuple.go`). Read into a mutable scratch while the nest is walked, then
 * frozen into a `Tuple` once the message is known to be whole.
 */
import type {Address, Tuple} from '../flow/types.js';
import * as C from './constants.js';
import {codecError, type CodecError} from './errors.js';
import {walkAttributes} from './netlink-attributes.js';

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
	return walkAttributes(buf, start, end, name, (type, p, q) => {
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
	return walkAttributes(buf, start, end, name, (type, p, q) => {
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
	return walkAttributes(buf, start, end, name, (type, p, q) => {
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
