import assert from 'node:assert/strict';
import {test} from 'node:test';
import {FlowStore} from '../../source/model/store.js';
import {Tombstones} from '../../source/model/tombstones.js';
import {syntheticFlows} from '../helpers/synthetic-flows.js';

/** A store holding `n` flows, each closed at the time given for its slot. */
function closedStore(closedAt: readonly number[]): {store: FlowStore; tombstones: Tombstones} {
	const store = new FlowStore(16);
	const tombstones = new Tombstones(1000);
	for (const [i, flow] of syntheticFlows(closedAt.length, 3).entries()) {
		const slot = store.allocate(flow, 0);
		assert.equal(slot, i);
		store.close(slot, closedAt[i]);
		tombstones.closed(slot, closedAt[i]);
	}

	return {store, tombstones};
}

function due(tombstones: Tombstones, store: FlowStore, now: number): number[] {
	const slots: number[] = [];
	for (let slot = tombstones.nextDue(now, store); slot !== -1;) {
		slots.push(slot);
		store.release(slot);
		tombstones.left();
		slot = tombstones.nextDue(now, store);
	}

	return slots;
}

test('tombstones come due closedMs after they closed, oldest first, each once', () => {
	const {store, tombstones} = closedStore([100, 200, 300]);
	assert.equal(tombstones.count, 3);
	assert.deepEqual(due(tombstones, store, 1099), []);
	assert.deepEqual(due(tombstones, store, 1200), [0, 1]);
	assert.deepEqual(due(tombstones, store, 5000), [2]);
	assert.equal(tombstones.count, 0);
	assert.equal(tombstones.isDue(300, 1300), true);
	assert.equal(tombstones.isDue(300, 1299), false);
});

test('a slot freed and reused before its time is skipped, not expired', () => {
	const {store, tombstones} = closedStore([100, 200]);
	store.release(0);
	tombstones.left();
	const reused = store.allocate(syntheticFlows(1, 4)[0], 150);
	assert.equal(reused, 0);
	assert.deepEqual(due(tombstones, store, 5000), [1]);
	assert.equal(store.flows[0] !== undefined, true);
});
