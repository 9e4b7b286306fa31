/* eslint-disable no-control-regex -- the colour tests match the SGR escapes Ink writes, which start with ESC */
import assert from 'node:assert/strict';
import {afterEach, describe, test} from 'node:test';
import type {Flow} from '../../source/flow/types.js';
import {parseFilter, type Filter} from '../../source/model/filter.js';
import {burstMs} from '../../source/ui/kernel-rates.js';
import {epoch, makeFlow, tableWith, waitFor} from '../helpers/ui-flows.js';
import {keys, renderApp, stripAnsi} from '../helpers/ui-render.js';

/** `text` parsed, as the CLI hands --filter to the TUI. */
function filterOf(text: string): Filter {
	const parsed = parseFilter(text);
	assert.ok(parsed.ok, text);
	return parsed.filter;
}

const flows: Flow[] = [
	makeFlow({id: 1, src: '10.0.0.1', dst: '8.8.8.8', sport: 5001, dport: 443, timeout: 300}),
	makeFlow({
		id: 2,
		src: '10.0.0.2',
		dst: '1.1.1.1',
		sport: 5002,
		dport: 80,
		state: 'SYN_SENT',
		status: 0b1000,
		timeout: 120,
	}),
	makeFlow({
		id: 3,
		proto: 'udp',
		src: '10.0.0.3',
		dst: '9.9.9.9',
		sport: 5003,
		dport: 53,
		status: 0b1000,
		timeout: 30,
	}),
	makeFlow({
		id: 4,
		src: '10.0.0.4',
		dst: '93.184.216.34',
		sport: 5004,
		dport: 443,
		snat: {address: '203.0.113.1', port: 61_000},
		timeout: 600,
	}),
	makeFlow({id: 5, src: '10.0.0.5', dst: '8.8.8.8', sport: 5005, dport: 22, state: 'TIME_WAIT'}),
];

/** Thirty flows from 10.0.1.1 up, for paging. */
function manyFlows(): Flow[] {
	return Array.from({length: 30}, (_, i) =>
		makeFlow({id: 100 + i, src: `10.0.1.${i + 1}`, dst: '10.9.9.9', sport: 6000 + i, dport: 443}),
	);
}

let app: ReturnType<typeof renderApp> | undefined;
function start(...args: Parameters<typeof renderApp>) {
	app = renderApp(...args);
	return app;
}

afterEach(() => {
	app?.unmount();
	app = undefined;
});

/** The table rows of the frame: the lines after the column titles that look like flows. */
function rowLines(text: string): string[] {
	const lines = text.split('\n');
	const titles = lines.findIndex((line) => line.includes('Proto') && line.includes('Source'));
	return lines.slice(titles + 1).filter((line) => / (tcp|udp|icmp) /.test(line));
}

describe('the screen', () => {
	test('shows the header, the column titles and one row per flow, sorted, cursor on the first', async () => {
		const ui = start(flows);
		const text = await ui.frame('10.0.0.5:5005');
		const lines = text.split('\n');
		assert.match(lines[0], /^conntop {2}router1 {2}flows 5\/5/);
		assert.match(lines[1], /tcp 4 {2}udp 1/);
		assert.match(lines[2], /sort src↑ {2}no filter/);
		assert.match(text, /Proto Source↑ +Destination +NAT +State +TTL/);
		assert.deepEqual(
			rowLines(text).map((line) => line.match(/10\.0\.0\.\d/)![0]),
			['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5'],
		);
		assert.match(ui.cursorLine()!, /10\.0\.0\.1:5001/);
		assert.match(text, /q quit {2}h help {2}\/ filter/);
		assert.ok(lines.length <= 23, 'the frame leaves the last terminal row free');
	});

	test('states have their colours and NATed flows show the translated endpoint', async () => {
		const ui = start(flows);
		await ui.frame('10.0.0.5:5005');
		assert.match(ui.rawLine('10.0.0.2:5002')!, /\u001B\[33m/, 'SYN_SENT yellow');
		assert.match(ui.rawLine('10.0.0.3:5003')!, /\u001B\[35m/, 'UNREPLIED magenta');
		assert.match(ui.rawLine('10.0.0.5:5005')!, /\u001B\[90m/, 'TIME_WAIT gray');
		assert.match(ui.rawLine('10.0.0.4:5004')!, /S 203\.0\.113\.1:61000/);
	});

	test('with colour off there are no colour escapes, and the cursor is still drawn inverse', async () => {
		const ui = start(flows, {options: {color: false}});
		await ui.frame('10.0.0.5:5005');
		assert.doesNotMatch(ui.raw(), /\u001B\[(3\d|9\d|4\d|10\d)m/);
		assert.match(ui.cursorLine()!, /10\.0\.0\.1/);
	});

	test('TTLs count down as the clock ticks', async () => {
		const ui = start(flows);
		await ui.frame((t) => /10\.0\.0\.1:5001.*5:00/.test(t));
		ui.clock.advance(1000);
		await ui.frame((t) => /10\.0\.0\.1:5001.*4:59/.test(t), 'TTL 4:59');
		ui.clock.advance(60_000);
		await ui.frame((t) => /10\.0\.0\.1:5001.*3:59/.test(t), 'TTL 3:59');
	});

	test('new flows are bold and closed flows dimmed and marked', async () => {
		const ui = start(flows);
		await ui.frame('10.0.0.5:5005');
		const fresh = makeFlow({id: 9, src: '10.0.0.9', dst: '1.2.3.4', sport: 5009});
		ui.table.applyEvent({type: 'new', flow: fresh, time: epoch}, ui.clock.now());
		ui.table.applyEvent({type: 'destroy', flow: flows[4], time: epoch}, ui.clock.now());
		ui.sync.emit('changed');
		await ui.frame('10.0.0.9:5009');
		assert.match(ui.rawLine('10.0.0.9:5009')!, /\u001B\[1m/);
		assert.match(ui.rawLine('10.0.0.5:5005')!, /\u001B\[2m/);
		assert.match(ui.text(), / - tcp +10\.0\.0\.5:5005.*closed/);
		assert.match(ui.text(), / \+ tcp +10\.0\.0\.9:5009/);
	});

	test('a terminal that is too small says so, and resizing redraws at once', async () => {
		const ui = start(flows);
		await ui.frame('NAT');
		const stdout = ui.instance.stdout as unknown as {columns: number; emit(e: string): void};
		Object.defineProperty(stdout, 'columns', {value: 50, configurable: true});
		stdout.emit('resize');
		await ui.frame('too small: 50x24, need 60x10 (q quits)');
		Object.defineProperty(stdout, 'columns', {value: 80, configurable: true});
		stdout.emit('resize');
		const text = await ui.frame('10.0.0.1:5001');
		assert.doesNotMatch(text, /NAT/, 'the NAT column drops out at 80 columns');
		assert.match(text, / N State/);
		assert.ok(text.split('\n').every((line) => line.length <= 80));
	});
});

describe('moving', () => {
	test('j, k and the arrows move the cursor one row', async () => {
		const ui = start(flows);
		await ui.frame('10.0.0.5:5005');
		ui.press('j');
		await ui.frame(() => /10\.0\.0\.2/.test(ui.cursorLine() ?? ''), 'cursor on row 2');
		ui.press(keys.down);
		await ui.frame(() => /10\.0\.0\.3/.test(ui.cursorLine() ?? ''), 'cursor on row 3');
		ui.press('k');
		await ui.frame(() => /10\.0\.0\.2/.test(ui.cursorLine() ?? ''), 'back to row 2');
		ui.press(keys.up);
		ui.press(keys.up);
		await ui.frame(() => /10\.0\.0\.1/.test(ui.cursorLine() ?? ''), 'stops at the first row');
	});

	test('End, G, Home and the page keys move far and scroll the view', async () => {
		const ui = start(manyFlows());
		await ui.frame('10.0.1.1:6000');
		ui.press(keys.end);
		await ui.frame(() => /10\.0\.1\.30:/.test(ui.cursorLine() ?? ''), 'cursor on the last flow');
		assert.doesNotMatch(ui.text(), /10\.0\.1\.1:6000/, 'the first rows scrolled away');
		ui.press(keys.home);
		await ui.frame(() => /10\.0\.1\.1:/.test(ui.cursorLine() ?? ''), 'back at the top');
		ui.press(keys.pageDown);
		await ui.frame(() => /10\.0\.1\.16:/.test(ui.cursorLine() ?? ''), 'a page down');
		ui.press(keys.pageUp);
		await ui.frame(() => /10\.0\.1\.1:/.test(ui.cursorLine() ?? ''), 'a page up');
		ui.press('G');
		await ui.frame(() => /10\.0\.1\.30:/.test(ui.cursorLine() ?? ''), 'G goes to the end');
	});

	test('keys typed faster than one read all count', async () => {
		const ui = start(flows);
		await ui.frame('10.0.0.5:5005');
		ui.press('jjj');
		await ui.frame(() => /10\.0\.0\.4/.test(ui.cursorLine() ?? ''), 'three rows down');
	});

	test('the cursor stays on its flow when the order changes under it', async () => {
		const ui = start(flows);
		await ui.frame('10.0.0.5:5005');
		ui.press('jj');
		await ui.frame(() => /10\.0\.0\.3/.test(ui.cursorLine() ?? ''), 'on 10.0.0.3');
		ui.press('r');
		await ui.frame('sort src↓');
		assert.match(ui.cursorLine()!, /10\.0\.0\.3/);
		const before = makeFlow({id: 20, src: '10.0.0.9', dst: '1.1.1.1', sport: 7000});
		ui.table.applyEvent({type: 'new', flow: before, time: epoch}, ui.clock.now());
		ui.sync.emit('changed');
		await ui.frame('10.0.0.9:7000');
		assert.match(ui.cursorLine()!, /10\.0\.0\.3/);
	});
});

describe('sorting', () => {
	test('b and B step through the sort columns and r reverses', async () => {
		const ui = start(flows);
		await ui.frame('sort src↑');
		ui.press('b');
		await ui.frame('sort sport↑');
		ui.press('b');
		await ui.frame('sort dst↑');
		ui.press('B');
		await ui.frame('sort sport↑');
		ui.press('bbbb');
		const text = await ui.frame('sort ttl↑');
		assert.deepEqual(
			rowLines(text).map((line) => line.match(/10\.0\.0\.\d/)![0]),
			['10.0.0.3', '10.0.0.2', '10.0.0.1', '10.0.0.5', '10.0.0.4'],
		);
		assert.match(text, /TTL↑/);
		ui.press('r');
		const reversed = await ui.frame('sort ttl↓');
		assert.deepEqual(
			rowLines(reversed).map((line) => line.match(/10\.0\.0\.\d/)![0]),
			// Ties keep their order when the direction flips: 10.0.0.1 and .5 both have 5:00.
			['10.0.0.4', '10.0.0.1', '10.0.0.5', '10.0.0.2', '10.0.0.3'],
		);
	});
});

describe('filtering', () => {
	test('/ filters as you type with a live count, and Enter keeps the filter', async () => {
		const ui = start(flows);
		await ui.frame('10.0.0.5:5005');
		ui.press('/');
		await ui.frame('Enter keeps it, Esc clears it');
		ui.press('dport:443');
		const typing = await ui.frame('2 match');
		assert.match(typing, /filter dport:443/);
		assert.deepEqual(rowLines(typing).length, 2);
		ui.press(keys.enter);
		const kept = await ui.frame((t) => !t.includes('Enter keeps it'), 'prompt closed');
		assert.match(kept, /flows 2\/5/);
		assert.match(kept.split('\n')[2], /filter dport:443/);
	});

	test('each keystroke filters in the frame that echoes it: no frame shows the text with the old rows', async () => {
		const ui = start(flows);
		await ui.frame('10.0.0.5:5005');
		ui.press('/');
		await ui.frame('Enter keeps it, Esc clears it');
		const typed = [
			{text: 'filter 5', rows: 5},
			{text: 'filter 50', rows: 5},
			{text: 'filter 500', rows: 5},
			{text: 'filter 5003', rows: 1},
			{text: 'filter 500 ', rows: 5},
		];
		for (const [i, key] of ['5', '0', '0', '3', keys.backspace].entries()) {
			ui.press(key);
			await ui.frame(`${typed[i].text} `);
		}

		for (const {text, rows} of typed) {
			const frames = ui.instance.frames
				.map((frame) => stripAnsi(frame))
				.filter((frame) => frame.split('\n').some((line) => line.startsWith(`${text} `)));
			assert.ok(frames.length > 0, `a frame shows '${text}'`);
			for (const frame of frames) assert.equal(rowLines(frame).length, rows, text);
		}
	});

	test('/ builds the text index in slices while the prompt is open, and only then; words then find what a fresh table finds', async () => {
		// 40k flows: the index takes several slices to build.
		const big = Array.from({length: 40_000}, (_, i) =>
			makeFlow({id: i + 1, src: `10.1.${i >> 8}.${i & 255}`, dst: '192.0.2.1', sport: 1024 + i}),
		);
		const ui = start(big);
		await ui.frame('flows 40,000/40,000');
		assert.equal(ui.table.textSearchReady, false, 'no index before anyone filters');
		ui.press('/');
		await ui.frame('Enter keeps it, Esc clears it');
		const builds = await waitFor(
			() => ui.table.stats.textIndexBuilds,
			() => ui.table.textSearchReady,
			5000,
			'the index built',
		);
		assert.ok(builds > 1, `built in ${builds} chunks`);
		const fresh = tableWith(big, epoch);
		let typed = '';
		for (const key of ['7', '7', '3']) {
			typed += key;
			ui.press(key);
			const parsed = parseFilter(typed);
			assert.ok(parsed.ok);
			const expected = fresh.query({sort: 'src', rows: 0, filter: parsed.filter}, epoch).total;
			await ui.frame(
				(t) => t.includes(`filter ${typed} `) && t.includes(`  ${expected} match`),
				`${typed}: ${expected} match`,
			);
		}
	});

	test('a word typed before the index is built still ends with the right rows', async () => {
		const big = Array.from({length: 40_000}, (_, i) =>
			makeFlow({id: i + 1, src: `10.1.${i >> 8}.${i & 255}`, dst: '192.0.2.1', sport: 1024 + i}),
		);
		const ui = start(big);
		await ui.frame('flows 40,000/40,000');
		// One read: the prompt opens and the word is typed before any slice of the build runs.
		ui.press('/10.1.7.');
		const parsed = parseFilter('10.1.7.');
		assert.ok(parsed.ok);
		const expected = tableWith(big, epoch).query(
			{sort: 'src', rows: 0, filter: parsed.filter},
			epoch,
		).total;
		assert.equal(expected, 256);
		const text = await ui.frame(`  ${expected} match`);
		assert.ok(rowLines(text).every((line) => line.includes('10.1.7.')));
	});

	test('an invalid filter shows the error under the text and keeps the last valid filter', async () => {
		const ui = start(flows);
		await ui.frame('10.0.0.5:5005');
		ui.press('/dport:53');
		await ui.frame('1 match');
		ui.press('x');
		const text = await ui.frame('the table keeps the last valid filter');
		const lines = text.split('\n');
		const promptRow = lines.findIndex((line) => line.startsWith('filter dport:53x'));
		assert.ok(promptRow > 0);
		assert.match(
			lines[promptRow + 1],
			/^ {13}\^ '53x' is not a port number/,
			'the caret points at the value',
		);
		assert.equal(rowLines(text).length, 1, 'dport:53 still in force');
		// One state on screen: the header counts and names the filter in force, said once.
		assert.match(text, /flows 1\/5/);
		assert.match(text, /filter dport:53(?!x)/);
		assert.doesNotMatch(text, /no filter|match/);
		ui.press(keys.enter);
		await ui.frame('the filter has an error');
		ui.press(keys.backspace);
		await ui.frame('  1 match');
		ui.press(keys.enter);
		await ui.frame((t) => /flows 1\/5/.test(t) && !t.includes('Enter keeps it'), 'kept');
	});

	test('an invalid filter before any valid one says the table shows every flow', async () => {
		const ui = start(flows);
		await ui.frame('10.0.0.5:5005');
		ui.press('/dport:x');
		const text = await ui.frame('the table shows every flow');
		assert.match(text, /flows 5\/5/);
		assert.match(text, /no filter/);
	});

	test('a partial address narrows while typing: src:10.0.1 is 10.0.1.0/24', async () => {
		const ui = start([...flows, ...manyFlows().slice(0, 3)]);
		await ui.frame('10.0.0.5:5005');
		ui.press('/src:10.0.1');
		const text = await ui.frame('3 match');
		assert.doesNotMatch(text, /not an IP address/);
		assert.match(text, /flows 3\/8/);
	});

	test('arrows and PgDn move the table cursor while the prompt is open, valid or not', async () => {
		const ui = start(manyFlows());
		await ui.frame('10.0.1.1:6000');
		ui.press('/src:10.0.1');
		await ui.frame('30 match');
		ui.press(keys.pageDown);
		const paged = await ui.frame(() => !ui.cursorLine()?.includes('10.0.1.1:6000'), 'moved');
		assert.match(paged, /filter src:10\.0\.1/, 'still typing');
		const after = ui.cursorLine();
		ui.press('/');
		await ui.frame('the table keeps the last valid filter');
		ui.press(keys.down);
		await ui.frame(() => ui.cursorLine() !== after, 'moved while invalid');
		ui.press(keys.up);
		await ui.frame(() => ui.cursorLine() === after, 'back up');
		assert.match(ui.text(), /filter src:10\.0\.1\/ /, 'the arrows typed nothing');
	});

	test('Esc clears the filter', async () => {
		const ui = start(flows, {options: {filter: filterOf('proto:udp')}});
		await ui.frame('flows 1/5');
		ui.press('/');
		await ui.frame('filter proto:udp');
		ui.press(keys.escape);
		const text = await ui.frame('flows 5/5');
		assert.match(text, /no filter/);
	});

	test('Ctrl-U erases what was typed', async () => {
		const ui = start(flows);
		await ui.frame('10.0.0.5:5005');
		ui.press('/dport:22');
		await ui.frame('1 match');
		ui.press(keys.ctrlU);
		await ui.frame('5 match');
	});
});

describe('tagging and deleting', () => {
	test('Space tags the flow and moves on; a tags all matching; u untags', async () => {
		const ui = start(flows);
		await ui.frame('10.0.0.5:5005');
		ui.press(keys.space);
		await ui.frame('1 tagged');
		assert.match(ui.text(), /^\* {2}tcp +10\.0\.0\.1:5001/m);
		assert.match(ui.cursorLine()!, /10\.0\.0\.2/);
		ui.press('a');
		await ui.frame('5 tagged');
		ui.press('u');
		await ui.frame((t) => !/\d tagged/.test(t), 'no tags');
	});

	test('with --no-confirm, x deletes the flow under the cursor at once and reports it with the log path', async () => {
		const ui = start(flows, {options: {confirm: false}});
		await ui.frame('10.0.0.5:5005');
		ui.press('j');
		await ui.frame(() => /10\.0\.0\.2/.test(ui.cursorLine() ?? ''), 'on row 2');
		ui.press('x');
		await ui.frame('deleted 1, log: /var/log/conntop-test.jsonl');
		assert.equal(ui.calls.length, 1);
		assert.equal(ui.calls[0][0].id, 2);
	});

	test('a deleted flow shows as deleted until the table drops it', async () => {
		const ui = start(flows, {options: {confirm: false}});
		await ui.frame('10.0.0.5:5005');
		ui.press('x');
		const text = await ui.frame('deleted 1');
		assert.match(text, /^ - tcp +10\.0\.0\.1:5001 .*deleted$/m);
		assert.match(ui.rawLine('10.0.0.1:5001')!, /\u001B\[2m/);
		ui.table.applyEvent({type: 'destroy', flow: flows[0], time: epoch}, ui.clock.now());
		ui.clock.advance(4000);
		await ui.frame((t) => !t.includes('10.0.0.1:5001'), 'the flow gone');
	});

	test('failures and already-gone flows are reported with the reason', async () => {
		const ui = start(flows, {
			answer: (batch) => ({
				deleted: 0,
				gone: 1,
				failed: [{flow: batch[0], reason: 'EPERM'}],
			}),
			options: {confirm: false},
		});
		await ui.frame('10.0.0.5:5005');
		ui.press('x');
		const text = await ui.frame('failed 1');
		assert.match(
			text,
			/deleted 0, already gone 1, failed 1: EPERM for tcp 10\.0\.0\.1:5001 → 8\.8\.8\.8:443/,
		);
		assert.match(ui.rawLine('failed 1')!, /\u001B\[31m/);
		assert.doesNotMatch(ui.text(), /deleted$/m, 'a flow that failed is not marked deleted');
	});

	test('D asks before deleting the tagged flows, showing how many and the first ones', async () => {
		const ui = start(flows);
		await ui.frame('10.0.0.5:5005');
		ui.press(' j ');
		await ui.frame('2 tagged');
		ui.press('D');
		const dialog = await ui.frame('Delete 2 flows (the tagged ones)?');
		assert.match(dialog, /tcp 10\.0\.0\.1:5001 → 8\.8\.8\.8:443 ESTABLISHED/);
		assert.match(dialog, /tcp 10\.0\.0\.3:5003|udp 10\.0\.0\.3:5003/);
		assert.match(dialog, /y deletes them, n or Esc keeps them/);
		ui.press('n');
		await ui.frame('nothing deleted');
		assert.equal(ui.calls.length, 0);
		ui.press('D');
		await ui.frame('Delete 2 flows');
		ui.press('y');
		await ui.frame('deleted 2, log:');
		assert.deepEqual(
			ui.calls[0].map((flow) => flow.id),
			[1, 3],
		);
		assert.doesNotMatch(ui.text(), /tagged/);
	});

	test('D without tags deletes what the filter matches, and refuses without a filter', async () => {
		const ui = start(flows);
		await ui.frame('10.0.0.5:5005');
		ui.press('D');
		await ui.frame('nothing tagged and no filter');
		ui.press('/dport:443\r');
		await ui.frame('flows 2/5');
		ui.press('D');
		await ui.frame('Delete 2 flows (all that match "dport:443")?');
		ui.press('y');
		await ui.frame('deleted 2');
		assert.deepEqual(ui.calls[0].map((flow) => flow.id).sort(), [1, 4]);
	});

	test('read-only turns every deleting key into a notice and greys them in the help', async () => {
		const ui = start(flows, {options: {readOnly: true}});
		await ui.frame('10.0.0.5:5005');
		ui.press('x');
		await ui.frame('read-only: deleting is disabled');
		ui.press('D');
		await ui.frame('read-only: deleting is disabled');
		assert.equal(ui.calls.length, 0);
		assert.match(ui.rawLine('x delete')!, /\u001B\[2mx/, 'footer hint greyed');
		ui.press('?');
		await ui.frame('conntop keys');
		ui.press('j'.repeat(20));
		await ui.frame('delete the flow at the cursor');
		assert.match(ui.rawLine('delete the flow at the cursor')!, /\u001B\[2m/);
		assert.match(
			ui.text(),
			/delete the flow at the cursor \(asks first, unless --no-confirm\) {2}\(read-only/,
		);
	});

	test('without root the deleting keys say they need root', async () => {
		const ui = start(flows, {options: {canDelete: false}});
		await ui.frame('10.0.0.5:5005');
		ui.press('x');
		await ui.frame('needs root: deleting is disabled');
		assert.equal(ui.calls.length, 0);
	});
});

describe('views and overlays', () => {
	test('Enter opens the flow details with the NAT in words, and Esc closes them', async () => {
		const ui = start(flows);
		await ui.frame('10.0.0.5:5005');
		ui.press('jjj\r');
		const text = await ui.frame('Flow details');
		assert.match(
			text,
			/NAT +10\.0\.0\.4:5004 talks to 93\.184\.216\.34:443; the server sees it as 203\.0\.113\.1:61000/,
		);
		assert.match(text, /Original +src=10\.0\.0\.4 dst=93\.184\.216\.34 sport=5004 dport=443/);
		assert.match(text, /TTL +10:00 left/);
		assert.match(text, /Esc\/Enter\/q back to the table/);
		ui.press('jjjjjjjjjjjj');
		const scrolled = await ui.frame((t) => /^Use +1$/m.test(t), 'scrolled to the end');
		assert.doesNotMatch(scrolled, /^Flow +tcp/m);
		ui.press(keys.escape);
		await ui.frame((t) => !t.includes('Flow details') && t.includes('Proto'), 'table back');
	});

	test('x in the details asks about that flow, and y deletes it', async () => {
		const ui = start(flows);
		await ui.frame('10.0.0.5:5005');
		ui.press('jj\r');
		await ui.frame('Flow details');
		ui.press('x');
		await ui.frame('Delete udp 10.0.0.3:5003 → 9.9.9.9:53');
		ui.press('y');
		await ui.frame('deleted 1');
		assert.equal(ui.calls[0][0].id, 3);
	});

	test('h and ? open the help made from the keymap, Esc closes it', async () => {
		const ui = start(flows);
		await ui.frame('10.0.0.5:5005');
		ui.press('h');
		const help = await ui.frame('conntop keys');
		assert.match(help, /↓ j +next row/);
		assert.match(help, /b +sort by the next column/);
		ui.press(keys.escape);
		await ui.frame((t) => !t.includes('conntop keys'), 'help closed');
		ui.press('?');
		await ui.frame('conntop keys');
		ui.press('jjj');
		await ui.frame((t) => !/↓ j +next row/.test(t), 'help scrolled');
		ui.press('q');
		await ui.frame((t) => !t.includes('conntop keys'), 'q closes the help');
		assert.deepEqual(ui.exits, []);
	});

	test('a grouped start sorts the groups by the group sort column asked for', async () => {
		const ui = start(flows, {options: {group: 'dst', sort: 'key'}});
		const text = await ui.frame('grouped by dst');
		assert.match(text, /sort key↑/);
		const labels = text.split('\n').filter((line) => /^\d+\.\d+\.\d+\.\d+ +\d/.test(line));
		assert.deepEqual(
			labels.map((line) => line.split(' ')[0]),
			['1.1.1.1', '8.8.8.8', '9.9.9.9', '93.184.216.34'],
		);
	});

	test('g groups by source, destination and port; Enter on a group filters on it', async () => {
		const ui = start(flows);
		await ui.frame('10.0.0.5:5005');
		ui.press('g');
		const bySource = await ui.frame('grouped by src');
		assert.match(bySource, /Source +Flows↓/);
		assert.match(bySource, /groups 5 of 5 flows/);
		ui.press('g');
		const byDestination = await ui.frame('grouped by dst');
		assert.match(byDestination, /^8\.8\.8\.8 +2 /m);
		assert.match(ui.cursorLine()!, /^8\.8\.8\.8/);
		ui.press(keys.enter);
		const filtered = await ui.frame('filter dst:8.8.8.8');
		assert.match(filtered, /flows 2\/5/);
		assert.equal(rowLines(filtered).length, 2);
		ui.press('ggg');
		await ui.frame('grouped by dport');
		ui.press('g');
		await ui.frame((t) => !t.includes('grouped by'), 'grouping off');
	});

	test('e shows the event log pane fed by events, e hides it', async () => {
		const ui = start(flows, {events: true});
		await ui.frame('10.0.0.5:5005');
		ui.press('e');
		await ui.frame('Events, all (0 of 0 kept), newest last');
		ui.events!.send({
			type: 'new',
			flow: makeFlow({id: 50, src: '10.7.7.7', dst: '1.2.3.4', sport: 999}),
			time: epoch,
		});
		ui.events!.send({type: 'destroy', flow: flows[0], time: epoch});
		const text = await ui.frame('[DESTROY]');
		assert.match(text, /\[NEW\] +tcp 10\.7\.7\.7:999 → 1\.2\.3\.4:443 ESTABLISHED/);
		assert.match(text, /\[DESTROY\] tcp 10\.0\.0\.1:5001 → 8\.8\.8\.8:443/);
		ui.press('e');
		await ui.frame((t) => !t.includes('Events, all'), 'pane hidden');
	});

	test('the event pane shows only the events that match the filter, and says so', async () => {
		const ui = start(flows, {events: true, options: {filter: filterOf('dport:53')}});
		await ui.frame('flows 1/5');
		ui.press('e');
		await ui.frame('Events matching dport:53 (0 of 0 kept)');
		ui.events!.send({type: 'new', flow: flows[0], time: epoch});
		ui.events!.send({type: 'update', flow: flows[2], time: epoch});
		const text = await ui.frame('(1 of 2 kept)');
		assert.match(text, /\[UPDATE\] +udp 10\.0\.0\.3:5003 → 9\.9\.9\.9:53/);
		assert.doesNotMatch(text, /\[NEW\]/);
	});

	test('Tab gives the event pane the keys: it scrolls back, pauses, and End follows again', async () => {
		const ui = start(flows, {events: true});
		await ui.frame('10.0.0.5:5005');
		for (let i = 0; i < 20; i++) {
			ui.events!.send({
				type: 'new',
				flow: makeFlow({id: 200 + i, src: `10.5.0.${i + 1}`, dst: '1.2.3.4', sport: 7000 + i}),
				time: epoch,
			});
		}

		ui.press('\t');
		const focused = await ui.frame('Tab: table');
		assert.match(focused, /10\.5\.0\.20:7019/);
		assert.doesNotMatch(focused, /10\.5\.0\.1:7000/);
		ui.press(keys.home);
		const oldest = await ui.frame('10.5.0.1:7000');
		assert.match(oldest, /paused/);
		assert.doesNotMatch(oldest, /10\.5\.0\.20:7019/);
		ui.events!.send({
			type: 'new',
			flow: makeFlow({id: 300, src: '10.6.0.1', dst: '1.2.3.4'}),
			time: epoch,
		});
		const waiting = await ui.frame('1 newer below');
		assert.match(waiting, /10\.5\.0\.1:7000/, 'what is read stays put');
		assert.equal(ui.cursorLine()?.includes('10.0.0.1:5001'), true, 'the table cursor did not move');
		ui.press(keys.end);
		const following = await ui.frame('10.6.0.1');
		assert.match(following, /newest last/);
		ui.press('\t');
		await ui.frame('Tab: scroll');
		ui.press('j');
		await ui.frame(() => ui.cursorLine()?.includes('10.0.0.2:5002') === true, 'table has the keys');
	});

	test('E gives the event pane more of the screen, in steps, and back', async () => {
		const ui = start(flows, {events: true});
		await ui.frame('10.0.0.5:5005');
		const paneLines = (text: string) => {
			const lines = text.split('\n');
			const title = lines.findIndex((line) => line.startsWith('Events, all'));
			const footer = lines.findIndex((line) => line.startsWith('q quit'));
			return title === -1 ? 0 : footer - title - 1;
		};

		ui.press('e');
		const half = paneLines(await ui.frame('Events, all'));
		ui.press('E');
		await ui.frame((t) => paneLines(t) > half, 'grown');
		const most = paneLines(ui.text());
		ui.press('E');
		await ui.frame((t) => paneLines(t) < half, 'a third');
		ui.press('E');
		await ui.frame((t) => paneLines(t) === half, 'half again');
		// At 80x24 the pane used to hold four events.
		assert.ok(half >= 7, `half the screen holds ${half} events`);
		assert.ok(most >= half + 4, `most of the screen holds ${most} events`);
	});

	test('the event pane says when no feed was given', async () => {
		const ui = start(flows);
		await ui.frame('10.0.0.5:5005');
		ui.press('e');
		await ui.frame('no event feed');
	});

	test('n shows DNS names from the resolver, and n again shows addresses', async () => {
		const names = new Map([['8.8.8.8', 'dns.google']]);
		const ui = start(flows, {deps: {resolveName: (address) => names.get(address)}});
		await ui.frame('8.8.8.8:443');
		ui.press('n');
		await ui.frame('dns.google:443');
		ui.press('n');
		await ui.frame('8.8.8.8:443');
	});

	test('c shows and hides the byte and rate columns', async () => {
		const ui = start(flows);
		await ui.frame('10.0.0.5:5005');
		ui.press('c');
		const text = await ui.frame('Bytes');
		assert.match(text, /Rate/);
		assert.match(text, /10\.0\.0\.1:5001 .* 1\.0K +0\/s/);
		ui.press('c');
		await ui.frame((t) => !t.includes('Bytes'), 'counters hidden');
	});

	test('p pauses the screen: PAUSED shows and the TTLs stop until p again', async () => {
		const ui = start(flows);
		await ui.frame((t) => /10\.0\.0\.1:5001.*5:00/.test(t));
		ui.press('p');
		await ui.frame('PAUSED');
		ui.clock.advance(5000);
		// A key still redraws while paused: the frame it makes must show the frozen TTLs.
		ui.press('c');
		const frozen = await ui.frame('Bytes');
		assert.match(frozen, /10\.0\.0\.1:5001.*5:00/);
		ui.press('p');
		await ui.frame((t) => /10\.0\.0\.1:5001.*4:55/.test(t) && !t.includes('PAUSED'), 'resumed');
	});
});

describe('header', () => {
	test('kernel trouble counters show totals since start beside their rates, and the fill bar warns', async () => {
		const ui = start(flows);
		await ui.frame('10.0.0.5:5005');
		const counters = {insert_failed: 10, drop: 0, early_drop: 0, invalid: 100};
		ui.sync.emit('stats', {count: 850, max: 1000, counters});
		await ui.frame('no drops or invalid since start');
		ui.clock.advance(2000);
		const risen = {...counters, insert_failed: 20, invalid: 104};
		ui.sync.emit('stats', {count: 850, max: 1000, counters: risen});
		const text = await ui.frame('since start: insert_failed 10 +5/s invalid 4 +2/s');
		assert.match(text, /\[#########-\] 850\/1,000 85% !/);
		assert.match(ui.rawLine('850/1,000')!, /\u001B\[33m/);
		assert.match(ui.rawLine('insert_failed')!, /\u001B\[31m insert_failed/);

		// The rate falls to 0; the burst stays in red for a while, then its total in yellow.
		ui.clock.advance(1000);
		ui.sync.emit('stats', {count: 990, max: 1000, counters: risen});
		await ui.frame((t) => t.includes('99% FULL') && t.includes('insert_failed 10 invalid 4'));
		assert.match(ui.rawLine('insert_failed')!, /\u001B\[31m/);
		ui.clock.advance(burstMs);
		await ui.frame(
			() => /\u001B\[33m insert_failed 10/.test(ui.rawLine('insert_failed') ?? ''),
			'the total in yellow',
		);
	});

	test('a sync error marks the table stale; resyncs say how many and why', async () => {
		const ui = start(flows);
		await ui.frame('10.0.0.5:5005');
		ui.sync.setStatus({
			resyncs: 2,
			lastResync: {time: ui.clock.now() - 12_000, reason: 'lost events'},
		});
		await ui.frame('resyncs 2, last 12s ago (lost events)');
		ui.sync.setStatus({error: 'dump failed: ENOBUFS'});
		await ui.frame('STALE dump failed: ENOBUFS');
	});

	test('accounting and timestamps off come from the sysctls, not from rows without counters', async () => {
		const ui = start([
			makeFlow({
				id: 1,
				src: '10.0.0.1',
				dst: '10.0.0.2',
				noCounters: true,
				status: 0b1110 | (1 << 14),
			}),
		]);
		const counters = {invalid: 0};
		const stats = {count: 1, max: 1000, counters};
		ui.sync.emit('stats', {...stats, settings: {accounting: true, timestamps: true}});
		let text = await ui.frame('no drops or invalid since start');
		assert.doesNotMatch(text, /accounting off|timestamps off/);
		assert.match(text, /\[OFFLOAD\] 1 shown: counters stop/);
		assert.match(text, / o tcp/);
		ui.sync.emit('stats', {...stats, settings: {accounting: false, timestamps: true}});
		text = await ui.frame('accounting off: sysctl -w net.netfilter.nf_conntrack_acct=1');
		assert.equal(text.split('accounting off').length, 2, 'warned once');
		ui.sync.emit('stats', {...stats, settings: {accounting: true, timestamps: false}});
		text = await ui.frame((t) => t.includes('timestamps off') && !t.includes('accounting off'));
		assert.match(text, /sysctl -w net\.netfilter\.nf_conntrack_timestamp=1/);
	});

	test('closed flows count on both sides of flows M/N', async () => {
		const ui = start(flows);
		await ui.frame('flows 5/5');
		ui.table.applyEvent({type: 'destroy', flow: flows[0], time: ui.clock.now()}, ui.clock.now());
		ui.sync.emit('changed');
		const text = await ui.frame('1 closed');
		assert.match(text, /flows 5\/5 /);
	});
});

describe('general keys', () => {
	test('q quits with 0 and Ctrl-C with 130', async () => {
		const ui = start(flows);
		await ui.frame('10.0.0.5:5005');
		ui.press('q');
		await ui.frame(() => ui.exits.length === 1, 'exit');
		assert.deepEqual(ui.exits, [0]);
		const other = renderApp(flows);
		try {
			await other.frame('10.0.0.5:5005');
			other.press(keys.ctrlC);
			await other.frame(() => other.exits.length === 1, 'exit');
			assert.deepEqual(other.exits, [130]);
		} finally {
			other.unmount();
		}
	});

	test('Ctrl-L asks the screen to repaint, R asks the sync to re-read', async () => {
		const ui = start(flows);
		await ui.frame('10.0.0.5:5005');
		ui.press(keys.ctrlL);
		await ui.frame(() => ui.redraws === 1, 'redraw');
		ui.press('R');
		await ui.frame('re-reading the table');
		assert.equal(ui.sync.resyncs.length, 1);
	});
});

describe('terminal widths', () => {
	const wide: Flow[] = [
		makeFlow({
			id: 1,
			src: '198.51.100.210',
			dst: '203.0.113.254',
			sport: 49_553,
			dport: 65_535,
			snat: {address: '192.0.2.201', port: 61_234},
		}),
		makeFlow({
			id: 2,
			src: '255.255.255.255',
			dst: '10.200.200.200',
			sport: 65_535,
			dport: 8443,
			dnat: {address: '172.31.255.254', port: 65_000},
		}),
		makeFlow({
			id: 3,
			src: '100.64.255.255',
			dst: '192.168.255.255',
			sport: 40_000,
			dport: 443,
			snat: {address: '198.18.255.255', port: 1024},
			dnat: {address: '169.254.255.255', port: 8080},
		}),
	];
	const known = new Set([
		'198.51.100.210',
		'203.0.113.254',
		'192.0.2.201',
		'255.255.255.255',
		'10.200.200.200',
		'172.31.255.254',
		'100.64.255.255',
		'192.168.255.255',
		'198.18.255.255',
		'169.254.255.255',
	]);

	test('every IPv4 address on screen is whole at 60, 80, 132 and 200 columns with counters on', async () => {
		const ui = start(wide);
		await ui.frame('198.51.100.210:49553');
		ui.press('c');
		await ui.frame('Bytes');
		const stdout = ui.instance.stdout as unknown as {emit(e: string): void};
		for (const width of [60, 80, 132, 200]) {
			Object.defineProperty(stdout, 'columns', {value: width, configurable: true});
			stdout.emit('resize');
			const text = await ui.frame(
				(t) => t.split('\n').some((line) => line.includes('Proto') && line.length === width),
				`laid out for ${width}`,
			);
			const rows = text.split('\n').filter((line) => /^.. tcp /.test(line));
			assert.equal(rows.length, 3, `${width}: every flow`);
			assert.doesNotMatch(text, /[\d.]…|…[\d.]/, `${width}: nothing cut in an address`);
			const quads = [...text.matchAll(/(.?)(\d+(?:\.\d+){2,})(.?)/g)];
			assert.ok(quads.length >= 6, `${width}: both endpoints of every flow`);
			for (const [, before, quad, after] of quads) {
				assert.ok(known.has(quad), `${width}: ${quad} is an address of the flows`);
				assert.doesNotMatch(before + after, /[\d.]/, `${width}: ${before}${quad}${after}`);
			}

			for (const line of text.split('\n')) assert.ok(line.length <= width, `${width}: ${line}`);
			if (width >= 132) {
				assert.match(text, /S 192\.0\.2\.201:61234/, `${width}: the translated endpoint`);
				assert.match(text, /D 172\.31\.255\.254:65000/, `${width}: the translated endpoint`);
			}
		}
	});

	test('sorting by a port marks the port in the title and orders rows by it', async () => {
		const ui = start(flows, {options: {sort: 'dport'}});
		const text = await ui.frame('Destination:port↑');
		assert.doesNotMatch(text, /Source↑|Destination↑/);
		const ports = [...text.matchAll(/^ {3}(?:tcp|udp) +\S+ +\S+:(\d+) /gm)].map((m) =>
			Number(m[1]),
		);
		assert.deepEqual(
			ports,
			[...ports].sort((a, b) => a - b),
		);
		assert.equal(ports.length, 5);
	});
});

describe('status line', () => {
	test('a delete report stays about ten seconds on the screen clock, then clears', async () => {
		const ui = start(flows, {options: {confirm: false}});
		await ui.frame('10.0.0.5:5005');
		ui.press('x');
		await ui.frame('deleted 1, log: /var/log/conntop-test.jsonl');
		ui.clock.advance(9000);
		// The TTLs count on the same clock: a frame showing 4:51 was drawn 9 s on.
		const later = await ui.frame((t) => /10\.0\.0\.5:5005.*4:51/.test(t), '9 s on');
		assert.match(later, /deleted 1, log:/);
		ui.clock.advance(1000);
		await ui.frame((t) => !t.includes('deleted 1'), 'the report cleared');
	});

	test('a plain notice clears after five seconds', async () => {
		const ui = start(flows);
		await ui.frame('10.0.0.5:5005');
		ui.press('R');
		await ui.frame('re-reading the table');
		ui.clock.advance(5000);
		await ui.frame((t) => !t.includes('re-reading the table'), 'the notice cleared');
	});
});
