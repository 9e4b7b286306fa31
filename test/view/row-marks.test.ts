import assert from 'node:assert/strict';
import {test} from 'node:test';
import {IPS_OFFLOAD} from '../../source/flow/status.js';
import type {FlowRow} from '../../source/model/table.js';
import {helpLines} from '../../source/ui/help-lines.js';
import {chooseColumns, type Column} from '../../source/view/column-layout.js';
import {formatFlowRow} from '../../source/view/row-format.js';
import {stateTone} from '../../source/view/flow-cells.js';
import {stateTones} from '../../source/view/row-marks.js';
import {epoch, makeFlow, tableWith} from '../helpers/ui-flows.js';

/** The cells of a formatted row, by column id. */
function cells(line: string, columns: readonly Column[]): Map<string, string> {
	const out = new Map<string, string>();
	let at = 0;
	for (const column of columns) {
		out.set(column.id, [...line].slice(at, at + column.width).join(''));
		at += column.width + 1;
	}

	return out;
}

/** Rows in every condition the renderer draws differently. */
function rows(): FlowRow[] {
	const nat = [
		{id: 1, src: '10.0.0.1', dst: '10.0.0.2'},
		{id: 2, src: '10.0.0.1', dst: '10.0.0.2', snat: {address: '192.0.2.1', port: 1000}},
		{id: 3, src: '10.0.0.1', dst: '10.0.0.2', dnat: {address: '192.0.2.2', port: 80}},
		{
			id: 4,
			src: '10.0.0.1',
			dst: '10.0.0.2',
			snat: {address: '192.0.2.1', port: 1000},
			dnat: {address: '192.0.2.2', port: 80},
		},
		{id: 5, src: '10.0.0.1', dst: '10.0.0.2', status: 0b1110 | IPS_OFFLOAD},
		{id: 6, src: '10.0.0.1', dst: '10.0.0.2', noCounters: true},
		{id: 7, src: '2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff', dst: '2001:db8::2'},
	].map((spec) => makeFlow(spec));
	const table = tableWith(nat, epoch);
	table.applyEvent(
		{type: 'new', flow: makeFlow({id: 8, src: '10.0.0.3', dst: '10.0.0.4'}), time: epoch},
		epoch,
	);
	const closing = makeFlow({id: 9, src: '10.0.0.5', dst: '10.0.0.6'});
	table.applyEvent({type: 'new', flow: closing, time: epoch}, epoch);
	table.applyEvent({type: 'destroy', flow: closing, time: epoch}, epoch);
	return table.query({sort: 'src', rows: 20}, epoch).rows;
}

test('every mark a row can show is explained in the help legend', () => {
	const help = helpLines(undefined).map((line) => line.text);
	const legend = help.slice(help.indexOf('Row marks and colours') + 1);
	const explained = (mark: string) =>
		legend.some((line) => line.startsWith(`  ${mark} `) || line.startsWith(`  ${mark},`));

	const seen = new Set<string>();
	for (const width of [60, 80, 100]) {
		const columns = chooseColumns(width, {counters: true});
		for (const row of rows()) {
			for (const tagged of [false, true]) {
				for (const removed of [false, true]) {
					const line = formatFlowRow(row, columns, width, {tagged, removed});
					const cell = cells(line, columns);
					for (const char of cell.get('tag') ?? '') seen.add(char);
					seen.add((cell.get('natKind') ?? '').trim());
					seen.add((cell.get('nat') ?? '').charAt(0));
					for (const id of ['bytes', 'rate', 'packets']) {
						if (cell.get(id)?.trim() === '-') seen.add('-');
					}

					if (line.includes('…')) seen.add('…');
					const state = (cell.get('state') ?? '').trim();
					if (width === 60 && state) seen.add(state);
				}
			}
		}
	}

	seen.delete('');
	seen.delete(' ');
	const marks = [...seen].filter((mark) => mark.length === 1);
	assert.deepEqual(marks.sort(), ['*', '+', '-', 'B', 'D', 'S', 'o', '…'].sort());
	for (const mark of marks) assert.ok(explained(mark), `${mark} is in the legend`);
	assert.ok(explained('ESTAB'), 'short state names are explained');
	assert.ok(seen.has('ESTAB'));
	assert.ok(
		legend.some((line) => /bold/.test(line)),
		'bold (new) rows',
	);
	assert.ok(
		legend.some((line) => /dim/.test(line)),
		'dim (leaving) rows',
	);
});

test('every colour a state is drawn in is in the legend', () => {
	const legend = helpLines(undefined)
		.map((line) => line.text)
		.join('\n');
	const tones = new Set(stateTones.flatMap(({states}) => states.map((state) => stateTone(state))));
	assert.ok(tones.size >= 4);
	for (const tone of tones) assert.match(legend, new RegExp(`^ {2}${tone} +state: `, 'm'));
});
