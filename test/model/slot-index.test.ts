import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import fc from 'fast-check';
import {flowKey} from '../../source/flow/key.js';
import type {Flow} from '../../source/flow/types.js';
import {SlotIndex} from '../../source/model/slot-index.js';
import {FlowStore} from '../../source/model/store.js';
import {FlowTable} from '../../source/model/table.js';
import {arbitraryFlow, makeFlow, syntheticFlows} from '../helpers/synthetic-flows.js';

const t0 = 1_700_000_000_000;

/** A store holding `flows` in slots 0.., and an index over it with every one of them inserted. */
function indexOf(flows: readonly Flow[]): {index: SlotIndex; store: FlowStore} {
	const store = new FlowStore(16);
	const index = new SlotIndex(store);
	for (const flow of flows) index.insert(store.allocate(flow, t0));
	return {index, store};
}

/** 20k distinct flows that all carry id 0, as a router's /proc/net/nf_conntrack gives them. */
function idlessFlows(): Flow[] {
	return syntheticFlows(20_000, 7).map((flow) => ({...flow, id: 0}));
}

describe('SlotIndex', () => {
	test('spreads 20k flows that share id 0: every lookup visits a handful of positions, not a chain of 20k', () => {
		const flows = idlessFlows();
		assert.equal(new Set(flows.map((flow) => flowKey(flow))).size, flows.length, 'distinct flows');
		const {index} = indexOf(flows);
		const stats = index.probeStats();
		assert.equal(stats.entries, 20_000);
		// Linear probing at a load of at most 1/2 averages about 1.5 positions per lookup; hashed
		// on the id alone these flows would average 10k and the longest would visit all 20k.
		assert.ok(stats.mean < 3, `mean ${stats.mean}`);
		assert.ok(stats.longest < 100, `longest ${stats.longest}`);
		for (const [slot, flow] of flows.entries()) {
			assert.equal(index.find(flow), slot);
			assert.equal(index.findKey(flowKey(flow)), slot);
		}
	});

	test('keeps lookups short after removing half the flows (backward shift, no tombstones)', () => {
		const flows: Array<Flow | undefined> = idlessFlows();
		const {index, store} = indexOf(flows as Flow[]);
		for (let slot = 0; slot < flows.length; slot += 2) {
			index.remove(slot);
			store.release(slot);
			flows[slot] = undefined;
		}

		const stats = index.probeStats();
		assert.equal(stats.entries, 10_000);
		assert.ok(stats.mean < 3, `mean ${stats.mean}`);
		for (const [slot, flow] of flows.entries()) {
			if (flow) assert.equal(index.find(flow), slot);
		}

		assert.equal(index.find({...flows[1]!, id: 1}), -1, 'another id is another flow');
	});

	test('finds a flow by its key exactly when it finds it by the flow, whatever the flow', () => {
		fc.assert(
			fc.property(fc.array(arbitraryFlow, {maxLength: 60}), arbitraryFlow, (list, probe) => {
				const flows: Flow[] = [];
				const keys = new Set<string>();
				for (const flow of list) {
					if (keys.has(flowKey(flow))) continue;
					keys.add(flowKey(flow));
					flows.push(flow);
				}

				const {index} = indexOf(flows);
				for (const [slot, flow] of flows.entries()) {
					assert.equal(index.find(flow), slot);
					assert.equal(index.findKey(flowKey(flow)), slot);
				}

				const expected = flows.findIndex((flow) => flowKey(flow) === flowKey(probe));
				assert.equal(index.find(probe), expected);
				assert.equal(index.findKey(flowKey(probe)), expected);
			}),
		);
	});
});

describe('a table of flows without ids', () => {
	test('holds 20k flows sharing id 0 as 20k rows, each found by key, updated and destroyed on its own', () => {
		const flows = idlessFlows();
		const table = new FlowTable();
		assert.deepEqual(table.applySnapshot(flows, t0), {added: 20_000, updated: 0, closed: 0});
		assert.deepEqual(table.applySnapshot(flows, t0 + 1000), {
			added: 0,
			updated: 20_000,
			closed: 0,
		});
		for (const flow of flows.slice(0, 100)) assert.ok(table.row(flowKey(flow), t0 + 1000));

		const [first, second] = flows;
		table.applyEvent({type: 'destroy', flow: first, time: t0 + 2000}, t0 + 2000);
		assert.equal(table.row(flowKey(first), t0 + 2000)?.closed, true);
		assert.equal(table.row(flowKey(second), t0 + 2000)?.closed, false);
		const stranger = makeFlow({id: 0, src: '198.51.100.7', sport: 1});
		assert.equal(table.row(flowKey(stranger), t0 + 2000), undefined);
	});
});
