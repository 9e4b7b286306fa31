/**
 * The re-read request for the rows on screen, every tick: many IPCTNL_MSG_CT_GET messages and
 * one closing request, written straight into one buffer. The generic attribute writer in
 * encode.ts allocates a Buffer per attribute (1.3 ms for 50 flows, most of a re-read's time);
 * this writes the same bytes (a test compares them) with no allocation but the result.
 */
import {hasPorts, IPPROTO_ICMPV6, isIcmp} from '../flow/protocols.js';
import type {Flow, Tuple} from '../flow/types.js';
import {writeU16Host, writeU32Host} from './bytes.js';
import * as C from './constants.js';

const nlaHeader = 4;
/** An attribute with a u8 or u16 payload, padded: 4 + 4. */
const smallAttribute = 8;

/** Bytes of the CTA_TUPLE_ORIG nest's contents for `flow`. */
function tupleLength(flow: Flow): number {
	const address = flow.family === 'ipv4' ? 4 : 16;
	const ip = nlaHeader + 2 * (nlaHeader + address);
	let proto = nlaHeader + smallAttribute;
	if (isIcmp(flow.protonum)) proto += 3 * smallAttribute;
	else if (hasPorts(flow.protonum)) proto += 2 * smallAttribute;
	return ip + proto + (flow.original.zone === undefined ? 0 : smallAttribute);
}

/** Bytes of one GET message for `flow`. */
function getLength(flow: Flow): number {
	return (
		C.NLMSG_HDRLEN +
		C.NFGENMSG_LEN +
		nlaHeader +
		tupleLength(flow) +
		(flow.zone ? smallAttribute : 0)
	);
}

/** Writes an attribute header; returns the offset of its payload. */
function header(buf: Buffer, offset: number, type: number, length: number): number {
	writeU16Host(buf, length, offset);
	writeU16Host(buf, type, offset + 2);
	return offset + nlaHeader;
}

function writeAddress(buf: Buffer, offset: number, address: Tuple['src']): void {
	if (typeof address === 'number') buf.writeUInt32BE(address >>> 0, offset);
	else buf.set(address, offset);
}

function writeU8(buf: Buffer, offset: number, type: number, value: number): number {
	header(buf, offset, type, nlaHeader + 1);
	buf[offset + nlaHeader] = value;
	return offset + smallAttribute;
}

function writeU16BE(buf: Buffer, offset: number, type: number, value: number): number {
	header(buf, offset, type, nlaHeader + 2);
	buf.writeUInt16BE(value, offset + nlaHeader);
	return offset + smallAttribute;
}

function writeMessageHeader(
	buf: Buffer,
	offset: number,
	length: number,
	msgType: number,
	flags: number,
	seq: number,
	family: number,
): number {
	writeU32Host(buf, length, offset);
	writeU16Host(buf, (C.NFNL_SUBSYS_CTNETLINK << 8) | msgType, offset + 4);
	writeU16Host(buf, flags, offset + 6);
	writeU32Host(buf, seq >>> 0, offset + 8);
	writeU32Host(buf, 0, offset + 12);
	buf[offset + 16] = family;
	buf[offset + 17] = C.NFNETLINK_V0;
	buf.writeUInt16BE(0, offset + 18);
	return offset + C.NLMSG_HDRLEN + C.NFGENMSG_LEN;
}

/** Writes the GET for `flow` at `offset` with `flags`; returns the offset after it. */
function writeGet(buf: Buffer, offset: number, flow: Flow, seq: number, flags: number): number {
	const length = getLength(flow);
	const family = flow.family === 'ipv6' ? C.AF_INET6 : C.AF_INET;
	let o = writeMessageHeader(buf, offset, length, C.IPCTNL_MSG_CT_GET, flags, seq, family);
	const tuple = flow.original;
	const v4 = flow.family === 'ipv4';
	const address = v4 ? 4 : 16;
	o = header(buf, o, C.CTA_TUPLE_ORIG | C.NLA_F_NESTED, nlaHeader + tupleLength(flow));
	o = header(buf, o, C.CTA_TUPLE_IP | C.NLA_F_NESTED, nlaHeader + 2 * (nlaHeader + address));
	writeAddress(
		buf,
		header(buf, o, v4 ? C.CTA_IP_V4_SRC : C.CTA_IP_V6_SRC, nlaHeader + address),
		tuple.src,
	);
	o += nlaHeader + address;
	writeAddress(
		buf,
		header(buf, o, v4 ? C.CTA_IP_V4_DST : C.CTA_IP_V6_DST, nlaHeader + address),
		tuple.dst,
	);
	o += nlaHeader + address;
	const icmp = isIcmp(flow.protonum);
	const ports = !icmp && hasPorts(flow.protonum);
	const protoLength = nlaHeader + smallAttribute * (icmp ? 4 : ports ? 3 : 1);
	o = header(buf, o, C.CTA_TUPLE_PROTO | C.NLA_F_NESTED, protoLength);
	o = writeU8(buf, o, C.CTA_PROTO_NUM, flow.protonum);
	if (icmp) {
		const v6 = flow.protonum === IPPROTO_ICMPV6;
		o = writeU16BE(
			buf,
			o,
			v6 ? C.CTA_PROTO_ICMPV6_ID : C.CTA_PROTO_ICMP_ID,
			Math.max(0, tuple.icmpId),
		);
		o = writeU8(
			buf,
			o,
			v6 ? C.CTA_PROTO_ICMPV6_TYPE : C.CTA_PROTO_ICMP_TYPE,
			Math.max(0, tuple.icmpType),
		);
		o = writeU8(
			buf,
			o,
			v6 ? C.CTA_PROTO_ICMPV6_CODE : C.CTA_PROTO_ICMP_CODE,
			Math.max(0, tuple.icmpCode),
		);
	} else if (ports) {
		o = writeU16BE(buf, o, C.CTA_PROTO_SRC_PORT, tuple.sport);
		o = writeU16BE(buf, o, C.CTA_PROTO_DST_PORT, tuple.dport);
	}

	if (tuple.zone !== undefined) o = writeU16BE(buf, o, C.CTA_TUPLE_ZONE, tuple.zone);
	if (flow.zone) o = writeU16BE(buf, o, C.CTA_ZONE, flow.zone);
	return o;
}

/**
 * One GET per flow by original tuple and zone, `seq` then `seq + 1`..., without NLM_F_ACK: the
 * kernel answers a found entry with its CT_NEW message only and a missing one with an
 * NLMSG_ERROR (ENOENT), halving the datagrams to read. A closing IPCTNL_MSG_CT_GET_STATS with
 * NLM_F_ACK at `seq + flows.length` follows: the kernel handles a datagram's messages in
 * order, so its ACK says every GET before it has been answered.
 */
export function encodeGetBatch(flows: readonly Flow[], seq: number): Buffer {
	let total = C.NLMSG_HDRLEN + C.NFGENMSG_LEN;
	for (const flow of flows) total += getLength(flow);
	const buf = Buffer.alloc(total);
	let offset = 0;
	for (let i = 0; i < flows.length; i++) {
		offset = writeGet(buf, offset, flows[i], (seq + i) >>> 0, C.NLM_F_REQUEST);
	}

	writeMessageHeader(
		buf,
		offset,
		C.NLMSG_HDRLEN + C.NFGENMSG_LEN,
		C.IPCTNL_MSG_CT_GET_STATS,
		C.NLM_F_REQUEST | C.NLM_F_ACK,
		(seq + flows.length) >>> 0,
		C.AF_UNSPEC,
	);
	return buf;
}

/** One GET message for `flow` with NLM_F_ACK, as `encodeGetRequest` builds it (for tests). */
export function encodeGetOne(flow: Flow, seq: number): Buffer {
	const buf = Buffer.alloc(getLength(flow));
	writeGet(buf, 0, flow, seq, C.NLM_F_REQUEST | C.NLM_F_ACK);
	return buf;
}
