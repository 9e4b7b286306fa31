import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import type {Flow} from '../../../source/flow/types.js';
import {flowKey} from '../../../source/flow/key.js';
import {sortColumns} from '../../../source/model/sort-columns.js';
import type {FlowTable} from '../../../source/model/table.js';
import {handleKey} from '../../../source/ui/actions/dispatch.js';
import type {KeyResult} from '../../../source/ui/actions/reaction.js';
import {initialState, resolveView, type UiState} from '../../../source/ui/state.js';
import {epoch, makeFlow, tableWith} from '../../helpers/ui-flows.js';

/** Flows 10.0.0.1 .. 10.0.0.n, so the source sort puts flow i at row i - 1. */
function flows(n: number): Flow[] {
	return Array.from({length: n}, (_, i) =>
		makeFlow({id: i + 1, src: `10.0.0.${i + 1}`, dst: '192.0.2.1', dport: 443}),
	);
}

/** Drives the reducer the way the app does: resolve the view of `rows` rows, then apply a key. */
class Driver {
	state: UiState = initialState({sort: 'src', reverse: false, names: false});
	readonly table: FlowTable;

	constructor(
		readonly all: readonly Flow[],
		readonly rows = 5,
	) {
		this.table = tableWith(all, epoch);
	}

	view() {
		return resolveView(this.state, this.table, epoch, this.rows);
	}

	press(...names: string[]): KeyResult {
		let result: KeyResult = {state: this.state, effects: []};
		for (const name of names) {
			result = handleKey(this.state, name, {
				table: this.table,
				now: epoch,
				view: this.view(),
				readOnly: false,
				canDelete: true,
				hasNames: false,
			});
			this.state = result.state;
		}

		return result;
	}

	/** The cursor's row index and the first row on screen, as the next frame resolves them. */
	where(): {index: number; top: number} {
		const {index, top} = this.view();
		return {index, top};
	}

	keyOf(i: number): string {
		return flowKey(this.all[i]);
	}
}

describe('moving the cursor', () => {
	test('down and up move one row, and stop at the ends', () => {
		const ui = new Driver(flows(3));
		ui.press('j');
		assert.deepEqual(ui.where(), {index: 1, top: 0});
		ui.press('j', 'j', 'j');
		assert.deepEqual(ui.where(), {index: 2, top: 0});
		ui.press('k', 'k', 'k', 'k');
		assert.deepEqual(ui.where(), {index: 0, top: 0});
	});

	test('the cursor follows its flow by key: the state names the row it is on', () => {
		const ui = new Driver(flows(4));
		ui.press('down', 'down');
		assert.equal(ui.state.cursorKey, ui.keyOf(2));
		assert.equal(ui.view().key, ui.keyOf(2));
	});

	test('moving past the last row on screen scrolls by one row, not a page', () => {
		const ui = new Driver(flows(12), 5);
		ui.press('j', 'j', 'j', 'j');
		assert.deepEqual(ui.where(), {index: 4, top: 0});
		ui.press('j');
		assert.deepEqual(ui.where(), {index: 5, top: 1});
		ui.press('k', 'k', 'k', 'k');
		assert.deepEqual(ui.where(), {index: 1, top: 1});
		ui.press('k');
		assert.deepEqual(ui.where(), {index: 0, top: 0});
	});

	test('page down and page up move a screen less one row, clamped to the ends', () => {
		const ui = new Driver(flows(12), 5);
		ui.press('pagedown');
		assert.deepEqual(ui.where(), {index: 4, top: 0});
		ui.press('pagedown');
		assert.deepEqual(ui.where(), {index: 8, top: 4});
		ui.press('pagedown', 'pagedown');
		assert.deepEqual(ui.where(), {index: 11, top: 7});
		ui.press('pageup');
		assert.deepEqual(ui.where(), {index: 7, top: 7});
		ui.press('pageup', 'pageup', 'pageup');
		assert.deepEqual(ui.where(), {index: 0, top: 0});
	});

	test('end and home jump to the last and the first row', () => {
		const ui = new Driver(flows(12), 5);
		ui.press('end');
		assert.deepEqual(ui.where(), {index: 11, top: 7});
		assert.equal(ui.state.cursorKey, ui.keyOf(11));
		ui.press('home');
		assert.deepEqual(ui.where(), {index: 0, top: 0});
	});

	test('keys in an empty table move nothing and break nothing', () => {
		const ui = new Driver([]);
		const result = ui.press('j', 'end', 'pageup', 'space');
		assert.deepEqual(result.effects, []);
		assert.deepEqual(ui.where(), {index: 0, top: 0});
		assert.equal(ui.state.tagged.size, 0);
	});
});

describe('sorting', () => {
	test('b and B step through the sort columns both ways, wrapping around', () => {
		const ui = new Driver(flows(3));
		const at = sortColumns.indexOf('src');
		ui.press('b');
		assert.equal(ui.state.sort, sortColumns[at + 1]);
		ui.press('B', 'B');
		assert.equal(ui.state.sort, sortColumns[at - 1]);
		for (let i = 0; i < sortColumns.length; i++) ui.press('b');
		assert.equal(ui.state.sort, sortColumns[at - 1]);
	});

	test('r reverses the sort and the cursor stays on its flow where it lands', () => {
		const ui = new Driver(flows(4));
		ui.press('j');
		ui.press('r');
		assert.equal(ui.state.reverse, true);
		assert.equal(ui.view().key, ui.keyOf(1));
		assert.equal(ui.where().index, 2, 'flow 2 of 4 is third from the end');
		ui.press('r');
		assert.equal(ui.state.reverse, false);
		assert.equal(ui.where().index, 1);
	});

	test('sort keys produce no effect for the app to carry out', () => {
		const ui = new Driver(flows(2));
		assert.deepEqual(ui.press('b').effects, []);
		assert.deepEqual(ui.press('r').effects, []);
	});
});

describe('tags', () => {
	test('Space tags the flow under the cursor and moves down; again untags it', () => {
		const ui = new Driver(flows(3));
		ui.press('space');
		assert.deepEqual([...ui.state.tagged], [ui.keyOf(0)]);
		assert.equal(ui.where().index, 1);
		ui.press('space');
		assert.deepEqual(new Set(ui.state.tagged), new Set([ui.keyOf(0), ui.keyOf(1)]));
		ui.press('k', 'space');
		assert.deepEqual([...ui.state.tagged], [ui.keyOf(0)]);
	});

	test('a tags every flow, u untags all, each with a message', () => {
		const ui = new Driver(flows(4));
		ui.press('a');
		assert.equal(ui.state.tagged.size, 4);
		assert.match(ui.state.message!.text, /tagged 4 flows/);
		ui.press('u');
		assert.equal(ui.state.tagged.size, 0);
		assert.match(ui.state.message!.text, /untagged all/);
	});

	test('tags follow flows, not rows: a re-sort keeps the same flows tagged', () => {
		const ui = new Driver(flows(4));
		ui.press('space', 'space');
		const tagged = new Set(ui.state.tagged);
		ui.press('r', 'b');
		assert.deepEqual(new Set(ui.state.tagged), tagged);
	});
});
