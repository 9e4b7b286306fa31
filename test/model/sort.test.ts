import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import fc from 'fast-check';
import {tcpStates} from '../../source/flow/states.js';
import type {Address, Flow, FlowEvent} from '../../source/flow/types.js';
import {parseFilter, type Filter} from '../../source/model/filter.js';
import {flowKey} from '../../source/flow/key.js';
import {mergeFlow} from '../../source/model/merge.js';
import {sortColumns, type SortColumn} from '../../source/model/sort-columns.js';
import {FlowTable} from '../../source/model/table.js';
import {
	arbitraryFlow,
	makeFlow,
	syntheticEvents,
	syntheticFlows,
} from '../helpers/synthetic-flows.js';

const t0 = 1_700_000_000_000;

/** The rank the state sort follows: the kernel's TCP order, then the SCTP names the flows use. */
const stateOrder = [...tcpStates, 'CLOSED', 'COOKIE_WAIT'];

function address(value: Address | undefined): bigint[] {
	if (value === undefined) return [0n, 0n];
	if (typeof value === 'number') return [1n, BigInt(value)];
	return [2n, BigInt(`0x${Buffer.from(value).toString('hex')}`)];
}

function natOf(flow: Flow): {rank: bigint; address: Address | undefined} {
	const status = flow.status ?? 0;
	const same = (a: Address, b: Address) => address(a)[1] === address(b)[1];
	let kind = flow.nat;
	if (kind === undefined) {
		const snat =
			(status & 16) !== 0 ||
			!same(flow.reply.dst, flow.original.src) ||
			flow.reply.dport !== flow.original.sport;
		const dnat =
			(status & 32) !== 0 ||
			!same(flow.reply.src, flow.original.dst) ||
			flow.reply.sport !== flow.original.dport;
		kind = snat && dnat ? 'both' : snat ? 'snat' : dnat ? 'dnat' : null;
	}

	if (kind === null) return {rank: 0n, address: undefined};
	return {
		rank: kind === 'snat' ? 1n : kind === 'dnat' ? 2n : 3n,
		address: kind === 'dnat' ? flow.reply.src : flow.reply.dst,
	};
}

/** What a table knows about a row besides its flow, as the reference needs it. */
interface Known {
	readonly expiresAt: number;
	readonly since: number;
	readonly rate: number;
}

function columnValue(column: SortColumn, flow: Flow, known: Known): Array<bigint | number> {
	const c = flow.counters;
	switch (column) {
		case 'proto':
			return [flow.protonum];
		case 'src':
			return [...address(flow.original.src), flow.original.sport];
		case 'dst':
			return [...address(flow.original.dst), flow.original.dport];
		case 'sport':
			return [flow.original.sport, ...address(flow.original.src)];
		case 'dport':
			return [flow.original.dport, ...address(flow.original.dst)];
		case 'state': {
			const state = flow.state;
			if (state === undefined || state === null) return [101];
			const rank = stateOrder.indexOf(state);
			return [rank === -1 ? 100 : rank];
		}

		case 'ttl':
			return [known.expiresAt];
		case 'packets':
			return [c ? c.original.packets + c.reply.packets : 0];
		case 'bytes':
			return [c ? c.original.bytes + c.reply.bytes : 0];
		case 'rate':
			return [known.rate];
		case 'age':
			return [-known.since];
		case 'mark':
			return [(flow.mark ?? 0) >>> 0];
		case 'zone':
			return [flow.zone];
		case 'nat': {
			const nat = natOf(flow);
			return [nat.rank, ...address(nat.address)];
		}
	}
}

function compareValues(a: Array<bigint | number>, b: Array<bigint | number>): number {
	for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
	return 0;
}

function identity(flow: Flow): Array<bigint | number> {
	const o = flow.original;
	return [
		flow.id >>> 0,
		flow.zone,
		flow.protonum,
		...address(o.src),
		...address(o.dst),
		o.sport,
		o.dport,
		o.icmpType,
		o.icmpCode,
		o.icmpId,
	];
}

/** The specified order: the column (flipped by reverse), then identity ascending. */
function referenceOrder(
	rows: Array<{key: string; flow: Flow; known: Known}>,
	column: SortColumn,
	reverse: boolean,
): string[] {
	return [...rows]
		.sort((a, b) => {
			const byColumn = compareValues(
				columnValue(column, a.flow, a.known),
				columnValue(column, b.flow, b.known),
			);
			if (byColumn !== 0) return reverse ? -byColumn : byColumn;
			return compareValues(identity(a.flow), identity(b.flow));
		})
		.map((row) => row.key);
}

function stored(flows: readonly Flow[]): Array<{key: string; flow: Flow; known: Known}> {
	const byKey = new Map<string, Flow>();
	for (const flow of flows) {
		const key = flowKey(flow);
		const previous = byKey.get(key);
		byKey.set(key, previous ? mergeFlow(previous, flow) : flow);
	}

	return [...byKey].map(([key, flow]) => ({
		key,
		flow,
		known: {
			expiresAt: flow.timeout === undefined ? Number.POSITIVE_INFINITY : t0 + flow.timeout * 1000,
			since: flow.start ?? t0,
			rate: 0,
		},
	}));
}

function keys(
	table: FlowTable,
	sort: SortColumn,
	reverse = false,
	now = t0,
	filter?: Filter,
): string[] {
	return table
		.query({sort, reverse, rows: Number.POSITIVE_INFINITY, filter}, now)
		.rows.map((row) => row.key);
}

/** Two tables holding `initial` at t0, the first already sorted by `sort` (ascending). */
function twinTables(
	initial: readonly Flow[],
	sort: SortColumn,
): {table: FlowTable; fresh: FlowTable} {
	const table = new FlowTable({closedMs: 3000});
	const fresh = new FlowTable({closedMs: 3000});
	table.applySnapshot(initial, t0);
	fresh.applySnapshot(initial, t0);
	keys(table, sort, false, t0);
	return {table, fresh};
}

const column = fc.constantFrom(...sortColumns);

describe('sorting by every column', () => {
	test('gives the specified total order: the column, then flow identity', () => {
		fc.assert(
			fc.property(
				fc.array(arbitraryFlow, {maxLength: 60}),
				column,
				fc.boolean(),
				(flows, sort, reverse) => {
					const table = new FlowTable();
					table.applySnapshot(flows, t0);
					assert.deepEqual(
						keys(table, sort, reverse),
						referenceOrder(stored(flows), sort, reverse),
					);
				},
			),
			{numRuns: 300},
		);
	});

	test('does not depend on the order flows arrived in', () => {
		fc.assert(
			fc.property(
				fc
					.uniqueArray(arbitraryFlow, {maxLength: 60, selector: flowKey})
					.chain((flows) =>
						fc.tuple(fc.constant(flows), fc.shuffledSubarray(flows, {minLength: flows.length})),
					),
				column,
				fc.boolean(),
				([flows, shuffled], sort, reverse) => {
					const a = new FlowTable();
					const b = new FlowTable();
					a.applySnapshot(flows, t0);
					b.applyEvents(
						shuffled.map((flow): FlowEvent => ({type: 'update', flow, time: t0})),
						t0,
					);
					assert.deepEqual(keys(b, sort, reverse), keys(a, sort, reverse));
				},
			),
			{numRuns: 200},
		);
	});

	test('reversed, gives the exact reverse where values differ and keeps ties in identity order', () => {
		fc.assert(
			fc.property(fc.array(arbitraryFlow, {maxLength: 60}), column, (flows, sort) => {
				const table = new FlowTable();
				table.applySnapshot(flows, t0);
				const rows = new Map(stored(flows).map((row) => [row.key, row]));
				const value = (key: string) =>
					JSON.stringify(
						columnValue(sort, rows.get(key)!.flow, rows.get(key)!.known),
						(_, v: unknown) => (typeof v === 'bigint' ? String(v) : v),
					);
				const forward = keys(table, sort);
				const backward = keys(table, sort, true);
				// Runs of equal values, in forward order: reversing lists the runs backwards, each run as is.
				const runs: string[][] = [];
				for (const key of forward) {
					if (runs.length > 0 && value(runs.at(-1)![0]) === value(key)) runs.at(-1)!.push(key);
					else runs.push([key]);
				}

				assert.deepEqual(backward, runs.reverse().flat());
			}),
			{numRuns: 200},
		);
	});

	test('stays correct through any sequence of events, incremental updates included', () => {
		const event = fc.record({
			type: fc.constantFrom('new', 'update', 'update', 'destroy' as const),
			flow: arbitraryFlow,
			advance: fc.integer({min: 0, max: 2500}),
		});
		fc.assert(
			fc.property(
				fc.array(arbitraryFlow, {maxLength: 30}),
				fc.array(event, {maxLength: 40}),
				column,
				fc.boolean(),
				(initial, events, sort, reverse) => {
					fc.pre(!['ttl', 'age', 'rate'].includes(sort));
					const table = new FlowTable();
					let now = t0;
					table.applySnapshot(initial, now);
					const live = [...initial];
					for (const [i, {type, flow, advance}] of events.entries()) {
						now += advance;
						// Half the events are about flows already in the table.
						const target =
							i % 2 === 0 && live.length > 0
								? {
										...live[i % live.length],
										state: flow.state,
										counters: flow.counters,
										mark: flow.mark,
									}
								: flow;
						table.applyEvent({type, flow: target, time: now}, now);
						live.push(target);
						if (i % 5 === 0) keys(table, sort, reverse, now);
					}

					const rows = table
						.query({sort, reverse, rows: Number.POSITIVE_INFINITY}, now)
						.rows.map((row) => ({
							key: row.key,
							flow: row.flow,
							known: {expiresAt: 0, since: 0, rate: 0},
						}));
					assert.deepEqual(
						rows.map((row) => row.key),
						referenceOrder(rows, sort, reverse),
					);
				},
			),
			{numRuns: 200},
		);
	});
});

describe('turning the order round', () => {
	test('gives what sorting afresh in that direction gives, through events, expiry and grouping', () => {
		const step = fc.oneof(
			fc.record({kind: fc.constant('reverse' as const)}),
			fc.record({kind: fc.constant('group' as const)}),
			fc.record({
				kind: fc.constant('event' as const),
				type: fc.constantFrom('new', 'update', 'destroy' as const),
				flow: arbitraryFlow,
				advance: fc.integer({min: 0, max: 4000}),
			}),
		);
		fc.assert(
			fc.property(
				fc.array(arbitraryFlow, {maxLength: 40}),
				fc.array(step, {maxLength: 30}),
				column,
				(initial, steps, sort) => {
					// `fresh` sorts anew for every comparison; `table` only turns its order round.
					const {table, fresh} = twinTables(initial, sort);
					let now = t0;
					let reverse = false;
					for (const [i, item] of steps.entries()) {
						if (item.kind === 'reverse') reverse = !reverse;
						else if (item.kind === 'group')
							table.query({group: 'src', sort: 'count', rows: 5}, now);
						else {
							now += item.advance;
							const target =
								i % 2 === 0 && initial.length > 0 ? initial[i % initial.length] : item.flow;
							table.applyEvent({type: item.type, flow: target, time: now}, now);
							fresh.applyEvent({type: item.type, flow: target, time: now}, now);
						}

						// Another column in between makes the fresh table sort again.
						keys(fresh, sort === 'proto' ? 'zone' : 'proto', false, now);
						const sortsBefore = fresh.stats.sorts;
						const expected = keys(fresh, sort, reverse, now);
						assert.equal(fresh.stats.sorts, sortsBefore + 1);
						assert.deepEqual(keys(table, sort, reverse, now), expected);
					}
				},
			),
			{numRuns: 300},
		);
	});
});

describe('re-placing changed rows', () => {
	const numericColumn = fc.constantFrom('ttl', 'packets', 'bytes', 'rate', 'age' as const);

	test('gives what sorting afresh gives, as rows change, close, expire and the direction turns', () => {
		const step = fc.oneof(
			fc.record({
				kind: fc.constant('change' as const),
				pick: fc.nat(),
				timeout: fc.integer({min: 0, max: 500_000}),
				counters: fc.tuple(fc.nat(5000), fc.nat(3_000_000)),
				advance: fc.integer({min: 0, max: 1500}),
			}),
			fc.record({kind: fc.constant('destroy' as const), pick: fc.nat()}),
			fc.record({kind: fc.constant('reverse' as const)}),
			fc.record({kind: fc.constant('expire' as const), advance: fc.integer({min: 0, max: 4000})}),
		);
		fc.assert(
			fc.property(
				fc.array(arbitraryFlow, {minLength: 16, maxLength: 80}),
				fc.array(step, {maxLength: 25}),
				numericColumn,
				(initial, steps, sort) => {
					// `fresh` sorts anew for every comparison; `table` re-places the rows that changed.
					const {table, fresh} = twinTables(initial, sort);
					let now = t0;
					let reverse = false;
					for (const item of steps) {
						if (item.kind === 'reverse') {
							reverse = !reverse;
						} else if (item.kind === 'expire') {
							now += item.advance;
						} else {
							const flow = initial[item.pick % initial.length];
							const [packets, bytes] = item.kind === 'change' ? item.counters : [0, 0];
							const changed =
								item.kind === 'change'
									? {
											...flow,
											timeout: item.timeout,
											counters: {
												original: {packets, bytes},
												reply: {packets: packets >> 1, bytes: bytes >> 1},
											},
										}
									: flow;
							if (item.kind === 'change') now += item.advance;
							const type = item.kind === 'change' ? 'update' : 'destroy';
							table.applyEvent({type, flow: changed, time: now}, now);
							fresh.applyEvent({type, flow: changed, time: now}, now);
						}

						keys(fresh, 'proto', false, now);
						assert.deepEqual(keys(table, sort, reverse, now), keys(fresh, sort, reverse, now));
					}
				},
			),
			{numRuns: 300},
		);
	});

	test('re-places rows whose numbers tie with others, and rows moving to either end', () => {
		const flows = Array.from({length: 200}, (_, i) =>
			makeFlow({id: 1000 - i, sport: 2000 + i, packets: [i % 50, 0], bytes: [i % 50, 0]}),
		);
		for (const reverse of [false, true]) {
			const table = new FlowTable();
			const fresh = new FlowTable();
			table.applySnapshot(flows, t0);
			fresh.applySnapshot(flows, t0);
			keys(table, 'packets', reverse);
			for (const [index, packets] of [
				[3, 0],
				[60, 49],
				[7, 1_000_000],
				[150, 25],
			] as const) {
				const event: FlowEvent = {
					type: 'update',
					flow: {
						...flows[index],
						counters: {original: {packets, bytes: 0}, reply: {packets: 0, bytes: 0}},
					},
					time: t0,
				};
				table.applyEvent(event, t0);
				fresh.applyEvent(event, t0);
				keys(fresh, 'proto');
				assert.deepEqual(keys(table, 'packets', reverse), keys(fresh, 'packets', reverse));
			}
		}
	});

	test('turns the order round after rows changed, at once or a query later, as sorting afresh would', () => {
		// Ties (i % 50) make the turn keep equal rows in identity order, as a sort the other way does.
		const flows = Array.from({length: 200}, (_, i) =>
			makeFlow({id: 1000 - i, sport: 2000 + i, packets: [i % 50, 0], bytes: [i % 50, 0]}),
		);
		const table = new FlowTable();
		const fresh = new FlowTable();
		table.applySnapshot(flows, t0);
		fresh.applySnapshot(flows, t0);
		let reverse = false;
		keys(table, 'packets', reverse);
		for (const [step, index] of [3, 60, 7, 150, 199, 0].entries()) {
			const event: FlowEvent = {
				type: 'update',
				flow: {
					...flows[index],
					counters: {
						original: {packets: (index * 7) % 50, bytes: 0},
						reply: {packets: 0, bytes: 0},
					},
				},
				time: t0,
			};
			table.applyEvent(event, t0);
			fresh.applyEvent(event, t0);
			// Even steps query before turning (a mend, then a turn by its values); odd steps turn
			// in the query that mends.
			if (step % 2 === 0) keys(table, 'packets', reverse);
			reverse = !reverse;
			keys(fresh, 'proto');
			assert.deepEqual(
				keys(table, 'packets', reverse),
				keys(fresh, 'packets', reverse),
				`step ${step}`,
			);
		}
	});
});

describe('large tables', () => {
	test('keep the specified order as the store grows and events pour in', () => {
		const flows = syntheticFlows(3000, 5);
		const table = new FlowTable();
		table.applySnapshot(flows, t0);
		for (const sort of ['src', 'bytes', 'dport'] as const) keys(table, sort);
		let now = t0;
		for (let i = 0; i < 3; i++) {
			now += 1000;
			table.applyEvents(syntheticEvents(flows, 1000, 40 + i, now), now);
			for (const sort of ['src', 'bytes', 'dport', 'nat'] as const) {
				const rows = table.query({sort, rows: Number.POSITIVE_INFINITY}, now).rows.map((row) => ({
					key: row.key,
					flow: row.flow,
					known: {expiresAt: 0, since: 0, rate: 0},
				}));
				assert.deepEqual(
					rows.map((row) => row.key),
					referenceOrder(rows, sort, false),
					sort,
				);
			}
		}
	});
});

describe('tables of 65,536 rows and more', () => {
	/** `referenceOrder` with each row's values worked out once, for tables this size. */
	function referenceOf(
		rows: Array<{key: string; flow: Flow; known: Known}>,
		sort: SortColumn,
		reverse: boolean,
	): string[] {
		return rows
			.map((row) => ({
				key: row.key,
				value: columnValue(sort, row.flow, row.known),
				identity: identity(row.flow),
			}))
			.sort((a, b) => {
				const byColumn = compareValues(a.value, b.value);
				if (byColumn !== 0) return reverse ? -byColumn : byColumn;
				return compareValues(a.identity, b.identity);
			})
			.map((row) => row.key);
	}

	test('sort by every column in both directions as a comparison sort does, as rows join, change and leave', () => {
		// Wide radix digits are only used from 65,536 rows on.
		const flows = syntheticFlows(70_000, 21);
		const table = new FlowTable({closedMs: 1000});
		table.applySnapshot(flows, t0);
		const rows = stored(flows);
		for (const sort of sortColumns) {
			// Both directions where the key is wide enough for 16-bit digits.
			const directions = ['src', 'sport', 'ttl', 'packets'].includes(sort)
				? [false, true]
				: [false];
			for (const reverse of directions) {
				assert.deepEqual(keys(table, sort, reverse), referenceOf(rows, sort, reverse), sort);
			}
		}

		// Rows join, change and leave; a second later the destroyed ones expire and free their
		// slots, which the next batch's new rows take.
		let now = t0;
		table.applyEvents(syntheticEvents(flows, 5000, 60, now), now);
		now += 2000;
		table.applyEvents(syntheticEvents(flows, 5000, 61, now), now);
		const live = table.query({sort: 'src', rows: Number.POSITIVE_INFINITY}, now).rows;
		const known = live.map((row) => ({
			key: row.key,
			flow: row.flow,
			known: {expiresAt: 0, since: 0, rate: 0},
		}));
		for (const sort of ['src', 'sport', 'packets'] as const) {
			for (const reverse of [false, true]) {
				assert.deepEqual(keys(table, sort, reverse, now), referenceOf(known, sort, reverse), sort);
			}
		}
	});
});

describe('column orders', () => {
	test('addresses sort numerically, IPv4 before IPv6', () => {
		const table = new FlowTable();
		const flows = [
			makeFlow({id: 1, src: '2001:db8::1', dst: '2001:db8::2'}),
			makeFlow({id: 2, src: '10.0.0.10'}),
			makeFlow({id: 3, src: '10.0.0.2'}),
			makeFlow({id: 4, src: '9.255.255.255'}),
		];
		table.applySnapshot(flows, t0);
		assert.deepEqual(
			table.query({sort: 'src', rows: 10}, t0).rows.map((row) => row.flow.id),
			[4, 3, 2, 1],
		);
	});

	test('an address sorts on by its port, and a port by its address', () => {
		const table = new FlowTable();
		// Identity order (the id) disagrees with the port order, so only a secondary key fixes it.
		table.applySnapshot(
			[
				makeFlow({id: 1, src: '10.0.0.2', sport: 9000, dst: '10.0.0.9', dport: 80}),
				makeFlow({id: 2, src: '10.0.0.1', sport: 7000, dst: '10.0.0.9', dport: 22}),
				makeFlow({id: 3, src: '10.0.0.2', sport: 1000, dst: '10.0.0.8', dport: 80}),
				makeFlow({id: 4, src: '10.0.0.1', sport: 2000, dst: '10.0.0.8', dport: 443}),
			],
			t0,
		);
		const ids = (sort: SortColumn, reverse = false) =>
			table.query({sort, reverse, rows: 10}, t0).rows.map((row) => row.flow.id);
		assert.deepEqual(ids('src'), [4, 2, 3, 1]);
		assert.deepEqual(ids('src', true), [1, 3, 2, 4]);
		assert.deepEqual(ids('dst'), [3, 4, 2, 1]);
		assert.deepEqual(ids('sport'), [3, 4, 2, 1]);
		assert.deepEqual(ids('dport'), [2, 3, 1, 4]);
	});

	test('a key that is one value on the live rows sorts on by the next, whatever freed slots hold', () => {
		// Slot 0's flow leaves with the only other port, its slot still holding it; then a flow
		// with another port takes the slot, and the port orders again.
		const table = new FlowTable({closedMs: 1000});
		const gone = makeFlow({id: 1, sport: 9, src: '10.0.0.50'});
		table.applySnapshot(
			[
				gone,
				makeFlow({id: 2, sport: 7, src: '10.0.0.3'}),
				makeFlow({id: 3, sport: 7, src: '10.0.0.1'}),
				makeFlow({id: 4, sport: 7, src: '10.0.0.2'}),
			],
			t0,
		);
		table.applyEvent({type: 'destroy', flow: gone, time: t0}, t0);
		const srcOf = (now: number, reverse = false) =>
			table
				.query({sort: 'sport', reverse, rows: 10}, now)
				.rows.map((row) => `${row.flow.original.sport} ${(row.flow.original.src as number) & 255}`);
		assert.deepEqual(srcOf(t0 + 2000), ['7 1', '7 2', '7 3']);
		assert.deepEqual(srcOf(t0 + 2000, true), ['7 3', '7 2', '7 1']);
		table.applyEvent(
			{type: 'new', flow: makeFlow({id: 5, sport: 8, src: '10.0.0.9'}), time: t0 + 2000},
			t0 + 2000,
		);
		assert.deepEqual(srcOf(t0 + 2000), ['7 1', '7 2', '7 3', '8 9']);
		assert.deepEqual(srcOf(t0 + 2000, true), ['8 9', '7 3', '7 2', '7 1']);
	});

	test('states sort by how far a connection got, not alphabetically, stateless last', () => {
		const table = new FlowTable();
		const states = ['TIME_WAIT', 'ESTABLISHED', null, 'SYN_SENT', 'CLOSE'];
		table.applySnapshot(
			states.map((state, id) => makeFlow({id, state})),
			t0,
		);
		assert.deepEqual(
			table.query({sort: 'state', rows: 10}, t0).rows.map((row) => row.flow.state),
			['SYN_SENT', 'ESTABLISHED', 'TIME_WAIT', 'CLOSE', null],
		);
	});

	test('ttl sorts by when flows expire, whenever their timeouts were read', () => {
		const table = new FlowTable();
		table.applySnapshot([makeFlow({id: 1, timeout: 100})], t0);
		table.applyEvent(
			{type: 'update', flow: makeFlow({id: 2, timeout: 50}), time: t0 + 60_000},
			t0 + 60_000,
		);
		// Expiry: #1 at t0+100 s, #2 at t0+110 s, though #2 reported the smaller timeout.
		assert.deepEqual(
			table.query({sort: 'ttl', rows: 10}, t0 + 60_000).rows.map((row) => [row.flow.id, row.ttl]),
			[
				[1, 40],
				[2, 50],
			],
		);
	});

	test('age sorts youngest first, by kernel start time when known', () => {
		const table = new FlowTable();
		table.applySnapshot([makeFlow({id: 1}), makeFlow({id: 2, start: t0 - 5000})], t0);
		table.applyEvent({type: 'new', flow: makeFlow({id: 3}), time: t0 + 1000}, t0 + 1000);
		assert.deepEqual(
			table.query({sort: 'age', rows: 10}, t0 + 2000).rows.map((row) => [row.flow.id, row.age]),
			[
				[3, 1],
				[1, 2],
				[2, 7],
			],
		);
	});
});

describe('the cached order', () => {
	function filled(): FlowTable {
		const table = new FlowTable();
		table.applySnapshot(
			Array.from({length: 50}, (_, id) =>
				makeFlow({id, sport: 1000 + id, packets: [id, 0], bytes: [id * 100, 0], timeout: id}),
			),
			t0,
		);
		return table;
	}

	test('is not re-sorted or re-filtered by a redraw of an unchanged table, even a second later', () => {
		const table = filled();
		const filter = (parseFilter('proto:tcp') as {filter: Filter}).filter;
		table.query({sort: 'bytes', filter, rows: 10}, t0);
		const before = table.stats;
		table.query({sort: 'bytes', filter, rows: 10}, t0);
		table.query({sort: 'bytes', filter, rows: 10, offset: 10}, t0 + 1000);
		assert.equal(table.stats.sorts, before.sorts);
		assert.equal(table.stats.filterPasses, before.filterPasses);
	});

	test('is not re-sorted by the clock when sorted by ttl; a ttl filter is re-run, the order kept', () => {
		const table = filled();
		const filter = (parseFilter('ttl<20') as {filter: Filter}).filter;
		const first = keys(table, 'ttl', false, t0, filter);
		const sorts = table.stats.sorts;
		const second = keys(table, 'ttl', false, t0 + 5000, filter);
		assert.equal(table.stats.sorts, sorts);
		assert.equal(first.length, 20);
		assert.equal(second.length, 25);
		assert.deepEqual(second.slice(0, 20), first);
	});

	test('is re-sorted when a sort key changes, and only then', () => {
		const table = filled();
		keys(table, 'sport');
		const sorts = table.stats.sorts;
		table.applyEvent(
			{
				type: 'update',
				flow: {...makeFlow({id: 7, sport: 1007, packets: [500, 0], bytes: [1, 1]})},
				time: t0,
			},
			t0,
		);
		keys(table, 'sport');
		assert.equal(table.stats.sorts, sorts, 'counters do not move the sport order');
		keys(table, 'bytes');
		assert.equal(table.stats.sorts, sorts + 1, 'switching column sorts');
		table.applyEvent(
			{
				type: 'update',
				flow: makeFlow({id: 7, sport: 1007, packets: [600, 0], bytes: [2, 2]}),
				time: t0,
			},
			t0,
		);
		keys(table, 'bytes');
		assert.equal(table.stats.sorts, sorts + 2, 'changed bytes re-sort by bytes');
	});

	test('drops expired tombstones without re-sorting', () => {
		const table = filled();
		table.applyEvent({type: 'destroy', flow: makeFlow({id: 3, sport: 1003}), time: t0}, t0);
		assert.equal(keys(table, 'sport', false, t0).length, 50);
		const sorts = table.stats.sorts;
		assert.equal(keys(table, 'sport', false, t0 + 3000).length, 49);
		assert.equal(table.stats.sorts, sorts);
	});
});
