import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import type {Flow} from '../../source/flow/types.js';
import * as C from '../../source/kernel/constants.js';
import {encodeGetBatch, encodeGetOne} from '../../source/kernel/encode-get.js';
import {encodeGetRequest} from '../../source/kernel/encode.js';
import {makeFlow} from '../helpers/synthetic-flows.js';

const flows: Array<{name: string; flow: Flow}> = [
	{name: 'TCP over IPv4', flow: makeFlow({id: 7})},
	{
		name: 'UDP over IPv6',
		flow: makeFlow({proto: 'udp', src: 'fd00::1', dst: 'fd00::53', dport: 53}),
	},
	{name: 'ICMP', flow: makeFlow({proto: 'icmp'})},
	{name: 'ICMPv6', flow: makeFlow({proto: 'icmpv6'})},
	{name: 'SCTP in zone 7', flow: makeFlow({proto: 'sctp', zone: 7})},
	{name: 'GRE (no ports)', flow: makeFlow({proto: 'gre'})},
	{
		name: 'a tuple that carries its own zone',
		flow: {...makeFlow({id: 9}), original: {...makeFlow().original, zone: 3}},
	},
];

describe('the batched re-read request', () => {
	for (const {name, flow} of flows) {
		test(`writes the same bytes as the generic encoder: ${name}`, () => {
			assert.deepEqual(encodeGetOne(flow, 41), encodeGetRequest(flow, 41));
		});
	}

	test('is every GET without NLM_F_ACK, in order, then one acknowledged GET_STATS', () => {
		const list = flows.map((entry) => entry.flow);
		const batch = encodeGetBatch(list, 100);
		let offset = 0;
		for (const [i, flow] of list.entries()) {
			const one = encodeGetOne(flow, 100 + i);
			// The generic request asks for an ACK; the batch does not (see encodeGetBatch).
			one.writeUInt16LE(C.NLM_F_REQUEST, 6);
			assert.deepEqual(batch.subarray(offset, offset + one.length), one, `message ${i}`);
			offset += one.length;
		}

		assert.equal(batch.length - offset, C.NLMSG_HDRLEN + C.NFGENMSG_LEN);
		assert.equal(batch.readUInt16LE(offset + 4) & 0xff, C.IPCTNL_MSG_CT_GET_STATS);
		assert.equal(batch.readUInt16LE(offset + 6), C.NLM_F_REQUEST | C.NLM_F_ACK);
		assert.equal(batch.readUInt32LE(offset + 8), 100 + list.length);
	});

	test('sequence numbers wrap at 2^32', () => {
		const batch = encodeGetBatch([makeFlow(), makeFlow()], 0xffffffff);
		const second = batch.readUInt32LE(0);
		assert.equal(batch.readUInt32LE(8), 0xffffffff);
		assert.equal(batch.readUInt32LE(second + 8), 0);
	});
});
