import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {TableHistory} from '../../source/model/history.js';
import {flowKey} from '../../source/flow/key.js';
import {FlowTable, type FlowQuery} from '../../source/model/table.js';
import {makeFlow} from '../helpers/synthetic-flows.js';

const t0 = 1_700_000_000_000;
const all: FlowQuery = {sort: 'sport', rows: Number.POSITIVE_INFINITY};

describe('merging re-read flows', () => {
	test('a timeout the kernel refreshed replaces the countdown, and counters move the rates', () => {
		const table = new FlowTable();
		const udp = makeFlow({proto: 'udp', id: 7, timeout: 120, packets: [1, 1], bytes: [100, 100]});
		table.applySnapshot([udp], t0);
		assert.equal(table.row(flowKey(udp), t0 + 12_000)!.ttl, 108, 'counting down with no read');

		const fresh = makeFlow({
			proto: 'udp',
			id: 7,
			timeout: 119,
			packets: [601, 601],
			bytes: [60_100, 30_100],
		});
		assert.equal(table.applyReread([udp], [fresh], t0 + 12_000), 1);
		const row = table.row(flowKey(udp), t0 + 12_000)!;
		assert.equal(row.ttl, 119, 'the kernel refreshed the timeout on every packet');
		assert.equal(row.flow.counters?.original.bytes, 60_100);
		assert.equal(Math.round(row.rates.originalBytes), 5000, '60,000 bytes in 12 s');
		assert.equal(Math.round(row.rates.replyBytes), 2500);
	});

	test('a flow the kernel no longer has leaves the table at once, with no tombstone', () => {
		const table = new FlowTable();
		const a = makeFlow({id: 1, sport: 1});
		const b = makeFlow({id: 2, sport: 2});
		table.applySnapshot([a, b], t0);
		table.applyReread([a, b], ['gone', 'unreadable'], t0 + 1000);
		const keys = table.query(all, t0 + 1000).rows.map((r) => r.key);
		assert.deepEqual(keys, [flowKey(b)], 'gone is removed, unreadable is kept as it was');
		assert.equal(table.totals(t0 + 1000).closed, 0);
		assert.equal(table.size, 1);
	});

	test('a tuple that now belongs to an entry with another id replaces the old flow', () => {
		const table = new FlowTable();
		const old = makeFlow({id: 1});
		table.applySnapshot([old], t0);
		const reused = makeFlow({id: 99, timeout: 60});
		table.applyReread([old], [reused], t0 + 1000);
		const rows = table.query(all, t0 + 1000).rows;
		assert.equal(rows.length, 1);
		assert.equal(rows[0].flow.id, 99);
		assert.equal(rows[0].isNew, true);
		assert.equal(table.row(flowKey(old), t0 + 1000), undefined);
	});

	test('a counter that went down (reset, or conntrack -Z) gives no rate sample', () => {
		const table = new FlowTable();
		const flow = makeFlow({id: 3, packets: [10, 10], bytes: [10_000, 10_000]});
		table.applySnapshot([flow], t0);
		table.applyReread(
			[flow],
			[makeFlow({id: 3, packets: [20, 20], bytes: [20_000, 20_000]})],
			t0 + 1000,
		);
		table.applyReread(
			[flow],
			[makeFlow({id: 3, packets: [30, 30], bytes: [30_000, 30_000]})],
			t0 + 1500,
		);
		const before = table.row(flowKey(flow), t0 + 1000)!.rates.originalBytes;
		table.applyReread([flow], [makeFlow({id: 3, packets: [1, 1], bytes: [50, 50]})], t0 + 2000);
		const after = table.row(flowKey(flow), t0 + 2000)!;
		assert.equal(after.rates.originalBytes, before, 'the rate is kept, not negative');
		assert.equal(after.flow.counters?.original.bytes, 50, 'the counters are what the kernel says');
		assert.equal(table.rateHistory(flowKey(flow), t0 + 2000).length, 1);
	});

	test('flows removed by an event before the re-read came back are left alone', () => {
		const table = new FlowTable();
		const flow = makeFlow({id: 4});
		table.applySnapshot([flow], t0);
		table.applyEvent({type: 'destroy', flow, time: t0 + 500}, t0 + 500);
		assert.equal(table.applyReread([flow], [makeFlow({id: 4, timeout: 50})], t0 + 600), 0);
		assert.equal(table.row(flowKey(flow), t0 + 600)!.closed, true);
	});

	test('each re-read adds a byte-rate sample per direction to the flow history', () => {
		const table = new FlowTable();
		const flow = makeFlow({id: 5, packets: [0, 0], bytes: [0, 0]});
		table.applySnapshot([flow], t0);
		for (let i = 1; i <= 70; i++) {
			const read = makeFlow({id: 5, packets: [i, i], bytes: [i * 1000, i * 500]});
			table.applyReread([flow], [read], t0 + i * 1000);
		}

		const samples = table.rateHistory(flowKey(flow), t0 + 70_000);
		assert.ok(samples.length >= 60 && samples.length <= 61, `${samples.length} samples`);
		assert.deepEqual(
			[samples.at(-1)!.original, samples.at(-1)!.reply].map(Math.round),
			[1000, 500],
		);
	});
});

describe('table history', () => {
	test('counts new and closed flows per second and carries the size over quiet seconds', () => {
		const table = new FlowTable();
		table.applySnapshot([makeFlow({id: 1, sport: 1})], t0);
		table.totals(t0);
		table.applyEvent({type: 'new', flow: makeFlow({id: 2, sport: 2}), time: t0 + 1000}, t0 + 1000);
		table.applyEvent({type: 'new', flow: makeFlow({id: 3, sport: 3}), time: t0 + 1200}, t0 + 1200);
		table.totals(t0 + 1300);
		table.applyReread([makeFlow({id: 1, sport: 1})], ['gone'], t0 + 2100);
		const seconds = table.tableHistory(t0 + 5000);
		const base = Math.floor(t0 / 1000);
		const at = (s: number) => seconds.find((entry) => entry.second === base + s);
		assert.equal(at(0)?.flows, 1, 'the first dump is not counted as new flows');
		assert.equal(at(0)?.opened, 0);
		assert.deepEqual([at(1)?.opened, at(1)?.flows], [2, 3]);
		assert.deepEqual([at(2)?.closed, at(2)?.flows], [1, 2]);
		assert.equal(at(4)?.flows, 2, 'the size is carried over quiet seconds');
		assert.equal(seconds.at(-1)?.second, base + 4, 'the current second is still filling');
	});

	test('keeps one minute', () => {
		const history = new TableHistory();
		for (let s = 0; s < 200; s++) history.observe(t0 + s * 1000, s);
		const window = history.window(t0 + 200_000);
		assert.equal(window.length, 60);
		assert.equal(window[0].flows, 140);
	});
});
