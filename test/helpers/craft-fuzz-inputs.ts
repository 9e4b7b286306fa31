/**
 * Regenerates test/fixtures/fuzz/crafted.json:
 *   node --import tsx test/helpers/craft-fuzz-inputs.ts
 * Each input is built byte by byte here, not with source/kernel/encode.ts, so a bug shared by
 * encoder and decoder cannot hide. They sit on the edges the walkers must stop at: a length of
 * 0..3 (where a walker that trusts it loops forever or reads its own header), a nest that
 * claims more than its parent holds, payloads one byte short of their type, and tuples that
 * stop early. The fuzz test asserts the error each one gives.
 */
import {writeFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {IPPROTO_TCP} from '../../source/flow/protocols.js';
import * as C from '../../source/kernel/constants.js';
import type {CodecErrorKind} from '../../source/kernel/errors.js';

/** One netlink attribute: header (host-endian length and type), payload, padding. */
function nla(type: number, payload: Buffer, length = 4 + payload.length): Buffer {
	const header = Buffer.alloc(4);
	header.writeUInt16LE(length, 0);
	header.writeUInt16LE(type, 2);
	return Buffer.concat([header, payload, Buffer.alloc((4 - (payload.length % 4)) % 4)]);
}

function nest(type: number, ...children: Buffer[]): Buffer {
	return nla(type | C.NLA_F_NESTED, Buffer.concat(children));
}

function u8(value: number): Buffer {
	return Buffer.from([value]);
}

function be16(value: number): Buffer {
	const b = Buffer.alloc(2);
	b.writeUInt16BE(value);
	return b;
}

function be32(value: number): Buffer {
	const b = Buffer.alloc(4);
	b.writeUInt32BE(value);
	return b;
}

/** A netlink message of `type` around `body`; `length` overrides the header's own. */
function nlmsg(type: number, body: Buffer, length = 16 + body.length): Buffer {
	const header = Buffer.alloc(16);
	header.writeUInt32LE(length, 0);
	header.writeUInt16LE(type, 4);
	header.writeUInt32LE(1, 8);
	return Buffer.concat([header, body]);
}

/** A ctnetlink IPCTNL_MSG_CT_NEW message: nfgenmsg for IPv4, then `attributes`. */
function flowMessage(...attributes: Buffer[]): Buffer {
	const nfgenmsg = Buffer.from([C.AF_INET, C.NFNETLINK_V0, 0, 0]);
	return nlmsg(
		(C.NFNL_SUBSYS_CTNETLINK << 8) | C.IPCTNL_MSG_CT_NEW,
		Buffer.concat([nfgenmsg, ...attributes]),
	);
}

const ip = nest(
	C.CTA_TUPLE_IP,
	nla(C.CTA_IP_V4_SRC, be32(0x0a000001)),
	nla(C.CTA_IP_V4_DST, be32(0x0a000002)),
);
const proto = nest(
	C.CTA_TUPLE_PROTO,
	nla(C.CTA_PROTO_NUM, u8(IPPROTO_TCP)),
	nla(C.CTA_PROTO_SRC_PORT, be16(40_000)),
	nla(C.CTA_PROTO_DST_PORT, be16(443)),
);
const original = nest(C.CTA_TUPLE_ORIG, ip, proto);
const reply = nest(C.CTA_TUPLE_REPLY, ip, proto);

/** What one crafted input is and what decoding it must report. */
interface Crafted {
	readonly name: string;
	readonly how: string;
	readonly hex: string;
	/** The errors in order, as `kind` or `kind at attribute`; no flow decodes. */
	readonly errors: readonly string[];
}

const inputs: Crafted[] = [];
function add(name: string, how: string, bytes: Buffer, ...errors: string[]): void {
	inputs.push({name, how, hex: bytes.toString('hex'), errors});
}

function expect(kind: CodecErrorKind, attribute = ''): string {
	return attribute ? `${kind} at ${attribute}` : kind;
}

for (const length of [0, 1, 2, 3]) {
	add(
		`a top-level attribute of length ${length}`,
		`a whole flow, then a CTA_STATUS header whose nla_len is ${length} (below its own 4 bytes) and 4 payload bytes`,
		flowMessage(original, reply, nla(C.CTA_STATUS, be32(0), length)),
		expect('bad-attribute-length', 'CTA_STATUS'),
	);
}

add(
	'a nested attribute of length 0',
	'CTA_TUPLE_ORIG holding a CTA_TUPLE_IP whose first child (CTA_IP_V4_SRC) has nla_len 0',
	flowMessage(
		nest(C.CTA_TUPLE_ORIG, nest(C.CTA_TUPLE_IP, nla(C.CTA_IP_V4_SRC, be32(1), 0)), proto),
		reply,
	),
	expect('bad-attribute-length', 'CTA_TUPLE_ORIG/CTA_TUPLE_IP'),
);
add(
	'a nest that claims more than its parent holds',
	'CTA_TUPLE_ORIG whose CTA_TUPLE_IP child says 0xfff0 bytes; the message ends long before',
	flowMessage(nest(C.CTA_TUPLE_ORIG, nla(C.CTA_TUPLE_IP | C.NLA_F_NESTED, ip, 0xfff0)), reply),
	expect('bad-attribute-length', 'CTA_TUPLE_ORIG'),
);
add(
	'a top-level nest that runs past the message',
	'a flow message whose CTA_TUPLE_ORIG header says 200 bytes but 36 follow',
	flowMessage(nla(C.CTA_TUPLE_ORIG | C.NLA_F_NESTED, Buffer.concat([ip, proto]), 200)),
	expect('bad-attribute-length', 'CTA_TUPLE_ORIG'),
);
add(
	'a truncated tuple: addresses but no protocol',
	'CTA_TUPLE_ORIG with CTA_TUPLE_IP only (no CTA_TUPLE_PROTO), then a whole reply tuple',
	flowMessage(nest(C.CTA_TUPLE_ORIG, ip), reply),
	expect('incomplete-tuple', 'CTA_TUPLE_ORIG'),
);
add(
	'a truncated tuple: one address',
	'CTA_TUPLE_REPLY whose CTA_TUPLE_IP holds CTA_IP_V4_SRC only',
	flowMessage(
		original,
		nest(C.CTA_TUPLE_REPLY, nest(C.CTA_TUPLE_IP, nla(C.CTA_IP_V4_SRC, be32(2))), proto),
	),
	expect('incomplete-tuple', 'CTA_TUPLE_REPLY'),
);
add(
	'no reply tuple',
	'a flow message with CTA_TUPLE_ORIG and nothing else',
	flowMessage(original),
	expect('missing-tuple', 'CTA_TUPLE_REPLY'),
);
add(
	'a port one byte short',
	'CTA_TUPLE_PROTO whose CTA_PROTO_SRC_PORT carries 1 byte',
	flowMessage(
		nest(C.CTA_TUPLE_ORIG, ip, nest(C.CTA_TUPLE_PROTO, nla(C.CTA_PROTO_SRC_PORT, u8(1)))),
		reply,
	),
	expect('short-attribute', 'CTA_TUPLE_ORIG/CTA_TUPLE_PROTO'),
);
add(
	'an IPv6 address of 4 bytes',
	'CTA_TUPLE_IP whose CTA_IP_V6_SRC carries 4 bytes instead of 16',
	flowMessage(nest(C.CTA_TUPLE_ORIG, nest(C.CTA_TUPLE_IP, nla(C.CTA_IP_V6_SRC, be32(1)))), reply),
	expect('short-attribute', 'CTA_TUPLE_ORIG/CTA_TUPLE_IP'),
);
add(
	'a u32 attribute of 2 bytes',
	'a whole flow, then CTA_ID with a 2-byte payload',
	flowMessage(original, reply, nla(C.CTA_ID, be16(7))),
	expect('short-attribute', 'CTA_ID'),
);
add(
	'a 64-bit counter of 4 bytes',
	'a whole flow, then CTA_COUNTERS_ORIG holding CTA_COUNTERS_PACKETS with a 4-byte payload',
	flowMessage(original, reply, nest(C.CTA_COUNTERS_ORIG, nla(C.CTA_COUNTERS_PACKETS, be32(5)))),
	expect('short-attribute', 'CTA_COUNTERS'),
);
add(
	'a state attribute with no payload',
	'a whole flow, then CTA_PROTOINFO > CTA_PROTOINFO_TCP > CTA_PROTOINFO_TCP_STATE with no payload',
	flowMessage(
		original,
		reply,
		nest(
			C.CTA_PROTOINFO,
			nest(C.CTA_PROTOINFO_TCP, nla(C.CTA_PROTOINFO_TCP_STATE, Buffer.alloc(0))),
		),
	),
	expect('short-attribute', 'CTA_PROTOINFO'),
);
add(
	'a netlink message of length 0',
	'a 16-byte netlink header whose nlmsg_len is 0 (a walker adding it would never move)',
	nlmsg((C.NFNL_SUBSYS_CTNETLINK << 8) | C.IPCTNL_MSG_CT_NEW, Buffer.alloc(0), 0),
	expect('bad-message-length'),
);
add(
	'a datagram shorter than a netlink header',
	'the first 15 bytes of a netlink header',
	nlmsg(C.NLMSG_DONE, Buffer.alloc(0)).subarray(0, 15),
	expect('truncated-header'),
);
add(
	'a flow message without its nfgenmsg',
	'a ctnetlink CT_NEW netlink header with no body',
	nlmsg((C.NFNL_SUBSYS_CTNETLINK << 8) | C.IPCTNL_MSG_CT_NEW, Buffer.alloc(0)),
	expect('truncated-header', 'nfgenmsg'),
);
add(
	'an error message without its errno',
	'an NLMSG_ERROR netlink header with no body',
	nlmsg(C.NLMSG_ERROR, Buffer.alloc(0)),
	expect('truncated-header', 'nlmsgerr'),
);

const out = fileURLToPath(new URL('../fixtures/fuzz/crafted.json', import.meta.url));
writeFileSync(
	out,
	JSON.stringify(
		{how: 'test/helpers/craft-fuzz-inputs.ts: hand-built bytes, one edge each', inputs},
		null,
		'\t',
	) + '\n',
);
