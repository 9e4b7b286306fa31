import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import type {Flow} from '../../source/flow/types.js';
import {flowKey} from '../../source/flow/key.js';
import {initialState, resolveView, type UiState} from '../../source/ui/state.js';
import {epoch, makeFlow, tableWith} from '../helpers/ui-flows.js';

function flows(n: number): Flow[] {
	return Array.from({length: n}, (_, i) =>
		makeFlow({id: i + 1, src: `10.0.0.${i + 1}`, dst: '192.0.2.1', dport: 443}),
	);
}

/** The state with the cursor on `flows[index]` and `top` as the last frame left it. */
function cursorOn(all: readonly Flow[], index: number, top: number): UiState {
	return {
		...initialState({sort: 'src', reverse: false, names: false}),
		cursorKey: flowKey(all[index]),
		cursorIndex: index,
		top,
	};
}

/** After tombstones are gone: the table keeps a destroyed flow 3 s by default. */
const later = epoch + 10_000;

describe('resolving the view: where the cursor is and what is on screen', () => {
	test('the cursor is found by its key wherever its flow now sorts', () => {
		const all = flows(6);
		const table = tableWith(all, epoch);
		const state = {...cursorOn(all, 4, 0), reverse: true};
		const view = resolveView(state, table, epoch, 10);
		assert.equal(view.index, 1);
		assert.equal(view.key, flowKey(all[4]));
	});

	test('when its flow is gone the cursor stays at the same row, clamped to the last', () => {
		const all = flows(6);
		const table = tableWith(all, epoch);
		table.applyEvent({type: 'destroy', flow: all[2], time: epoch}, epoch);
		let view = resolveView(cursorOn(all, 2, 0), table, later, 10);
		assert.equal(view.index, 2);
		assert.equal(view.key, flowKey(all[3]), 'the next flow moved up under the cursor');
		table.applySnapshot(all.slice(0, 2), later);
		view = resolveView(cursorOn(all, 5, 0), table, later + 10_000, 10);
		assert.equal(view.index, 1);
		assert.equal(view.key, flowKey(all[1]));
	});

	test('a shorter screen scrolls the least that keeps the cursor on it', () => {
		const all = flows(20);
		const table = tableWith(all, epoch);
		const view = resolveView(cursorOn(all, 12, 0), table, epoch, 5);
		assert.deepEqual([view.index, view.top], [12, 8]);
		assert.equal(view.page.rows.length, 5);
		assert.equal(view.page.rows.at(-1)!.key, flowKey(all[12]));
	});

	test('a cursor above the screen scrolls it up to the cursor row', () => {
		const all = flows(20);
		const view = resolveView(cursorOn(all, 3, 10), tableWith(all, epoch), epoch, 5);
		assert.deepEqual([view.index, view.top], [3, 3]);
	});

	test('a table that shrank below the screen is drawn from its first row', () => {
		const all = flows(20);
		const table = tableWith(all, epoch);
		table.applySnapshot(all.slice(0, 4), epoch);
		const view = resolveView(cursorOn(all, 2, 12), table, later, 5);
		assert.deepEqual([view.index, view.top, view.total], [2, 0, 4]);
	});

	test('an empty view has the cursor at 0 and no key', () => {
		const view = resolveView(cursorOn(flows(1), 0, 3), tableWith([], epoch), epoch, 5);
		assert.deepEqual([view.index, view.top, view.total, view.key], [0, 0, 0, undefined]);
	});
});
