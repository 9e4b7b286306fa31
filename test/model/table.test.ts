import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import type {Flow, FlowEvent} from '../../source/flow/types.js';
import {parseFilter, type Filter} from '../../source/model/filter.js';
import {formatTtl} from '../../source/view/format.js';
import {flowKey} from '../../source/flow/key.js';
import {FlowTable, type FlowQuery, type FlowRow} from '../../source/model/table.js';
import {makeFlow} from '../helpers/synthetic-flows.js';

const t0 = 1_700_000_000_000;
const all: FlowQuery = {sort: 'sport', rows: Number.POSITIVE_INFINITY};

function rows(table: FlowTable, now: number, query: Partial<FlowQuery> = {}): FlowRow[] {
	return table.query({...all, ...query}, now).rows;
}

function row(table: FlowTable, flow: Flow, now: number): FlowRow {
	const found = table.row(flowKey(flow), now);
	assert.ok(found, 'row not in table');
	return found;
}

function event(type: FlowEvent['type'], flow: Flow, time: number): FlowEvent {
	return {type, flow, time};
}

function compile(text: string): Filter {
	const result = parseFilter(text);
	assert.ok(result.ok);
	return result.filter;
}

/** An event carrying only identity plus `fields`, as ctnetlink updates do. */
function partial(flow: Flow, fields: Partial<Flow>): Flow {
	const {id, family, protonum, proto, original, reply, zone} = flow;
	return {id, family, protonum, proto, original, reply, zone, ...fields};
}

describe('snapshots', () => {
	test('fill an empty table without marking anything new', () => {
		const table = new FlowTable();
		const result = table.applySnapshot([makeFlow({id: 1}), makeFlow({id: 2})], t0);
		assert.deepEqual(result, {added: 2, updated: 0, closed: 0});
		assert.equal(table.size, 2);
		assert.ok(rows(table, t0).every((r) => !r.isNew && !r.closed));
	});

	test('later snapshots add new flows marked new, update survivors and drop the vanished at once', () => {
		const table = new FlowTable();
		const a = makeFlow({id: 1, sport: 1});
		const b = makeFlow({id: 2, sport: 2});
		table.applySnapshot([a, b], t0);
		const c = makeFlow({id: 3, sport: 3});
		const result = table.applySnapshot([{...a, state: 'TIME_WAIT'}, c], t0 + 1000);
		assert.deepEqual(result, {added: 1, updated: 1, closed: 1});
		assert.equal(row(table, a, t0 + 1000).flow.state, 'TIME_WAIT');
		assert.equal(table.row(flowKey(b), t0 + 1000), undefined, 'no tombstone: no DESTROY came');
		assert.equal(row(table, c, t0 + 1000).isNew, true);
		assert.equal(table.size, 2);
		assert.equal(table.closed, 0);
	});

	test('stream in flow by flow: rows show before the end, which closes what the dump lacked', () => {
		const table = new FlowTable();
		const a = makeFlow({id: 1, sport: 1});
		const b = makeFlow({id: 2, sport: 2});
		table.applySnapshot([a, b], t0);
		table.startSnapshot();
		table.addToSnapshot({...a, state: 'TIME_WAIT'}, t0 + 1000);
		const c = makeFlow({id: 3, sport: 3});
		table.addToSnapshot(c, t0 + 1000);
		assert.equal(row(table, c, t0 + 1000).isNew, true);
		assert.equal(row(table, b, t0 + 1000).closed, false, 'not closed before the dump ends');
		assert.deepEqual(table.endSnapshot(t0 + 1000), {added: 1, updated: 1, closed: 1});
		assert.equal(row(table, a, t0 + 1000).flow.state, 'TIME_WAIT');
		assert.equal(table.row(flowKey(b), t0 + 1000), undefined);
	});

	test('keep the history of surviving flows: first seen and rates', () => {
		const table = new FlowTable();
		const flow = makeFlow({packets: [10, 10], bytes: [1000, 1000]});
		table.applySnapshot([flow], t0);
		table.applySnapshot([makeFlow({packets: [20, 20], bytes: [3000, 2000]})], t0 + 1000);
		const r = row(table, flow, t0 + 2000);
		assert.equal(r.age, 2);
		assert.equal(r.bytesPerSecond, 3000);
	});

	test('do not bring back flows already closed by an event', () => {
		const table = new FlowTable();
		const flow = makeFlow();
		table.applySnapshot([flow], t0);
		table.applyEvent(event('destroy', flow, t0 + 10), t0 + 10);
		table.applySnapshot([flow], t0 + 20);
		assert.equal(row(table, flow, t0 + 20).closed, true);
	});

	test('drop what a dump lacks however many dumps came before (the generation a row keeps cycles)', () => {
		const table = new FlowTable();
		const kept = makeFlow({id: 1});
		const late = makeFlow({id: 2});
		const dropped = makeFlow({id: 3});
		for (let i = 0; i < 600; i++) {
			const now = t0 + i * 1000;
			// `late` joins at the 300th dump, `dropped` is in every dump but the last.
			const flows = [kept, ...(i >= 300 ? [late] : []), ...(i < 599 ? [dropped] : [])];
			const result = table.applySnapshot(flows, now);
			assert.equal(result.closed, i === 599 ? 1 : 0, `dump ${i}`);
			assert.equal(table.size, flows.length, `dump ${i}`);
		}

		assert.deepEqual(
			rows(table, t0 + 600_000).map((r) => r.key),
			[flowKey(kept), flowKey(late)],
		);
	});
});

describe('events', () => {
	test('new adds a flow marked new for newMs', () => {
		const table = new FlowTable({newMs: 2000});
		const flow = makeFlow();
		assert.equal(table.applyEvent(event('new', flow, t0), t0), true);
		assert.equal(row(table, flow, t0 + 1999).isNew, true);
		assert.equal(row(table, flow, t0 + 2000).isNew, false);
	});

	test('update merges only the fields it carries', () => {
		const table = new FlowTable();
		const flow = makeFlow({mark: 7, packets: [1, 1], bytes: [100, 100], helper: 'ftp'});
		table.applySnapshot([flow], t0);
		table.applyEvent(
			event('update', partial(flow, {state: 'FIN_WAIT', timeout: 120}), t0 + 5),
			t0 + 5,
		);
		const merged = row(table, flow, t0 + 5).flow;
		assert.equal(merged.state, 'FIN_WAIT');
		assert.equal(merged.timeout, 120);
		assert.equal(merged.mark, 7);
		assert.equal(merged.helper, 'ftp');
		assert.deepEqual(merged.counters, flow.counters);
		assert.equal(merged.status, flow.status);
	});

	test('changes its own copy: the flows of applied events and dumps stay as they were', () => {
		const table = new FlowTable();
		const flow = makeFlow({state: 'SYN_SENT', packets: [1, 0], bytes: [60, 0], timeout: 120});
		const before = structuredClone(flow);
		table.applyEvent(event('new', flow, t0), t0);
		const stored = row(table, flow, t0).flow;
		const dumped = makeFlow({state: 'ESTABLISHED', packets: [5, 4], bytes: [500, 400]});
		table.applySnapshot([dumped], t0 + 1000);
		table.applyEvent(event('update', partial(flow, {state: 'FIN_WAIT'}), t0 + 2000), t0 + 2000);
		assert.deepEqual(flow, before);
		assert.equal(dumped.state, 'ESTABLISHED');
		assert.deepEqual(dumped.counters, {
			original: {packets: 5, bytes: 500},
			reply: {packets: 4, bytes: 400},
		});
		// A row hands out a copy of the flow as it is at the query: a later query shows the
		// latest values, and the copy handed out before keeps its own.
		const after = row(table, flow, t0 + 2000).flow;
		assert.equal(after.state, 'FIN_WAIT');
		assert.deepEqual(after.counters, dumped.counters);
		assert.equal(stored.state, 'SYN_SENT');
		assert.deepEqual(stored.counters, {
			original: {packets: 1, bytes: 60},
			reply: {packets: 0, bytes: 0},
		});
	});

	test('update of an unknown flow adds it without the new mark: its NEW was missed', () => {
		const table = new FlowTable();
		const flow = makeFlow();
		table.applyEvent(event('update', flow, t0), t0);
		assert.equal(row(table, flow, t0).isNew, false);
		assert.equal(table.size, 1);
	});

	test('destroy keeps the flow as a dimmed tombstone for closedMs, counted apart', () => {
		const table = new FlowTable({closedMs: 3000});
		const flow = makeFlow({packets: [1, 1], bytes: [1, 1]});
		table.applySnapshot([flow, makeFlow({id: 2})], t0);
		table.applyEvent(
			event(
				'destroy',
				partial(flow, {
					counters: {original: {packets: 9, bytes: 900}, reply: {packets: 9, bytes: 900}},
				}),
				t0 + 500,
			),
			t0 + 500,
		);
		const tombstone = row(table, flow, t0 + 500);
		assert.equal(tombstone.closed, true);
		assert.equal(tombstone.ttl, 0);
		assert.equal(tombstone.flow.counters?.original.bytes, 900, 'the final counters are merged');
		assert.equal(table.size, 1);
		assert.equal(table.closed, 1);
		assert.equal(rows(table, t0 + 3499).length, 2);
		assert.equal(rows(table, t0 + 3500).length, 1);
		assert.equal(table.row(flowKey(flow), t0 + 3500), undefined);
		assert.equal(table.closed, 0);
	});

	test('the tombstone time is configurable', () => {
		const table = new FlowTable({closedMs: 100});
		const flow = makeFlow();
		table.applyEvent(event('new', flow, t0), t0);
		table.applyEvent(event('destroy', flow, t0), t0);
		assert.equal(rows(table, t0 + 99).length, 1);
		assert.equal(rows(table, t0 + 100).length, 0);
	});

	test('late updates to a tombstone and destroys of unknown flows change nothing', () => {
		const table = new FlowTable();
		const flow = makeFlow();
		table.applyEvent(event('new', flow, t0), t0);
		table.applyEvent(event('destroy', flow, t0), t0);
		assert.equal(
			table.applyEvent(event('update', {...flow, state: 'ESTABLISHED'}, t0 + 1), t0 + 1),
			false,
		);
		assert.equal(table.applyEvent(event('destroy', makeFlow({id: 99}), t0 + 1), t0 + 1), false);
		assert.equal(row(table, flow, t0 + 1).closed, true);
	});

	test('new for a tombstone key starts a fresh flow', () => {
		const table = new FlowTable();
		const flow = makeFlow();
		table.applyEvent(event('new', flow, t0), t0);
		table.applyEvent(event('destroy', flow, t0 + 1000), t0 + 1000);
		table.applyEvent(event('new', flow, t0 + 2000), t0 + 2000);
		const fresh = row(table, flow, t0 + 2000);
		assert.equal(fresh.closed, false);
		assert.equal(fresh.isNew, true);
		assert.equal(fresh.age, 0);
		assert.equal(table.size, 1);
		assert.equal(table.closed, 0);
	});

	test('flows sharing a kernel id stay apart', () => {
		const table = new FlowTable();
		const a = makeFlow({id: 42, sport: 1000});
		const b = makeFlow({id: 42, sport: 2000});
		table.applySnapshot([a, b], t0);
		table.applyEvent(event('destroy', a, t0 + 1), t0 + 1);
		assert.equal(row(table, a, t0 + 1).closed, true);
		assert.equal(row(table, b, t0 + 1).closed, false);
		assert.equal(table.size, 1);
	});

	test('applyEvents reports how many events changed the table', () => {
		const table = new FlowTable();
		const flow = makeFlow();
		const changed = table.applyEvents(
			[event('new', flow, t0), event('destroy', makeFlow({id: 5}), t0), event('update', flow, t0)],
			t0,
		);
		assert.equal(changed, 2);
	});
});

describe('TTL', () => {
	test('counts down from the timeout the kernel reported, without touching the table', () => {
		const table = new FlowTable();
		const flow = makeFlow({timeout: 432_000});
		table.applySnapshot([flow], t0);
		assert.equal(row(table, flow, t0).ttl, 432_000);
		assert.equal(row(table, flow, t0 + 1500).ttl, 431_998.5);
		assert.equal(formatTtl(row(table, flow, t0 + 1000).ttl), '4d23:59:59');
	});

	test('never goes below zero', () => {
		const table = new FlowTable();
		const flow = makeFlow({timeout: 10});
		table.applySnapshot([flow], t0);
		assert.equal(row(table, flow, t0 + 60_000).ttl, 0);
	});

	test('restarts from each timeout an event carries, and keeps counting when one carries none', () => {
		const table = new FlowTable();
		const flow = makeFlow({timeout: 10});
		table.applySnapshot([flow], t0);
		table.applyEvent(event('update', partial(flow, {timeout: 120}), t0 + 5000), t0 + 5000);
		assert.equal(row(table, flow, t0 + 6000).ttl, 119);
		table.applyEvent(event('update', partial(flow, {state: 'FIN_WAIT'}), t0 + 7000), t0 + 7000);
		assert.equal(row(table, flow, t0 + 8000).ttl, 117);
	});

	test('is Infinity when no timeout was ever reported', () => {
		const table = new FlowTable();
		const flow = {...makeFlow(), timeout: undefined};
		table.applySnapshot([flow], t0);
		assert.equal(row(table, flow, t0).ttl, Number.POSITIVE_INFINITY);
	});
});

describe('age', () => {
	test('counts from when conntop first saw the flow', () => {
		const table = new FlowTable();
		const flow = makeFlow();
		table.applySnapshot([flow], t0);
		assert.equal(row(table, flow, t0 + 61_000).age, 61);
	});

	test('counts from the kernel start time when the flow carries one, even if it arrives later', () => {
		const table = new FlowTable();
		const flow = makeFlow();
		table.applySnapshot([flow], t0);
		table.applyEvent(event('update', partial(flow, {start: t0 - 10_000}), t0 + 1000), t0 + 1000);
		assert.equal(row(table, flow, t0 + 1000).age, 11);
	});
});

describe('rates', () => {
	test('start at zero, take the first counter delta as is, then smooth', () => {
		const table = new FlowTable({rateTimeConstantMs: 1000});
		const flow = makeFlow({packets: [0, 0], bytes: [0, 0]});
		table.applySnapshot([flow], t0);
		assert.equal(row(table, flow, t0).bytesPerSecond, 0);
		table.applySnapshot([makeFlow({packets: [10, 5], bytes: [2000, 1000]})], t0 + 2000);
		const first = row(table, flow, t0 + 2000);
		assert.deepEqual(first.rates, {
			originalBytes: 1000,
			originalPackets: 5,
			replyBytes: 500,
			replyPackets: 2.5,
		});
		assert.equal(first.bytesPerSecond, 1500);
		assert.equal(first.packetsPerSecond, 7.5);
		// One second without traffic moves the average 1 - 1/e of the way to zero.
		table.applySnapshot([makeFlow({packets: [10, 5], bytes: [2000, 1000]})], t0 + 3000);
		const weight = 1 - Math.exp(-1);
		assert.ok(Math.abs(row(table, flow, t0 + 3000).bytesPerSecond - 1500 * (1 - weight)) < 1e-9);
	});

	test('skip a counter that went backwards (conntrack -Z) and measure from there', () => {
		const table = new FlowTable();
		const flow = makeFlow({packets: [100, 100], bytes: [10_000, 10_000]});
		table.applySnapshot([flow], t0);
		table.applySnapshot([makeFlow({packets: [1, 1], bytes: [100, 100]})], t0 + 1000);
		assert.equal(row(table, flow, t0 + 1000).bytesPerSecond, 0);
		table.applySnapshot([makeFlow({packets: [2, 2], bytes: [1100, 600]})], t0 + 2000);
		assert.equal(row(table, flow, t0 + 2000).bytesPerSecond, 1500);
	});

	test('are not disturbed by several observations in one batch', () => {
		const table = new FlowTable();
		const flow = makeFlow({packets: [0, 0], bytes: [0, 0]});
		table.applySnapshot([flow], t0);
		table.applyEvents(
			[
				event('update', makeFlow({packets: [1, 0], bytes: [500, 0]}), t0 + 1000),
				event('update', makeFlow({packets: [2, 0], bytes: [1000, 0]}), t0 + 1000),
			],
			t0 + 1000,
		);
		assert.equal(row(table, flow, t0 + 1000).bytesPerSecond, 500);
		table.applySnapshot([makeFlow({packets: [3, 0], bytes: [3000, 0]})], t0 + 2000);
		assert.ok(
			row(table, flow, t0 + 2000).bytesPerSecond > 500,
			'the second batch entry still counts',
		);
	});

	test('sort the rate column', () => {
		const table = new FlowTable();
		const quiet = makeFlow({id: 1, packets: [0, 0], bytes: [0, 0]});
		const busy = makeFlow({id: 2, packets: [0, 0], bytes: [0, 0]});
		table.applySnapshot([quiet, busy], t0);
		table.applySnapshot(
			[
				makeFlow({id: 1, packets: [1, 0], bytes: [10, 0]}),
				makeFlow({id: 2, packets: [1, 0], bytes: [9000, 0]}),
			],
			t0 + 1000,
		);
		assert.deepEqual(
			rows(table, t0 + 1000, {sort: 'rate', reverse: true}).map((r) => r.flow.id),
			[2, 1],
		);
		assert.equal(table.query({...all, filter: compile('rate>1k')}, t0 + 1000).total, 1);
	});
});

describe('totals and events per second', () => {
	test('count live flows by protocol, TCP state and NAT, tombstones apart', () => {
		const table = new FlowTable();
		table.applySnapshot(
			[
				makeFlow({id: 1}),
				makeFlow({id: 2, state: 'TIME_WAIT'}),
				makeFlow({id: 3, proto: 'udp', replyDst: '203.0.113.7', status: 0b1_1110}),
				makeFlow({id: 4, proto: 'icmp'}),
				makeFlow({id: 5}),
			],
			t0,
		);
		table.applyEvent(event('destroy', makeFlow({id: 5}), t0), t0);
		assert.deepEqual(table.totals(t0), {
			total: 4,
			closed: 1,
			byProtocol: {tcp: 2, udp: 1, icmp: 1},
			byState: {ESTABLISHED: 1, TIME_WAIT: 1},
			nat: 1,
			bytesPerSecond: 0,
			eventsPerSecond: 0,
		});
		assert.equal(table.totals(t0 + 3000).closed, 0);
	});

	test('events per second average the last whole seconds', () => {
		const table = new FlowTable({eventWindowSeconds: 2});
		for (let i = 0; i < 10; i++) table.applyEvent(event('new', makeFlow({id: i}), t0), t0);
		for (let i = 0; i < 30; i++)
			table.applyEvent(event('new', makeFlow({id: 100 + i}), t0 + 1000), t0 + 1000);
		assert.equal(table.eventsPerSecond(t0 + 500), 0, 'the current second is still filling');
		assert.equal(table.eventsPerSecond(t0 + 1500), 5);
		assert.equal(table.eventsPerSecond(t0 + 2000), 20);
		assert.equal(table.eventsPerSecond(t0 + 3000), 15);
		assert.equal(table.eventsPerSecond(t0 + 4000), 0);
	});
});

describe('views', () => {
	function numbered(count: number): FlowTable {
		const table = new FlowTable();
		table.applySnapshot(
			Array.from({length: count}, (_, i) =>
				makeFlow({id: i + 1, sport: 1000 + i, proto: i % 3 === 0 ? 'udp' : 'tcp'}),
			),
			t0,
		);
		return table;
	}

	test('return the requested page and the number of matches', () => {
		const table = numbered(30);
		const page = table.query({sort: 'sport', offset: 10, rows: 5}, t0);
		assert.equal(page.total, 30);
		assert.deepEqual(
			page.rows.map((r) => r.flow.original.sport),
			[1010, 1011, 1012, 1013, 1014],
		);
		assert.equal(table.query({sort: 'sport', offset: 28, rows: 5}, t0).rows.length, 2);
		assert.equal(table.query({sort: 'sport', filter: compile('proto:udp'), rows: 3}, t0).total, 10);
	});

	test('find the position of a flow in the current order, for a cursor that follows it', () => {
		const table = numbered(30);
		const target = makeFlow({id: 8, sport: 1007});
		const key = flowKey(target);
		assert.equal(table.indexOfKey({sort: 'sport', rows: 10}, key, t0), 7);
		assert.equal(table.indexOfKey({sort: 'sport', reverse: true, rows: 10}, key, t0), 22);
		assert.equal(
			table.indexOfKey({sort: 'sport', filter: compile('proto:udp'), rows: 10}, key, t0),
			-1,
		);
		assert.equal(table.indexOfKey({sort: 'sport', rows: 10}, 'no such key', t0), -1);
	});

	test('list the keys of all live flows matching a filter, tombstones left out', () => {
		const table = numbered(9);
		table.applyEvent(event('destroy', makeFlow({id: 1, sport: 1000, proto: 'udp'}), t0), t0);
		const keys = table.keysMatching(compile('proto:udp'), t0);
		assert.deepEqual(
			keys.sort(),
			[makeFlow({id: 4, sport: 1003, proto: 'udp'}), makeFlow({id: 7, sport: 1006, proto: 'udp'})]
				.map(flowKey)
				.sort(),
		);
		assert.equal(table.keysMatching(undefined, t0).length, 8);
	});

	test('hand out rows that carry the key, flow, ttl, age, rates and marks', () => {
		const table = new FlowTable();
		const flow = makeFlow({timeout: 30});
		table.applyEvent(event('new', flow, t0), t0);
		const [first] = rows(table, t0 + 1000);
		assert.equal(first.key, flowKey(flow));
		// The table keeps its own copy of the flow, with the same fields (a tuple copy says
		// `zone: undefined` where the flow's tuple has no zone: the same thing).
		assert.notEqual(first.flow, flow);
		for (const [name, value] of Object.entries(flow)) {
			const stored: unknown = first.flow[name as keyof Flow];
			if (name === 'original' || name === 'reply') {
				assert.deepEqual(stored, {zone: undefined, ...value}, name);
			} else {
				assert.deepEqual(stored, value, name);
			}
		}

		assert.equal(first.ttl, 29);
		assert.equal(first.age, 1);
		assert.equal(first.isNew, true);
		assert.equal(first.closed, false);
	});

	test('keep matching after bare words meet changed and reused rows', () => {
		const table = numbered(12);
		const filter = compile('time_wait');
		assert.equal(table.query({...all, filter}, t0).total, 0);
		table.applyEvent(
			event('update', partial(makeFlow({id: 2, sport: 1001}), {state: 'TIME_WAIT'}), t0),
			t0,
		);
		assert.equal(table.query({...all, filter: compile('time_wait')}, t0).total, 1);
		table.applyEvent(event('destroy', makeFlow({id: 2, sport: 1001}), t0), t0);
		table.expire(t0 + 5000);
		table.applyEvent(
			event('new', makeFlow({id: 50, sport: 5000, state: 'TIME_WAIT'}), t0 + 5000),
			t0 + 5000,
		);
		const found = table.query({...all, filter: compile('time_wait')}, t0 + 5000).rows;
		assert.deepEqual(
			found.map((r) => r.flow.id),
			[50],
		);
	});
});
