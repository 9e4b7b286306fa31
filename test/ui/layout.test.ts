import assert from 'node:assert/strict';
import {test} from 'node:test';
import {paneHeight} from '../../source/ui/event-log.js';
import {headerHeight} from '../../source/ui/header.js';
import {footerHeight, minimumSize, promptHeight, screenLayout} from '../../source/ui/layout.js';

test('with room for them all, the parts of the screen add up to one row less than the terminal', () => {
	for (const rows of [20, 24, 50]) {
		for (const prompt of [false, true]) {
			for (const pane of [undefined, 'half', 'most', 'third'] as const) {
				const layout = screenLayout({columns: 100, rows, prompt, pane});
				const sum =
					headerHeight + layout.promptRows + layout.bodyHeight + layout.paneRows + footerHeight;
				assert.equal(sum, rows - 1, `${rows} rows, prompt ${prompt}, pane ${pane}`);
			}
		}
	}
});

test('an 80x24 terminal gives the table 16 rows under its title, 14 with the prompt open', () => {
	assert.deepEqual(screenLayout({columns: 80, rows: 24, prompt: false, pane: undefined}), {
		tooSmall: false,
		promptRows: 0,
		bodyRows: 16,
		bodyHeight: 17,
		paneRows: 0,
	});
	const typing = screenLayout({columns: 80, rows: 24, prompt: true, pane: undefined});
	assert.equal(typing.promptRows, promptHeight);
	assert.equal(typing.bodyRows, 14);
});

test('the event pane takes its share of what the header, prompt and footer leave', () => {
	const available = 24 - 1 - headerHeight - 1 - footerHeight;
	for (const size of ['half', 'most', 'third'] as const) {
		const layout = screenLayout({columns: 80, rows: 24, prompt: false, pane: size});
		assert.equal(layout.paneRows, paneHeight(size, available));
		assert.equal(layout.bodyRows, available - layout.paneRows);
	}
});

test('the table keeps at least one row however little room there is', () => {
	const layout = screenLayout({columns: 80, rows: minimumSize.rows, prompt: true, pane: 'most'});
	assert.equal(layout.bodyRows, 1);
	assert.equal(layout.tooSmall, false);
});

test('below the minimum size in either direction the screen is too small', () => {
	const {columns, rows} = minimumSize;
	assert.equal(
		screenLayout({columns: columns - 1, rows, prompt: false, pane: undefined}).tooSmall,
		true,
	);
	assert.equal(
		screenLayout({columns, rows: rows - 1, prompt: false, pane: undefined}).tooSmall,
		true,
	);
	assert.equal(screenLayout({columns, rows, prompt: false, pane: undefined}).tooSmall, false);
});
