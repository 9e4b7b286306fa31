import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';
import {groupNumber, NumberIndex, numberLabel} from '../../source/cli/group-numbers.js';
import type {Flow} from '../../source/flow/types.js';
import {decodeDatagram} from '../../source/kernel/decode-datagram.js';
import {groupLabel, type GroupBy} from '../../source/model/group.js';
import {syntheticFlows} from '../helpers/synthetic-flows.js';

const groupings: GroupBy[] = ['src', 'dst', 'nat', 'src24', 'dport', 'proto', 'state'];

/** Synthetic flows, the captured variety dump, and protocols with and without ports. */
function sampleFlows(): Flow[] {
	const {datagrams} = JSON.parse(
		readFileSync(new URL('../fixtures/dump-variety.json', import.meta.url), 'utf8'),
	) as {datagrams: string[]};
	const flows = syntheticFlows(3000, 21);
	for (const hex of datagrams)
		decodeDatagram(Buffer.from(hex, 'hex'), {flow: (flow) => flows.push(flow)});
	const base = flows[0];
	for (const protonum of [0, 2, 47, 50, 51, 132, 136, 253, 255])
		for (const dport of [0, 7, 65_535])
			flows.push({...base, protonum, original: {...base.original, dport}});
	return flows;
}

test("a group's number gives back its label, and labels of different numbers differ", () => {
	const flows = sampleFlows();
	for (const by of groupings) {
		const labelOf = new Map<number, string>();
		const numberOf = new Map<string, number>();
		for (const flow of flows) {
			const number = groupNumber(flow, by);
			if (number === -1) continue;
			const label = groupLabel(flow, by);
			assert.equal(numberLabel(number, by), label, `${by} ${number}`);
			assert.equal(labelOf.get(number) ?? label, label);
			assert.equal(numberOf.get(label) ?? number, number, `${by}: ${label} from two numbers`);
			labelOf.set(number, label);
			numberOf.set(label, number);
		}

		for (const flow of flows) {
			if (groupNumber(flow, by) !== -1) continue;
			const label = groupLabel(flow, by);
			assert.ok(!numberOf.has(label), `${by}: ${label} with and without a number`);
		}
	}
});

test('the number index finds every group it was given, across growth, 0 and 2^32 - 1 included', () => {
	const index = new NumberIndex();
	const numbers = [0, 0xffffffff, 1, 0x0a000001];
	for (let i = 0; i < 50_000; i++) numbers.push((0x0a000000 + i * 256) >>> 0);
	numbers.forEach((number, g) => {
		assert.equal(index.get(number), -1);
		index.add(number, g);
	});
	numbers.forEach((number, g) => {
		assert.equal(index.get(number), g);
	});
	assert.equal(index.get(0x0a000002), -1);
});
