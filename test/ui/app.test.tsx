import assert from 'node:assert/strict';
import {afterEach, describe, test} from 'node:test';
import type {Flow} from '../../source/flow.js';
import {burstMs} from '../../source/ui/kernel-rates.js';
import {epoch, makeFlow} from '../helpers/ui-flows.js';
import {keys, renderApp} from '../helpers/ui-render.js';

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

	test('an invalid filter shows the error under the text and keeps the last valid filter', async () => {
		const ui = start(flows);
		await ui.frame('10.0.0.5:5005');
		ui.press('/dport:53');
		await ui.frame('1 match');
		ui.press('x');
		const text = await ui.frame('match the last valid filter');
		const lines = text.split('\n');
		const promptRow = lines.findIndex((line) => line.startsWith('filter dport:53x'));
		assert.ok(promptRow > 0);
		assert.match(
			lines[promptRow + 1],
			/^ {13}\^ '53x' is not a port number/,
			'the caret points at the value',
		);
		assert.equal(rowLines(text).length, 1, 'dport:53 still in force');
		ui.press(keys.enter);
		await ui.frame('the filter has an error');
		ui.press(keys.backspace);
		await ui.frame('  1 match');
		ui.press(keys.enter);
		await ui.frame((t) => /flows 1\/5/.test(t) && !t.includes('Enter keeps it'), 'kept');
	});

	test('Esc clears the filter', async () => {
		const ui = start(flows, {options: {filter: 'proto:udp'}});
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
		const ui = start(flows, {options: {group: 'dst', sort: 'key' as never}});
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
		await ui.frame('Events, newest last (0 kept; e hides)');
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
		await ui.frame((t) => !t.includes('Events, newest last'), 'pane hidden');
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
