/**
 * ctnetlink request encoders. Each returns one complete netlink message.
 */
import {hasPorts, IPPROTO_ICMPV6, isIcmp} from '../flow/protocols.js';
import type {Address, Flow, Tuple} from '../flow/types.js';
import {align4, writeU16Host, writeU32Host} from './bytes.js';
import * as C from './constants.js';

/** Appends netlink attributes to a growing list of chunks, tracking nests. */
class AttributeWriter {
	private readonly chunks: Buffer[] = [];
	private length = 0;

	/** Adds an attribute with a raw payload (padded to 4 bytes). */
	raw(type: number, payload: Buffer): this {
		const header = Buffer.alloc(C.NLA_HDRLEN);
		writeU16Host(header, C.NLA_HDRLEN + payload.length, 0);
		writeU16Host(header, type, 2);
		this.push(header);
		this.push(payload);
		const pad = align4(payload.length) - payload.length;
		if (pad) this.push(Buffer.alloc(pad));
		return this;
	}

	u8(type: number, value: number): this {
		return this.raw(type, Buffer.from([value]));
	}

	u16be(type: number, value: number): this {
		const b = Buffer.alloc(2);
		b.writeUInt16BE(value);
		return this.raw(type, b);
	}

	u32be(type: number, value: number): this {
		const b = Buffer.alloc(4);
		b.writeUInt32BE(value >>> 0);
		return this.raw(type, b);
	}

	/** Adds a nested attribute built by `build`. */
	nest(type: number, build: (w: AttributeWriter) => void): this {
		const inner = new AttributeWriter();
		build(inner);
		return this.raw(type | C.NLA_F_NESTED, inner.toBuffer());
	}

	toBuffer(): Buffer {
		return Buffer.concat(this.chunks, this.length);
	}

	private push(b: Buffer): void {
		this.chunks.push(b);
		this.length += b.length;
	}
}

/** A netlink message: header, nfgenmsg for `family`, then `attributes`. */
function message(
	msgType: number,
	flags: number,
	seq: number,
	family: number,
	attributes?: Buffer,
): Buffer {
	const body = attributes ?? Buffer.alloc(0);
	const out = Buffer.alloc(C.NLMSG_HDRLEN + C.NFGENMSG_LEN + body.length);
	writeU32Host(out, out.length, 0);
	writeU16Host(out, (C.NFNL_SUBSYS_CTNETLINK << 8) | msgType, 4);
	writeU16Host(out, flags, 6);
	writeU32Host(out, seq >>> 0, 8);
	writeU32Host(out, 0, 12);
	out[16] = family;
	out[17] = C.NFNETLINK_V0;
	out.writeUInt16BE(0, 18); // res_id
	body.copy(out, C.NLMSG_HDRLEN + C.NFGENMSG_LEN);
	return out;
}

/** Dumps the whole table; AF_UNSPEC asks for IPv4 and IPv6 in one dump. */
export function encodeDumpRequest(seq: number, family = C.AF_UNSPEC): Buffer {
	return message(C.IPCTNL_MSG_CT_GET, C.NLM_F_REQUEST | C.NLM_F_DUMP, seq, family);
}

/** Asks for the per-CPU statistics (one CTA_STATS_* message per CPU), as `conntrack -S`. */
export function encodeStatsCpuRequest(seq: number): Buffer {
	return message(C.IPCTNL_MSG_CT_GET_STATS_CPU, C.NLM_F_REQUEST | C.NLM_F_DUMP, seq, C.AF_UNSPEC);
}

/** Asks for the global entry count (and, on newer kernels, the maximum), as `conntrack -C`. */
export function encodeCountRequest(seq: number): Buffer {
	return message(C.IPCTNL_MSG_CT_GET_STATS, C.NLM_F_REQUEST | C.NLM_F_ACK, seq, C.AF_UNSPEC);
}

function addressBytes(address: Address): Buffer {
	if (typeof address === 'number') {
		const b = Buffer.alloc(4);
		b.writeUInt32BE(address >>> 0);
		return b;
	}

	return Buffer.from(address);
}

function writeTuple(
	w: AttributeWriter,
	tuple: Tuple,
	family: 'ipv4' | 'ipv6',
	protonum: number,
): void {
	const v4 = family === 'ipv4';
	w.nest(C.CTA_TUPLE_IP, (ip) => {
		ip.raw(v4 ? C.CTA_IP_V4_SRC : C.CTA_IP_V6_SRC, addressBytes(tuple.src));
		ip.raw(v4 ? C.CTA_IP_V4_DST : C.CTA_IP_V6_DST, addressBytes(tuple.dst));
	});
	w.nest(C.CTA_TUPLE_PROTO, (proto) => {
		proto.u8(C.CTA_PROTO_NUM, protonum);
		if (isIcmp(protonum)) {
			const icmp6 = protonum === IPPROTO_ICMPV6;
			proto.u16be(icmp6 ? C.CTA_PROTO_ICMPV6_ID : C.CTA_PROTO_ICMP_ID, Math.max(0, tuple.icmpId));
			proto.u8(
				icmp6 ? C.CTA_PROTO_ICMPV6_TYPE : C.CTA_PROTO_ICMP_TYPE,
				Math.max(0, tuple.icmpType),
			);
			proto.u8(
				icmp6 ? C.CTA_PROTO_ICMPV6_CODE : C.CTA_PROTO_ICMP_CODE,
				Math.max(0, tuple.icmpCode),
			);
		} else if (hasPorts(protonum)) {
			proto.u16be(C.CTA_PROTO_SRC_PORT, tuple.sport);
			proto.u16be(C.CTA_PROTO_DST_PORT, tuple.dport);
		}
	});
	if (tuple.zone !== undefined) w.u16be(C.CTA_TUPLE_ZONE, tuple.zone);
}

/**
 * Reads one entry by its original tuple and zone (IPCTNL_MSG_CT_GET without NLM_F_DUMP), as
 * `conntrack -G` does: the kernel answers with the entry's current attributes (a CT_NEW
 * message) and then an ACK, or with ENOENT when the entry expired or was deleted. The kernel
 * looks up by tuple only, so the caller compares the reply's CTA_ID with what it asked about.
 * Many of these go to the kernel in one datagram; each keeps its own `seq`.
 */
export function encodeGetRequest(flow: Flow, seq: number): Buffer {
	const w = new AttributeWriter();
	w.nest(C.CTA_TUPLE_ORIG, (t) => writeTuple(t, flow.original, flow.family, flow.protonum));
	if (flow.zone) w.u16be(C.CTA_ZONE, flow.zone);
	const family = flow.family === 'ipv6' ? C.AF_INET6 : C.AF_INET;
	return message(C.IPCTNL_MSG_CT_GET, C.NLM_F_REQUEST | C.NLM_F_ACK, seq, family, w.toBuffer());
}

/**
 * Deletes one entry by its original tuple, zone and CTA_ID. The kernel looks the tuple up
 * and refuses (ENOENT) when the entry it finds has another id, so a tuple reused by a new
 * connection since the flow was read is never deleted by mistake.
 */
export function encodeDeleteRequest(flow: Flow, seq: number): Buffer {
	const w = new AttributeWriter();
	w.nest(C.CTA_TUPLE_ORIG, (t) => writeTuple(t, flow.original, flow.family, flow.protonum));
	w.u32be(C.CTA_ID, flow.id);
	if (flow.zone) w.u16be(C.CTA_ZONE, flow.zone);
	const family = flow.family === 'ipv6' ? C.AF_INET6 : C.AF_INET;
	return message(C.IPCTNL_MSG_CT_DELETE, C.NLM_F_REQUEST | C.NLM_F_ACK, seq, family, w.toBuffer());
}
