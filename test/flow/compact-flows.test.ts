import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {CompactFlows} from '../../source/flow/compact-flows.js';
import type {Flow} from '../../source/flow/types.js';
import {decodeDatagram} from '../../source/kernel/decode-datagram.js';
import {syntheticFlows} from '../helpers/synthetic-flows.js';

/** A flow's fields as plain data (undefined ones left out, as the JSON form leaves them). */
function plain(flow: Flow): unknown {
	return JSON.parse(
		JSON.stringify(flow, (_key, value: unknown) =>
			value instanceof Uint8Array ? [...value] : value,
		),
	);
}

test('synthetic flows come back from their compact records field for field, in any order', () => {
	const flows = syntheticFlows(20_000, 7);
	const list = new CompactFlows();
	for (const flow of flows) list.add(flow);
	assert.equal(list.length, flows.length);
	for (const i of [19_999, 0, 12_345, 1])
		assert.deepEqual(plain(list.get(i)), plain(flows[i]), `flow ${i}`);
	for (let i = 0; i < flows.length; i++) assert.deepEqual(plain(list.get(i)), plain(flows[i]));
});

test('optional fields keep being absent, null or present: helper, labels, zones, stop, no counters', () => {
	const base = syntheticFlows(1, 3)[0];
	const variants: Flow[] = [
		{
			...base,
			status: undefined,
			state: undefined,
			timeout: undefined,
			mark: undefined,
			use: undefined,
			counters: undefined,
			nat: undefined,
		},
		{
			...base,
			state: null,
			nat: 'both',
			helper: 'ftp',
			labels: [0, 5, 127],
			start: 1_764_000_000_123.456,
			stop: 1_764_000_100_000,
		},
		{
			...base,
			labels: [],
			helper: '',
			original: {...base.original, zone: 7},
			reply: {...base.reply, zone: 9},
			zone: 7,
		},
		{...base, proto: 'unknown', protonum: 253, id: 0xffffffff, mark: 0xffffffff, nat: 'dnat'},
	];
	const list = new CompactFlows();
	for (const flow of variants) list.add(flow);
	variants.forEach((flow, i) => assert.deepEqual(plain(list.get(i)), plain(flow), `variant ${i}`));
});

test('an IPv6 address comes back as its own 16 bytes, not a view into the list', () => {
	const address = Uint8Array.from({length: 16}, (_, i) => i + 1);
	const base = syntheticFlows(1, 5)[0];
	const flow: Flow = {
		...base,
		family: 'ipv6',
		original: {...base.original, src: address, dst: address},
		reply: {...base.reply, src: address, dst: address},
	};
	const list = new CompactFlows();
	list.add(flow);
	const back = list.get(0);
	assert.deepEqual(back.original.src, address);
	// The reply mirrors the original, and is rebuilt from it: still arrays of its own.
	assert.notEqual(back.reply.src, back.original.dst);
	assert.deepEqual(back.reply.src, address);
	(back.original.src as Uint8Array)[0] = 99;
	(back.original.dst as Uint8Array)[0] = 98;
	assert.equal((back.reply.dst as Uint8Array)[0], 1);
	assert.equal((back.reply.src as Uint8Array)[0], 1);
	assert.equal((list.get(0).original.src as Uint8Array)[0], 1);
});

test('numbers at the edges of their fields come back exactly: u32 maxima, negative ICMP fields, counters past 2^32 and 2^53, fractional times', () => {
	const base = syntheticFlows(1, 9)[0];
	const flow: Flow = {
		...base,
		id: 0xffffffff,
		status: 0xffffffff,
		timeout: 0xffffffff,
		mark: 0x80000000,
		use: 0,
		zone: 0xffff,
		original: {...base.original, sport: 0xffff, icmpType: -1, icmpCode: 255, icmpId: -2},
		reply: {...base.reply, dport: 0, icmpType: 0, icmpCode: -1, icmpId: 0x7fffffff},
		counters: {
			original: {packets: 2 ** 32 + 1, bytes: 2 ** 53 + 2},
			reply: {packets: 0, bytes: 2 ** 64},
		},
		start: 1_764_000_000_123.25,
		stop: -0.5,
	};
	const list = new CompactFlows();
	list.add(flow);
	assert.deepEqual(plain(list.get(0)), plain(flow));
	assert.equal(list.get(0).counters?.reply.bytes, 2 ** 64);
});

test('flows decoded from a captured dump (IPv6, SCTP, zones, NAT) come back field for field, in the key order the decoder gives', () => {
	const {datagrams} = JSON.parse(
		readFileSync(new URL('../fixtures/dump-variety.json', import.meta.url), 'utf8'),
	) as {datagrams: string[]};
	const decoded: Flow[] = [];
	for (const hex of datagrams)
		decodeDatagram(Buffer.from(hex, 'hex'), {flow: (flow) => decoded.push(flow)});
	assert.ok(decoded.some((flow) => flow.family === 'ipv6'));
	assert.ok(decoded.some((flow) => flow.zone !== 0));
	const list = new CompactFlows();
	for (const flow of decoded) list.add(flow);
	decoded.forEach((flow, i) => {
		const back = list.get(i);
		assert.deepEqual(plain(back), plain(flow), `flow ${i}`);
		// One object shape for the printers, whichever path a flow took.
		assert.deepEqual(Object.keys(back), Object.keys(flow));
		assert.deepEqual(Object.keys(back.original), Object.keys(flow.original));
	});
});

test('a flow read by its position, after its records were read ahead, is the flow read by index', () => {
	const flows = syntheticFlows(5000, 12);
	const list = new CompactFlows();
	for (const flow of flows) list.add(flow);
	const positions = Uint32Array.from({length: flows.length}, (_, i) =>
		list.positionOf(flows.length - 1 - i),
	);
	list.prefetch(positions, 0, positions.length);
	positions.forEach((position, i) => {
		assert.deepEqual(plain(list.at(position)), plain(flows[flows.length - 1 - i]));
	});
});
