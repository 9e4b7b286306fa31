import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {FlowEvent} from '../../source/flow/types.js';
import {parseFilter} from '../../source/model/filter.js';
import {
	EventRing,
	initialEventPane,
	movePane,
	paneHeight,
	paneView,
	type EventPane,
} from '../../source/ui/event-log.js';
import {epoch, makeFlow} from '../helpers/ui-flows.js';

function event(id: number, dport = 443): FlowEvent {
	return {type: 'new', flow: makeFlow({id, src: '10.0.0.1', dst: '10.9.9.9', dport}), time: epoch};
}

function ringOf(count: number, capacity = 100): EventRing {
	const ring = new EventRing(capacity);
	for (let i = 1; i <= count; i++) ring.push(event(i, i % 2 === 0 ? 53 : 443));
	return ring;
}

const ids = (events: readonly FlowEvent[]) => events.map((e) => e.flow.id);

test('the ring keeps the newest events and numbers every push', () => {
	const ring = ringOf(7, 5);
	assert.equal(ring.size, 5);
	assert.equal(ring.pushes, 7);
	assert.deepEqual(ids(ring.range(0)), [3, 4, 5, 6, 7]);
	assert.deepEqual(ids(ring.range(4, 6)), [5, 6]);
	assert.deepEqual(ids(ring.range(6, 100)), [7]);
});

test('the pane shows the newest matching events, and the filter picks which', () => {
	const ring = ringOf(10);
	const all = paneView(ring, initialEventPane, undefined, epoch, 3);
	assert.deepEqual(ids(all.events), [8, 9, 10]);
	assert.equal(all.total, 10);
	const parsed = parseFilter('dport:53');
	assert.ok(parsed.ok);
	const dns = paneView(ring, initialEventPane, parsed.filter, epoch, 3);
	assert.deepEqual(ids(dns.events), [6, 8, 10]);
	assert.equal(dns.total, 5);
});

test('scrolling back pins the pane: newer events wait below until End', () => {
	const ring = ringOf(10);
	const context = {total: 10, rows: 3, pushes: ring.pushes};
	let pane: EventPane = movePane(initialEventPane, 'up', context);
	assert.equal(pane.until, 10);
	assert.deepEqual(ids(paneView(ring, pane, undefined, epoch, 3).events), [7, 8, 9]);
	ring.push(event(11));
	const waiting = paneView(ring, pane, undefined, epoch, 3);
	assert.deepEqual(ids(waiting.events), [7, 8, 9], 'what is read stays put');
	assert.equal(waiting.newer, 1);
	pane = movePane(pane, 'top', context);
	assert.deepEqual(ids(paneView(ring, pane, undefined, epoch, 3).events), [1, 2, 3]);
	pane = movePane(pane, 'pageDown', context);
	assert.deepEqual(ids(paneView(ring, pane, undefined, epoch, 3).events), [3, 4, 5]);
	pane = movePane(pane, 'bottom', context);
	assert.deepEqual(pane, {...initialEventPane});
	assert.deepEqual(ids(paneView(ring, pane, undefined, epoch, 3).events), [9, 10, 11]);
});

test('down past the newest shown event follows again; p pauses and resumes in place', () => {
	const context = {total: 10, rows: 3, pushes: 10};
	const back = movePane(initialEventPane, 'up', context);
	assert.equal(movePane(back, 'down', context).until, 10, 'one line down is still pinned');
	assert.equal(movePane(movePane(back, 'down', context), 'down', context).until, undefined);
	const paused = movePane(initialEventPane, 'pause', context);
	assert.deepEqual([paused.back, paused.until], [0, 10]);
	assert.equal(movePane(paused, 'pause', context).until, undefined);
	assert.equal(
		movePane(initialEventPane, 'up', {...context, total: 2}).back,
		0,
		'nothing to scroll',
	);
});

test('the pane takes half, most or a third of the rows, leaving the table three', () => {
	assert.equal(paneHeight('half', 17), 8);
	assert.equal(paneHeight('most', 17), 14);
	assert.equal(paneHeight('third', 17), 5);
	assert.equal(paneHeight('most', 6), 3);
});
