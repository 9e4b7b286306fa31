import assert from 'node:assert/strict';
import {test} from 'node:test';
import {natKindOf} from '../../source/flow/nat.js';
import type {Flow, FlowEvent, RereadResult} from '../../source/flow/types.js';
import {FlowTable} from '../../source/model/table.js';
import type {Totals} from '../../source/model/view-types.js';
import {createRandom, makeFlow, type FlowSpec} from '../helpers/synthetic-flows.js';

const t0 = 1_700_000_000_000;
const states = ['ESTABLISHED', 'TIME_WAIT', 'SYN_SENT', 'CLOSE'] as const;
const protos = ['tcp', 'udp', 'icmp', 'tcp', 'sctp'] as const;

/** The totals counted again from every row the table shows, as the header would want them. */
function recount(table: FlowTable, now: number): Omit<Totals, 'eventsPerSecond'> {
	const {rows} = table.query({sort: 'src', rows: Number.POSITIVE_INFINITY}, now);
	const byProtocol: Record<string, number> = {};
	const byState: Record<string, number> = {};
	let total = 0;
	let closed = 0;
	let nat = 0;
	let bytesPerSecond = 0;
	for (const row of rows) {
		if (row.closed) {
			closed++;
			continue;
		}

		const {flow} = row;
		total++;
		bytesPerSecond += row.bytesPerSecond;
		byProtocol[flow.proto] = (byProtocol[flow.proto] ?? 0) + 1;
		if (flow.protonum === 6 && flow.state) byState[flow.state] = (byState[flow.state] ?? 0) + 1;
		if (natKindOf(flow)) nat++;
	}

	return {total, closed, byProtocol, byState, nat, bytesPerSecond};
}

test('running totals equal a full recount after a random mix of dumps, events, re-reads and expiries', () => {
	const random = createRandom(12);
	const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
	const table = new FlowTable({closedMs: 3000});
	// Counters only grow, so every observation can give a rate.
	const bytes = new Map<number, number>();

	function flowOf(id: number, spec: FlowSpec = {}): Flow {
		const proto = protos[id % protos.length];
		const sent = (bytes.get(id) ?? 0) + Math.floor(random() * 100_000);
		bytes.set(id, sent);
		return makeFlow({
			id,
			proto,
			sport: 1000 + id,
			state: proto === 'tcp' ? pick(states) : proto === 'sctp' ? 'ESTABLISHED' : null,
			replyDst: id % 4 === 0 ? '203.0.113.7' : undefined,
			status: id % 4 === 0 ? 0b1_1110 : 0b1110,
			packets: [Math.floor(sent / 100), Math.floor(sent / 200)],
			bytes: [sent, Math.floor(sent / 2)],
			...spec,
		});
	}

	/** Only identity and one changed field, as most ctnetlink updates carry. */
	function partial(flow: Flow): Flow {
		const {id, family, protonum, proto, original, reply, zone} = flow;
		const base = {id, family, protonum, proto, original, reply, zone};
		return pick([
			{...base, state: flow.state},
			{...base, counters: flow.counters},
			{...base, status: flow.status, nat: flow.nat},
			{...base, timeout: 50},
		]);
	}

	let now = t0;
	let checked = 0;
	for (let step = 0; step < 3000; step++) {
		now += Math.floor(random() * 400);
		const id = 1 + Math.floor(random() * 40);
		const roll = random();
		if (roll < 0.03) {
			const flows: Flow[] = [];
			for (let other = 1; other <= 40; other++) if (random() < 0.7) flows.push(flowOf(other));
			table.applySnapshot(flows, now);
		} else if (roll < 0.15) {
			const flows = Array.from({length: 5}, () => flowOf(1 + Math.floor(random() * 40)));
			const results: RereadResult[] = flows.map((flow) => {
				const outcome = random();
				if (outcome < 0.1) return 'gone';
				if (outcome < 0.15) return 'unreadable';
				if (outcome < 0.2) return {...flow, id: flow.id + 1000};
				return flowOf(flow.id);
			});
			table.applyReread(flows, results, now);
		} else {
			const type: FlowEvent['type'] = pick(['new', 'update', 'update', 'update', 'destroy']);
			const flow = flowOf(id);
			table.applyEvent({type, flow: type === 'update' ? partial(flow) : flow, time: now}, now);
		}

		const {eventsPerSecond, ...running} = table.totals(now);
		assert.ok(eventsPerSecond >= 0);
		const counted = recount(table, now);
		const {bytesPerSecond, ...rest} = running;
		const {bytesPerSecond: countedBytes, ...countedRest} = counted;
		assert.deepEqual(rest, countedRest, `step ${step}`);
		// Rates added and taken away one by one may differ from a fresh sum by rounding only.
		assert.ok(
			Math.abs(bytesPerSecond - countedBytes) <= 1e-9 * Math.max(1, countedBytes),
			`step ${step}: ${bytesPerSecond} vs ${countedBytes}`,
		);
		if (countedBytes > 0 && counted.total > 3) checked++;
	}

	assert.ok(checked > 100, 'the sequence exercised tables with live rates');
});

test('totals are the same object until a row changes, so an idle tick builds nothing', () => {
	const table = new FlowTable();
	table.applySnapshot([makeFlow({id: 1}), makeFlow({id: 2, proto: 'udp'})], t0);
	const first = table.totals(t0);
	const again = table.totals(t0 + 1000);
	assert.equal(first.byProtocol, again.byProtocol);
	table.applyEvent({type: 'destroy', flow: makeFlow({id: 2, proto: 'udp'}), time: t0}, t0 + 1000);
	const after = table.totals(t0 + 1000);
	assert.deepEqual(after.byProtocol, {tcp: 1});
	assert.deepEqual(
		first.byProtocol,
		{tcp: 1, udp: 1},
		'totals handed out earlier stay as they were',
	);
});
