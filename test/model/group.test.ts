import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import fc from 'fast-check';
import type {Flow} from '../../source/flow/types.js';
import {addressPrefix} from '../../source/model/cidr.js';
import {parseFilter, type Filter} from '../../source/model/filter.js';
import {formatAddress} from '../../source/flow/address-text.js';
import {groupBys, type GroupBy} from '../../source/model/group.js';
import {flowKey} from '../../source/flow/key.js';
import {mergeFlow} from '../../source/model/merge.js';
import {natAddressOf} from '../../source/flow/nat.js';
import {FlowTable, type GroupQuery} from '../../source/model/table.js';
import {arbitraryFlow, makeFlow} from '../helpers/synthetic-flows.js';

const t0 = 1_700_000_000_000;

function compile(text: string): Filter {
	const result = parseFilter(text);
	assert.ok(result.ok);
	return result.filter;
}

/** The label a flow's group should get, computed the obvious way. */
function label(flow: Flow, by: GroupBy): string {
	switch (by) {
		case 'src':
			return formatAddress(flow.original.src);
		case 'dst':
			return formatAddress(flow.original.dst);
		case 'src24': {
			const bits = typeof flow.original.src === 'number' ? 24 : 64;
			return `${formatAddress(addressPrefix(flow.original.src, bits))}/${bits}`;
		}

		case 'dport':
			return ['tcp', 'udp', 'sctp'].includes(flow.proto)
				? `${flow.original.dport}/${flow.proto}`
				: flow.proto;
		case 'proto':
			return flow.proto;
		case 'state':
			return flow.state ?? '-';
		case 'nat': {
			const address = natAddressOf(flow);
			return address === undefined ? '-' : formatAddress(address);
		}
	}
}

function query(by: GroupBy, extra: Partial<GroupQuery> = {}): GroupQuery {
	return {group: by, sort: 'key', rows: Number.POSITIVE_INFINITY, ...extra};
}

describe('grouping', () => {
	test('aggregates count, closed, packets and bytes exactly like a naive pass over the flows', () => {
		fc.assert(
			fc.property(
				fc.array(arbitraryFlow, {maxLength: 50}),
				fc.constantFrom(...groupBys),
				(flows, by) => {
					const table = new FlowTable();
					table.applySnapshot(flows, t0);
					const stored = new Map<string, Flow>();
					for (const flow of flows) {
						const key = flowKey(flow);
						stored.set(key, stored.has(key) ? mergeFlow(stored.get(key)!, flow) : flow);
					}

					const expected = new Map<string, {count: number; packets: number; bytes: number}>();
					for (const flow of stored.values()) {
						const group = expected.get(label(flow, by)) ?? {count: 0, packets: 0, bytes: 0};
						const c = flow.counters;
						group.count++;
						group.packets += c ? c.original.packets + c.reply.packets : 0;
						group.bytes += c ? c.original.bytes + c.reply.bytes : 0;
						expected.set(label(flow, by), group);
					}

					const page = table.query(query(by), t0);
					assert.equal(page.flows, stored.size);
					assert.equal(page.total, expected.size);
					assert.deepEqual(
						new Map(
							page.rows.map((row) => [
								row.key,
								{count: row.count, packets: row.packets, bytes: row.bytes},
							]),
						),
						expected,
					);
				},
			),
			{numRuns: 300},
		);
	});

	test('sorts groups by count, bytes, packets or rate with ties in key order, and reverses the same way', () => {
		fc.assert(
			fc.property(
				fc.array(arbitraryFlow, {maxLength: 50}),
				fc.constantFrom(...groupBys),
				fc.constantFrom('count', 'bytes', 'packets', 'rate' as const),
				fc.boolean(),
				(flows, by, sort, reverse) => {
					const table = new FlowTable();
					table.applySnapshot(flows, t0);
					const byKey = table.query(query(by), t0).rows;
					const position = new Map(byKey.map((row, i) => [row.key, i]));
					const value = (row: (typeof byKey)[number]) =>
						sort === 'rate' ? row.bytesPerSecond : row[sort];
					const expected = [...byKey]
						.sort(
							(a, b) =>
								(value(a) - value(b)) * (reverse ? -1 : 1) ||
								position.get(a.key)! - position.get(b.key)!,
						)
						.map((row) => row.key);
					assert.deepEqual(
						table.query(query(by, {sort, reverse}), t0).rows.map((row) => row.key),
						expected,
					);
					assert.deepEqual(
						table.query(query(by, {reverse: true}), t0).rows.map((row) => row.key),
						byKey.map((row) => row.key).reverse(),
					);
				},
			),
			{numRuns: 300},
		);
	});

	test('orders group keys naturally: addresses numerically, ports by number, states by rank', () => {
		const table = new FlowTable();
		table.applySnapshot(
			[
				makeFlow({id: 1, src: '10.0.0.10', dport: 8080, state: 'TIME_WAIT'}),
				makeFlow({id: 2, src: '10.0.0.2', dport: 443, state: 'ESTABLISHED'}),
				makeFlow({id: 3, src: '2001:db8::1', dst: '2001:db8::2', dport: 80, state: 'SYN_SENT'}),
			],
			t0,
		);
		const keys = (by: GroupBy) => table.query(query(by), t0).rows.map((row) => row.key);
		assert.deepEqual(keys('src'), ['10.0.0.2', '10.0.0.10', '2001:db8::1']);
		assert.deepEqual(keys('dport'), ['80/tcp', '443/tcp', '8080/tcp']);
		assert.deepEqual(keys('state'), ['SYN_SENT', 'ESTABLISHED', 'TIME_WAIT']);
	});

	test('labels /24 and /64 prefixes, protocols without ports, and flows without NAT', () => {
		const table = new FlowTable();
		table.applySnapshot(
			[
				makeFlow({id: 1, src: '10.1.2.3'}),
				makeFlow({id: 2, src: '10.1.2.200'}),
				makeFlow({id: 3, src: '2001:db8:0:1::5', dst: '2001:db8::9'}),
				makeFlow({id: 4, proto: 'icmp'}),
				makeFlow({id: 5, replyDst: '203.0.113.7', status: 0b1_1110}),
			],
			t0,
		);
		const rows = (by: GroupBy) =>
			table.query(query(by), t0).rows.map((row) => [row.key, row.count]);
		assert.deepEqual(rows('src24'), [
			['10.0.0.0/24', 2],
			['10.1.2.0/24', 2],
			['2001:db8:0:1::/64', 1],
		]);
		assert.deepEqual(rows('dport'), [
			['icmp', 1],
			['443/tcp', 4],
		]);
		assert.deepEqual(rows('nat'), [
			['-', 4],
			['203.0.113.7', 1],
		]);
	});

	test('groups only the flows the filter matches, tombstones counted as closed', () => {
		const table = new FlowTable();
		table.applySnapshot(
			[
				makeFlow({id: 1, dport: 443}),
				makeFlow({id: 2, dport: 443}),
				makeFlow({id: 3, dport: 22}),
				makeFlow({id: 4, proto: 'udp', dport: 53}),
			],
			t0,
		);
		table.applyEvent({type: 'destroy', flow: makeFlow({id: 2, dport: 443}), time: t0}, t0);
		const page = table.query(query('dport', {filter: compile('proto:tcp')}), t0);
		assert.equal(page.flows, 3);
		assert.deepEqual(
			page.rows.map((row) => [row.key, row.count, row.closed]),
			[
				['22/tcp', 1, 0],
				['443/tcp', 2, 1],
			],
		);
	});

	test('sums the rates of the flows in each group', () => {
		const table = new FlowTable();
		table.applySnapshot(
			[
				makeFlow({id: 1, packets: [0, 0], bytes: [0, 0]}),
				makeFlow({id: 2, packets: [0, 0], bytes: [0, 0]}),
			],
			t0,
		);
		table.applySnapshot(
			[
				makeFlow({id: 1, packets: [1, 1], bytes: [100, 0]}),
				makeFlow({id: 2, packets: [3, 0], bytes: [200, 0]}),
			],
			t0 + 1000,
		);
		const [row] = table.query(query('proto'), t0 + 1000).rows;
		assert.equal(row.bytesPerSecond, 300);
		assert.equal(row.packetsPerSecond, 5);
	});

	test('finds a group by label for the cursor, and is not regrouped by an unchanged redraw', () => {
		const table = new FlowTable();
		table.applySnapshot(
			[makeFlow({id: 1, dport: 443}), makeFlow({id: 2, dport: 22}), makeFlow({id: 3, dport: 22})],
			t0,
		);
		const q = query('dport', {sort: 'count', reverse: true});
		assert.equal(table.indexOfKey(q, '22/tcp', t0), 0);
		assert.equal(table.indexOfKey(q, '443/tcp', t0), 1);
		assert.equal(table.indexOfKey(q, '80/tcp', t0), -1);
		const groupings = table.stats.groupings;
		table.query(q, t0 + 1000);
		assert.equal(table.stats.groupings, groupings);
	});
});
