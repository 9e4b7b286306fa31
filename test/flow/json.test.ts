import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {flowJsonBound, writeFlowJson} from '../../source/flow/json-bytes.js';
import {eventToJson, flowJsonText, flowToJson} from '../../source/flow/json.js';
import {makeFlow, syntheticFlows} from '../helpers/synthetic-flows.js';

describe('flowToJson', () => {
	test('writes a port flow with every documented key, ports and no ICMP fields', () => {
		const flow = makeFlow({
			id: 7,
			replyDst: '203.0.113.1',
			replyDport: 61_000,
			status: 0b1_1000_1110,
			packets: [3, 2],
			bytes: [300, 200],
			start: Date.UTC(2026, 0, 1),
			helper: 'ftp',
			nat: 'snat',
		});
		assert.deepEqual(flowToJson(flow), {
			id: 7,
			family: 'ipv4',
			proto: 'tcp',
			protonum: 6,
			state: 'ESTABLISHED',
			timeout: 100,
			original: {src: '10.0.0.1', dst: '192.0.2.1', sport: 40_000, dport: 443},
			reply: {src: '192.0.2.1', dst: '203.0.113.1', sport: 443, dport: 61_000},
			flags: ['SEEN_REPLY', 'ASSURED', 'CONFIRMED', 'SRC_NAT_DONE', 'DST_NAT_DONE'],
			nat: 'snat',
			mark: 0,
			zone: 0,
			use: 1,
			counters: {original: {packets: 3, bytes: 300}, reply: {packets: 2, bytes: 200}},
			start: '2026-01-01T00:00:00.000Z',
			helper: 'ftp',
			labels: [],
		});
	});

	test('gives ICMP tuples type, code and id instead of ports, and GRE neither', () => {
		const icmp = flowToJson(makeFlow({proto: 'icmpv6', sport: 5}));
		assert.deepEqual(icmp.original, {
			src: '2001:db8::1',
			dst: '2001:db8::2',
			type: 8,
			code: 0,
			id: 5,
		});
		const gre = flowToJson(makeFlow({proto: 'gre'}));
		assert.deepEqual(gre.original, {src: '10.0.0.1', dst: '192.0.2.1'});
	});

	test('says null for what the message did not carry, never leaves a key out', () => {
		const flow = {...makeFlow(), timeout: undefined, status: undefined, state: undefined};
		const json = flowToJson(flow);
		assert.equal(json.timeout, null);
		assert.equal(json.state, null);
		assert.equal(json.counters, null);
		assert.equal(json.start, null);
		assert.equal(json.helper, null);
		assert.deepEqual(json.flags, []);
	});
});

test('eventToJson stamps the event with its type and ISO time around the flow', () => {
	const flow = makeFlow();
	const time = Date.UTC(2026, 0, 1, 12);
	assert.deepEqual(eventToJson({type: 'destroy', flow, time}), {
		event: 'destroy',
		time: '2026-01-01T12:00:00.000Z',
		flow: flowToJson(flow),
	});
});

test('flowJsonText writes exactly JSON.stringify(flowToJson(flow)), odd fields included', () => {
	const base = makeFlow({});
	const flows = [
		...syntheticFlows(5000, 11),
		makeFlow({proto: 'icmpv6', sport: 5}),
		makeFlow({proto: 'gre'}),
		{
			...base,
			status: undefined,
			state: undefined,
			timeout: undefined,
			mark: undefined,
			use: undefined,
			nat: undefined,
			counters: undefined,
		},
		{
			...base,
			state: null,
			helper: 'f"t\\p ü',
			labels: [1, 64],
			start: 1_764_000_000_123.456,
			proto: 'unknown',
		},
		{
			...base,
			counters: {original: {packets: 2 ** 53 + 2, bytes: 1e21}, reply: {packets: 0, bytes: 0}},
		},
	];
	for (const flow of flows) assert.equal(flowJsonText(flow), JSON.stringify(flowToJson(flow)));
});

test('writeFlowJson writes the bytes of flowJsonText, and leaves odd numbers and names to it', () => {
	const base = makeFlow({});
	const ordinary = [
		...syntheticFlows(5000, 12),
		makeFlow({proto: 'icmpv6', sport: 5}),
		makeFlow({proto: 'gre'}),
		{
			...base,
			status: undefined,
			state: undefined,
			timeout: undefined,
			mark: undefined,
			use: undefined,
			nat: undefined,
			counters: undefined,
		},
		{
			...base,
			state: null,
			helper: 'ftp',
			labels: [1, 64],
			start: 1_764_000_000_123.456,
			proto: 'unknown',
			nat: 'both' as const,
		},
		{
			...base,
			id: 0xffffffff,
			mark: 0x80000000,
			counters: {original: {packets: 2 ** 53 - 1, bytes: 2 ** 40}, reply: {packets: 0, bytes: 0}},
		},
	];
	const buffer = Buffer.alloc(4096);
	for (const flow of ordinary) {
		const end = writeFlowJson(buffer, 3, flow);
		assert.ok(end - 3 <= flowJsonBound(flow));
		assert.equal(buffer.toString('latin1', 3, end), flowJsonText(flow));
	}

	for (const odd of [
		{...base, helper: 'f"tp'},
		{...base, state: 'ÉTABLI'},
		{...base, counters: {original: {packets: 1e21, bytes: 0}, reply: {packets: 0, bytes: 0}}},
	])
		assert.equal(writeFlowJson(buffer, 0, odd), -1);
});

test('writeFlowJson writes IPv6, ICMP, NAT, labels, helpers and start times of any second as JSON.stringify does', () => {
	const starts = [
		Date.UTC(2026, 11, 2, 2, 0, 45, 82),
		Date.UTC(2026, 11, 2, 2, 0, 45, 999),
		Date.UTC(2026, 11, 2, 2, 0, 46, 1),
		Date.UTC(2026, 11, 2, 2, 0, 45, 7) + 0.999,
		Date.UTC(1999, 11, 31, 23, 59, 59, 999),
		Date.UTC(2000, 1, 29, 12),
		// The same slot of the per-second cache, 1024 seconds apart.
		Date.UTC(2026, 0, 1) + 1024_000,
		Date.UTC(2026, 0, 1),
		0,
		-1.5,
		-86_400_000 * 365,
		Date.UTC(9999, 11, 31, 23, 59, 59, 999),
		Date.UTC(10_000, 0, 1),
		8.64e15,
	];
	const flows = [
		...starts.map((start) => makeFlow({start, packets: [1, 2], bytes: [60, 120]})),
		makeFlow({src: '2001:db8::1', dst: '::ffff:192.0.2.7', sport: 1, dport: 65_535}),
		makeFlow({src: '::', dst: '2001:db8:0:0:1::1', proto: 'udp', state: null}),
		makeFlow({proto: 'icmp', sport: 77, state: null, start: starts[0]}),
		makeFlow({proto: 'icmpv6', sport: 0, state: null}),
		makeFlow({replySrc: '10.9.9.9', nat: 'dnat', status: 0b10_0000_1110, mark: 0x2a}),
		makeFlow({replyDst: '203.0.113.9', replyDport: 1024, nat: 'both', zone: 7}),
		{...makeFlow({helper: 'ftp', start: starts[2]}), labels: [0, 31, 32, 127]},
		{...makeFlow({helper: 'sip'}), labels: []},
		{...makeFlow({proto: 'sctp', state: 'COOKIE_ECHOED'}), counters: undefined},
		{...makeFlow({proto: 'gre'}), status: undefined, timeout: undefined, use: undefined},
	];
	const buffer = Buffer.alloc(4096);
	for (const flow of flows) {
		const end = writeFlowJson(buffer, 1, flow);
		assert.ok(end - 1 <= flowJsonBound(flow));
		assert.equal(buffer.toString('latin1', 1, end), JSON.stringify(flowToJson(flow)));
	}

	assert.throws(() => writeFlowJson(buffer, 0, makeFlow({start: 8.64e15 + 1})), RangeError);
	assert.throws(() => flowToJson(makeFlow({start: 8.64e15 + 1})), RangeError);
});
