import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import type {Flow, Tuple} from '../../source/flow/types.js';
import * as C from '../../source/kernel/constants.js';
import {decodeFlow} from '../../source/kernel/decode-flow.js';
import {
	encodeCountRequest,
	encodeDeleteRequest,
	encodeDumpRequest,
	encodeStatsCpuRequest,
} from '../../source/kernel/encode.js';
import {makeFlow} from '../helpers/synthetic-flows.js';

/**
 * Decodes the body of a request that carries CTA_TUPLE_ORIG. A flow message needs a reply
 * tuple too, so a copy of the original is appended as CTA_TUPLE_REPLY.
 */
function decodeRequest(request: Buffer): Flow {
	const first = C.NLMSG_HDRLEN + C.NFGENMSG_LEN;
	assert.equal(request.readUInt16LE(first + 2), C.CTA_TUPLE_ORIG | C.NLA_F_NESTED);
	const reply = Buffer.from(request.subarray(first, first + request.readUInt16LE(first)));
	reply.writeUInt16LE(C.CTA_TUPLE_REPLY | C.NLA_F_NESTED, 2);
	const body = Buffer.concat([request.subarray(C.NLMSG_HDRLEN), reply]);
	const result = decodeFlow(body, 0, body.length);
	assert.ok(!('kind' in result), `decodes: ${JSON.stringify(result)}`);
	return result;
}

/** A tuple with `zone` always present, so a missing key and undefined compare equal. */
function withZone(tuple: Tuple): Tuple {
	return {...tuple, zone: tuple.zone};
}

describe('the delete request round-trips through the decoder', () => {
	const cases: Array<{name: string; flow: Flow}> = [
		{name: 'TCP over IPv4', flow: makeFlow({id: 7})},
		{
			name: 'UDP over IPv6',
			flow: makeFlow({
				id: 8,
				proto: 'udp',
				src: '2001:db8::1',
				dst: 'fe80::1',
				sport: 5353,
				dport: 53,
			}),
		},
		{name: 'ICMP echo (type, code and id, no ports)', flow: makeFlow({proto: 'icmp', sport: 77})},
		{name: 'ICMPv6 echo', flow: makeFlow({proto: 'icmpv6', sport: 78})},
		{name: 'SCTP in conntrack zone 7', flow: makeFlow({proto: 'sctp', zone: 7})},
		{name: 'GRE, whose tuple has no ports', flow: makeFlow({proto: 'gre', sport: 0, dport: 0})},
		{name: 'ports 0 and 65535', flow: makeFlow({sport: 0, dport: 65_535})},
		{name: 'the largest id', flow: makeFlow({id: 0xff_ff_ff_ff})},
		{
			name: 'a tuple zone of its own',
			flow: (() => {
				const flow = makeFlow({id: 9, zone: 3});
				return {...flow, original: {...flow.original, zone: 3}};
			})(),
		},
		{
			name: 'addresses 0.0.0.0 and 255.255.255.255',
			flow: makeFlow({src: '0.0.0.0', dst: '255.255.255.255'}),
		},
	];

	for (const {name, flow} of cases) {
		test(`${name}: the original tuple, id, zone and family come back`, () => {
			const request = encodeDeleteRequest(flow, 41);
			assert.equal(request.readUInt32LE(0), request.length);
			assert.equal(
				request.readUInt16LE(4),
				(C.NFNL_SUBSYS_CTNETLINK << 8) | C.IPCTNL_MSG_CT_DELETE,
			);
			assert.equal(request.readUInt16LE(6), C.NLM_F_REQUEST | C.NLM_F_ACK);
			assert.equal(request.readUInt32LE(8), 41);
			const decoded = decodeRequest(request);
			assert.deepEqual(withZone(decoded.original), withZone(flow.original));
			assert.equal(decoded.id, flow.id);
			assert.equal(decoded.zone, flow.zone);
			assert.equal(decoded.family, flow.family);
			assert.equal(decoded.protonum, flow.protonum);
		});
	}
});

describe('requests without attributes', () => {
	const cases: Array<{
		name: string;
		request: Buffer;
		type: number;
		flags: number;
		family: number;
	}> = [
		{
			name: 'a dump of both families',
			request: encodeDumpRequest(3),
			type: C.IPCTNL_MSG_CT_GET,
			flags: C.NLM_F_REQUEST | C.NLM_F_DUMP,
			family: C.AF_UNSPEC,
		},
		{
			name: 'a dump of IPv6 only',
			request: encodeDumpRequest(3, C.AF_INET6),
			type: C.IPCTNL_MSG_CT_GET,
			flags: C.NLM_F_REQUEST | C.NLM_F_DUMP,
			family: C.AF_INET6,
		},
		{
			name: 'per-CPU statistics',
			request: encodeStatsCpuRequest(3),
			type: C.IPCTNL_MSG_CT_GET_STATS_CPU,
			flags: C.NLM_F_REQUEST | C.NLM_F_DUMP,
			family: C.AF_UNSPEC,
		},
		{
			name: 'the global count',
			request: encodeCountRequest(3),
			type: C.IPCTNL_MSG_CT_GET_STATS,
			flags: C.NLM_F_REQUEST | C.NLM_F_ACK,
			family: C.AF_UNSPEC,
		},
	];

	for (const {name, request, type, flags, family} of cases) {
		test(`${name}: header and nfgenmsg only, with its type, flags, seq and family`, () => {
			assert.equal(request.length, C.NLMSG_HDRLEN + C.NFGENMSG_LEN);
			assert.equal(request.readUInt32LE(0), request.length);
			assert.equal(request.readUInt16LE(4), (C.NFNL_SUBSYS_CTNETLINK << 8) | type);
			assert.equal(request.readUInt16LE(6), flags);
			assert.equal(request.readUInt32LE(8), 3);
			assert.equal(request[16], family);
			assert.equal(request[17], C.NFNETLINK_V0);
		});
	}
});
