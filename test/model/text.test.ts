import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import fc from 'fast-check';
import type {Flow} from '../../source/flow/types.js';
import {parseFilter} from '../../source/model/filter.js';
import {FlowTable} from '../../source/model/table.js';
import {flowText} from '../../source/model/text.js';
import {arbitraryFlow, arbitraryState, makeFlow} from '../helpers/synthetic-flows.js';

const t0 = 1_700_000_000_000;

describe('flowText', () => {
	test('shows a plain TCP flow as protocol, endpoints, state and flags, lowercase', () => {
		assert.equal(
			flowText(makeFlow()),
			'tcp 10.0.0.1:40000 192.0.2.1:443 established seen_reply assured confirmed',
		);
	});

	test('brackets IPv6 endpoints and compresses addresses', () => {
		const flow = makeFlow({
			src: '2001:db8:0:0:0:0:0:1',
			dst: '2001:db8::2',
			proto: 'udp',
			status: 0b1000,
		});
		assert.equal(flowText(flow), 'udp [2001:db8::1]:40000 [2001:db8::2]:443 unreplied confirmed');
	});

	test('shows ICMP type, code and id instead of ports', () => {
		const flow = makeFlow({proto: 'icmp', sport: 77, status: 0});
		assert.equal(flowText(flow), 'icmp 10.0.0.1 192.0.2.1 type=8 code=0 id=77 unreplied');
	});

	test('adds the NAT kind with the reply tuple, then mark, zone and helper', () => {
		const flow = makeFlow({
			replyDst: '203.0.113.7',
			replyDport: 61_000,
			status: 0b1_1110,
			mark: 255,
			zone: 3,
			helper: 'FTP',
		});
		assert.equal(
			flowText(flow),
			'tcp 10.0.0.1:40000 192.0.2.1:443 established snat 192.0.2.1:443 203.0.113.7:61000 seen_reply assured confirmed src_nat mark=0xff zone=3 helper=ftp',
		);
	});

	test('leaves out what changes every second', () => {
		const text = flowText(makeFlow({timeout: 12_345, packets: [777, 1], bytes: [99_999, 1]}));
		for (const part of ['12345', '777', '99999']) assert.ok(!text.includes(part), part);
	});
});

describe('bare-word search over the text index', () => {
	const word = fc.constantFrom(
		'tcp',
		'10.0.',
		':443',
		'.1',
		'established',
		'time_wait',
		'assured',
		'unreplied',
		'snat',
		'2001:db8',
		'::1',
		'helper=',
		'zz',
		'0x',
		'255',
		']:',
	);

	test('finds exactly the rows whose text contains the word, through updates, closes and reused slots', () => {
		const step = fc.record({
			kind: fc.constantFrom('new', 'state', 'destroy', 'search'),
			flow: arbitraryFlow,
			state: arbitraryState,
			pick: fc.nat(),
			advance: fc.integer({min: 0, max: 2000}),
			word,
		});
		fc.assert(
			fc.property(
				fc.array(arbitraryFlow, {maxLength: 30}),
				fc.array(step, {maxLength: 30}),
				word,
				(initial, steps, last) => {
					const table = new FlowTable({closedMs: 1000});
					let now = t0;
					table.applySnapshot(initial, now);
					const known: Flow[] = [...initial];
					const check = (text: string) => {
						const filter = parseFilter(text);
						assert.ok(filter.ok);
						const shown = table.query({sort: 'src', rows: Number.POSITIVE_INFINITY}, now).rows;
						const expected = shown
							.filter((row) => flowText(row.flow).includes(text))
							.map((row) => row.key);
						const found = table.query(
							{sort: 'src', rows: Number.POSITIVE_INFINITY, filter: filter.filter},
							now,
						).rows;
						assert.deepEqual(
							found.map((row) => row.key),
							expected,
							text,
						);
					};

					for (const {kind, flow, state, pick, advance, word: text} of steps) {
						now += advance;
						const target = known.length > 0 ? known[pick % known.length] : flow;
						if (kind === 'new') {
							table.applyEvent({type: 'new', flow, time: now}, now);
							known.push(flow);
						} else if (kind === 'state') {
							table.applyEvent(
								{
									type: 'update',
									flow: {...target, state, status: (target.status ?? 0) ^ 4},
									time: now,
								},
								now,
							);
						} else if (kind === 'destroy') {
							table.applyEvent({type: 'destroy', flow: target, time: now}, now);
						} else {
							check(text);
						}
					}

					check(last);
				},
			),
			{numRuns: 200},
		);
	});

	test('an index built in steps while rows change finds what one built at once finds', () => {
		// 30k rows span several chunks of the index; rows change between the steps, in chunks
		// already built and in chunks not built yet.
		const flows = Array.from({length: 30_000}, (_, i) =>
			makeFlow({id: i, sport: 1024 + i, src: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`}),
		);
		const stepped = new FlowTable();
		const fresh = new FlowTable();
		stepped.applySnapshot(flows, t0);
		assert.equal(stepped.textSearchReady, false);
		const changes = [5, 29_000, 17_000, 100, 25_000, 9000];
		let steps = 0;
		while (!stepped.prepareTextSearch(5000)) {
			const flow = flows[changes[steps % changes.length] + steps];
			stepped.applyEvent({type: 'update', flow: {...flow, state: 'TIME_WAIT'}, time: t0}, t0);
			steps++;
		}

		assert.ok(steps >= 3, `built in ${steps + 1} steps`);
		assert.equal(stepped.textSearchReady, true);
		const changed = flows.map((flow, i) =>
			changes.some((at, step) => at + step === i && step < steps)
				? {...flow, state: 'TIME_WAIT'}
				: flow,
		);
		fresh.applySnapshot(changed, t0);
		const keys = (table: FlowTable, text: string) => {
			const filter = parseFilter(text);
			assert.ok(filter.ok);
			return table
				.query({sort: 'src', rows: Number.POSITIVE_INFINITY, filter: filter.filter}, t0)
				.rows.map((row) => row.key);
		};

		for (const word of ['time_wait', ':1030', '10.0.1', '.7', 'established', '1.2', 'zz']) {
			const expected = keys(fresh, word);
			assert.deepEqual(keys(stepped, word), expected, word);
			assert.deepEqual(
				expected,
				fresh
					.query({sort: 'src', rows: Number.POSITIVE_INFINITY}, t0)
					.rows.filter((row) => flowText(row.flow).includes(word))
					.map((row) => row.key),
				`${word}: the rows whose text has it`,
			);
		}
	});

	test('a search while the index is half built finds every row, built or not', () => {
		const flows = Array.from({length: 30_000}, (_, i) => makeFlow({id: i, sport: 1024 + i}));
		const table = new FlowTable();
		table.applySnapshot(flows, t0);
		assert.equal(table.prepareTextSearch(5000), false);
		// One row in the built first chunk, one in a chunk not built yet.
		for (const i of [3, 28_000]) {
			table.applyEvent({type: 'update', flow: {...flows[i], state: 'TIME_WAIT'}, time: t0}, t0);
		}

		const filter = parseFilter('time_wait');
		assert.ok(filter.ok);
		const rows = table.query({sort: 'sport', rows: 10, filter: filter.filter}, t0).rows;
		assert.deepEqual(
			rows.map((row) => row.flow.original.sport),
			[1027, 29_024],
		);
		assert.equal(table.textSearchReady, true, 'the search built the rest');
	});

	test('rebuilds the index once many rows changed, and only then', () => {
		const flows = Array.from({length: 3000}, (_, i) => makeFlow({id: i, sport: i}));
		const table = new FlowTable();
		table.applySnapshot(flows, t0);
		table.prepareTextSearch();
		const search = (text: string) => {
			const filter = parseFilter(text);
			assert.ok(filter.ok);
			return table.query({sort: 'sport', rows: 0, filter: filter.filter}, t0).total;
		};

		assert.equal(table.stats.textIndexBuilds, 1);
		assert.equal(search('time_wait'), 0);
		for (const flow of flows.slice(0, 10)) {
			table.applyEvent({type: 'update', flow: {...flow, state: 'TIME_WAIT'}, time: t0}, t0);
		}

		assert.equal(search('time_wait'), 10);
		assert.equal(table.stats.textIndexBuilds, 1, 'a few changed rows are searched one by one');
		for (const flow of flows.slice(0, 2000)) {
			table.applyEvent({type: 'update', flow: {...flow, state: 'TIME_WAIT'}, time: t0}, t0);
		}

		assert.equal(search('time_wait'), 2000);
		assert.equal(table.stats.textIndexBuilds, 2);
		assert.equal(search(':2999'), 1);
	});
});
