import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {describe, test} from 'node:test';
import {flowToJson} from '../../source/flow/json.js';
import type {Flow} from '../../source/flow/types.js';
import * as C from '../../source/kernel/constants.js';
import {decodeDatagram} from '../../source/kernel/decode-datagram.js';
import {decodeFlow} from '../../source/kernel/decode-flow.js';
import {
	encodeCountRequest,
	encodeDeleteRequest,
	encodeDumpRequest,
} from '../../source/kernel/encode.js';
import type {CodecError, CodecErrorKind} from '../../source/kernel/errors.js';
import {parseConntrackList} from '../helpers/conntrack-list.js';
import {assertFlowsMatchList, assertVariety} from '../helpers/compare-flows.js';

interface Fixture {
	datagrams: string[];
	conntrackList?: string;
}

function fixture(name: string): Fixture {
	return JSON.parse(
		readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8'),
	) as Fixture;
}

const dumpFixture = fixture('dump-variety.json');
const eventsFixture = fixture('events-tcp.json');

/** Decodes datagrams, collecting flows, errors and the end of the dump. */
function decodeAll(datagrams: readonly Buffer[]) {
	const flows: Array<{flow: Flow; msgType: number; flags: number}> = [];
	const errors: CodecError[] = [];
	let done = false;
	for (const datagram of datagrams) {
		decodeDatagram(datagram, {
			flow: (flow, msgType, flags) => flows.push({flow, msgType, flags}),
			error: (error) => errors.push(error),
			done: () => {
				done = true;
			},
		});
	}

	return {flows, errors, done};
}

const dumpBuffers = dumpFixture.datagrams.map((hex) => Buffer.from(hex, 'hex'));

/** The first flow message of the dump fixture, as its own buffer. */
function firstMessage(): Buffer {
	const length = dumpBuffers[0].readUInt32LE(0);
	return Buffer.from(dumpBuffers[0].subarray(0, length));
}

/** Top-level attributes of a single-message buffer: type, offset and length of each. */
function attributes(message: Buffer): Array<{type: number; offset: number; length: number}> {
	const out = [];
	let offset = C.NLMSG_HDRLEN + C.NFGENMSG_LEN;
	while (offset + 4 <= message.length) {
		const length = message.readUInt16LE(offset);
		out.push({type: message.readUInt16LE(offset + 2) & C.NLA_TYPE_MASK, offset, length});
		offset += (length + 3) & ~3;
	}

	return out;
}

function attribute(message: Buffer, type: number) {
	const found = attributes(message).find((a) => a.type === type);
	assert.ok(found, `attribute ${type} present`);
	return found;
}

describe('decoding a dump captured from the kernel', () => {
	test('every flow equals the conntrack -L listing captured with it', () => {
		const {flows, errors, done} = decodeAll(dumpBuffers);
		assert.deepEqual(errors, []);
		assert.ok(done, 'the dump ended with NLMSG_DONE');
		const listed = parseConntrackList(dumpFixture.conntrackList!);
		assertVariety(
			assertFlowsMatchList(
				flows.map((f) => flowToJson(f.flow)),
				listed,
			),
		);
	});

	test('IPv4 addresses are kept as numbers and IPv6 addresses as 16-byte copies', () => {
		const {flows} = decodeAll(dumpBuffers);
		const v4 = flows.find((f) => f.flow.family === 'ipv4')!.flow;
		const v6 = flows.find((f) => f.flow.family === 'ipv6')!.flow;
		assert.equal(typeof v4.original.src, 'number');
		assert.ok(v6.original.src instanceof Uint8Array);
		assert.equal(v6.original.src.length, 16);
		assert.equal(v6.original.src.buffer.byteLength, 16, 'not a view into the datagram');
	});
});

describe('decoding events captured from the kernel', () => {
	test('one TCP connection reads as NEW, UPDATEs, then DESTROY with states in order', () => {
		const {flows, errors} = decodeAll(
			eventsFixture.datagrams.map((hex) => Buffer.from(hex, 'hex')),
		);
		assert.deepEqual(errors, []);
		const ours = flows.filter((f) => f.flow.original.dport === 8095);
		const kinds = ours.map((f) =>
			f.msgType === C.IPCTNL_MSG_CT_DELETE ? 'destroy' : f.flags & 0x400 ? 'new' : 'update',
		);
		assert.equal(kinds[0], 'new');
		assert.equal(kinds.at(-1), 'destroy');
		assert.ok(kinds.slice(1, -1).every((k) => k === 'update'));
		const states = ours.map((f) => f.flow.state).filter((s) => s !== undefined);
		assert.equal(states[0], 'SYN_SENT');
		assert.ok(states.indexOf('ESTABLISHED') < states.indexOf('TIME_WAIT'));
		const destroy = ours.at(-1)!.flow;
		assert.ok(
			destroy.counters && destroy.counters.original.packets > 0,
			'DESTROY carries the final counters',
		);
	});
});

describe('malformed input yields error values, never exceptions', () => {
	const cases: Array<{
		name: string;
		mutate: (m: Buffer) => Buffer;
		kind: CodecErrorKind;
		attribute?: string;
	}> = [
		{
			name: 'a datagram cut in the middle of a message',
			mutate: (m) => m.subarray(0, m.length - 10),
			kind: 'bad-message-length',
		},
		{
			name: 'a message length below the header size',
			mutate: (m) => {
				m.writeUInt32LE(8, 0);
				return m;
			},
			kind: 'bad-message-length',
		},
		{
			name: 'an attribute length below its header size',
			mutate: (m) => {
				m.writeUInt16LE(2, attribute(m, C.CTA_STATUS).offset);
				return m;
			},
			kind: 'bad-attribute-length',
			attribute: 'CTA_STATUS',
		},
		{
			name: 'an attribute length past the end of the message',
			mutate: (m) => {
				m.writeUInt16LE(0xfff0, attribute(m, C.CTA_TIMEOUT).offset);
				return m;
			},
			kind: 'bad-attribute-length',
			attribute: 'CTA_TIMEOUT',
		},
		{
			name: 'a nested address attribute whose length lies',
			mutate: (m) => {
				// CTA_TUPLE_ORIG's first child is CTA_TUPLE_IP; its first child is the source address.
				const tuple = attribute(m, C.CTA_TUPLE_ORIG);
				m.writeUInt16LE(200, tuple.offset + 4 + 4);
				return m;
			},
			kind: 'bad-attribute-length',
			attribute: 'CTA_TUPLE_ORIG/CTA_TUPLE_IP',
		},
		{
			name: 'a status attribute too short for a u32',
			mutate: (m) => {
				m.writeUInt16LE(6, attribute(m, C.CTA_STATUS).offset);
				return m;
			},
			kind: 'short-attribute',
			attribute: 'CTA_STATUS',
		},
		{
			name: 'a message whose original tuple was renamed to an unknown type',
			mutate: (m) => {
				m.writeUInt16LE(0x8000 | 200, attribute(m, C.CTA_TUPLE_ORIG).offset + 2);
				return m;
			},
			kind: 'missing-tuple',
			attribute: 'CTA_TUPLE_ORIG',
		},
	];

	for (const {name, mutate, kind, attribute: path} of cases) {
		test(`${name} gives '${kind}'`, () => {
			const {flows, errors} = decodeAll([mutate(firstMessage())]);
			assert.equal(flows.length, 0);
			assert.equal(errors.length, 1);
			assert.equal(errors[0].kind, kind);
			if (path) assert.equal(errors[0].attribute, path);
		});
	}

	test('a bad message costs only itself: the next messages still decode', () => {
		const message = firstMessage();
		const bad = Buffer.from(message);
		bad.writeUInt16LE(6, attribute(bad, C.CTA_STATUS).offset);
		const {flows, errors} = decodeAll([Buffer.concat([bad, message, message])]);
		assert.equal(errors.length, 1);
		assert.equal(flows.length, 2);
	});

	test('every truncation of every captured datagram decodes without throwing and ends', () => {
		for (const datagram of dumpBuffers) {
			const whole = decodeAll([datagram]).flows.length;
			for (let cut = 0; cut < datagram.length; cut += 7) {
				const {flows} = decodeAll([datagram.subarray(0, cut)]);
				assert.ok(flows.length <= whole);
			}
		}
	});

	test('unknown attributes are skipped and the flow decodes the same', () => {
		const message = firstMessage();
		const unknown = Buffer.from([8, 0, 99, 0, 1, 2, 3, 4]);
		const extended = Buffer.concat([message, unknown]);
		extended.writeUInt32LE(extended.length, 0);
		const a = decodeAll([message]).flows[0].flow;
		const skipped: number[] = [];
		let b: Flow | undefined;
		decodeDatagram(extended, {flow: (flow) => (b = flow), unknown: (type) => skipped.push(type)});
		assert.deepEqual(b, a);
		assert.deepEqual(skipped, [99], 'the skipped attribute is counted');
	});

	test('a flow body without its nfgenmsg is an error value', () => {
		const result = decodeFlow(Buffer.alloc(2), 0, 2);
		assert.equal((result as CodecError).kind, 'truncated-header');
	});
});

describe('request encoders', () => {
	test('the dump request asks ctnetlink for every family in one dump', () => {
		const request = encodeDumpRequest(7);
		assert.equal(request.readUInt32LE(0), request.length);
		assert.equal(request.readUInt16LE(4), (C.NFNL_SUBSYS_CTNETLINK << 8) | C.IPCTNL_MSG_CT_GET);
		assert.equal(request.readUInt16LE(6), C.NLM_F_REQUEST | C.NLM_F_DUMP);
		assert.equal(request.readUInt32LE(8), 7);
		assert.equal(request[16], C.AF_UNSPEC);
	});

	test('the count request asks for global stats with an ACK', () => {
		const request = encodeCountRequest(1);
		assert.equal(request.readUInt16LE(4) & 0xff, C.IPCTNL_MSG_CT_GET_STATS);
		assert.equal(request.readUInt16LE(6), C.NLM_F_REQUEST | C.NLM_F_ACK);
	});

	test('the delete request carries the original tuple, CTA_ID and zone, and decodes back', () => {
		const {flows} = decodeAll(dumpBuffers);
		const flow = flows.map((f) => f.flow).find((f) => f.zone === 7)!;
		const request = encodeDeleteRequest(flow, 3);
		assert.equal(request.readUInt16LE(4) & 0xff, C.IPCTNL_MSG_CT_DELETE);
		assert.equal(request[16], C.AF_INET);
		const types = attributes(request).map((a) => a.type);
		assert.deepEqual(types, [C.CTA_TUPLE_ORIG, C.CTA_ID, C.CTA_ZONE]);
		assert.equal(request.readUInt32BE(attribute(request, C.CTA_ID).offset + 4), flow.id);
		assert.equal(request.readUInt16BE(attribute(request, C.CTA_ZONE).offset + 4), 7);
		// Give it a reply tuple (the original again) and it must decode to the same original.
		const orig = attribute(request, C.CTA_TUPLE_ORIG);
		const replyCopy = Buffer.from(request.subarray(orig.offset, orig.offset + orig.length));
		replyCopy.writeUInt16LE(C.NLA_F_NESTED | C.CTA_TUPLE_REPLY, 2);
		const body = Buffer.concat([request.subarray(C.NLMSG_HDRLEN), replyCopy]);
		const decoded = decodeFlow(body, 0, body.length) as Flow;
		assert.deepEqual(decoded.original, flow.original);
		assert.equal(decoded.id, flow.id);
		assert.equal(decoded.zone, 7);
	});
});
