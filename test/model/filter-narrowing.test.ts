import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import fc from 'fast-check';
import type {FlowEvent} from '../../source/flow/types.js';
import {narrows} from '../../source/model/filter-narrowing.js';
import {parseFilter, type Filter} from '../../source/model/filter.js';
import {FlowTable} from '../../source/model/table.js';
import {arbitraryFlow, syntheticFlows} from '../helpers/synthetic-flows.js';

const t0 = 1_700_000_000_000;

function compile(text: string): Filter {
	const result = parseFilter(text);
	if (!result.ok) assert.fail(`'${text}': ${result.error.message}`);
	return result.filter;
}

function keys(table: FlowTable, filter: Filter | undefined, now: number): string[] {
	return table
		.query({sort: 'src', filter, rows: Number.POSITIVE_INFINITY}, now)
		.rows.map((row) => row.key);
}

/**
 * What a whole filter pass gives over the rows `mirror` holds (a table never filtered, so none
 * of its results are caught up): their flows in a new table, filtered once, in `mirror`'s order.
 */
function fullPass(mirror: FlowTable, filter: Filter, now: number): string[] {
	const rows = mirror.query({sort: 'src', rows: Number.POSITIVE_INFINITY}, now).rows;
	const fresh = new FlowTable();
	fresh.applySnapshot(
		rows.map((row) => row.flow),
		now,
	);
	const kept = new Set(keys(fresh, filter, now));
	return rows.map((row) => row.key).filter((key) => kept.has(key));
}

describe('a filter narrowing another', () => {
	const cases: Array<[narrower: string, wider: string, expected: boolean]> = [
		['77', '7', true],
		['7', '77', false],
		['17', '7', true],
		['7 tcp', '7', true],
		['7', '7 tcp', false],
		['tcp 7', '7', true],
		['!7', '!77', true],
		['!77', '!7', false],
		['port:80', 'port:8', false],
		['ttl<60 7', 'ttl<60', true],
		['10.0.0.1', '10.0.0', true],
		['src:10.0.0.1', 'src:10.0.0', false],
		['!7', '7', false],
	];
	for (const [narrower, wider, expected] of cases) {
		test(`'${narrower}' ${expected ? 'narrows' : 'does not narrow'} '${wider}'`, () => {
			assert.equal(narrows(compile(narrower), compile(wider)), expected);
		});
	}

	test('is only claimed when every row it keeps the other keeps too', () => {
		const text = fc.string({
			unit: fc.constantFrom('7', '1', '0', '.', 't', 'c', 'p', ' ', '!', ':'),
			maxLength: 6,
		});
		fc.assert(
			fc.property(fc.array(arbitraryFlow, {maxLength: 30}), text, text, (flows, a, b) => {
				const narrower = parseFilter(a);
				const wider = parseFilter(b);
				fc.pre(narrower.ok && wider.ok);
				if (!narrows(narrower.filter, wider.filter)) return;
				const table = new FlowTable();
				table.applySnapshot(flows, t0);
				const kept = new Set(keys(table, wider.filter, t0));
				for (const key of keys(table, narrower.filter, t0)) assert.ok(kept.has(key), `${a} / ${b}`);
			}),
			{numRuns: 400},
		);
	});
});

describe('filtering as the filter is typed', () => {
	test('gives what a full filter pass gives, keystroke by keystroke, with rows changing between', () => {
		const keystroke = fc.record({
			char: fc.constantFrom('7', '1', '2', '0', '.', 't', 'c', 'p', ' ', '!', 'BS'),
			event: fc.option(
				fc.record({
					type: fc.constantFrom('new', 'update', 'destroy' as const),
					flow: arbitraryFlow,
				}),
				{freq: 4},
			),
		});
		fc.assert(
			fc.property(
				fc.array(arbitraryFlow, {maxLength: 50}),
				fc.array(keystroke, {maxLength: 20}),
				(flows, keystrokes) => {
					// `typed` follows the filter as typed; `full` is never filtered (see `fullPass`).
					const typed = new FlowTable();
					const full = new FlowTable();
					typed.applySnapshot(flows, t0);
					full.applySnapshot(flows, t0);
					let text = '';
					let now = t0;
					for (const {char, event} of keystrokes) {
						text = char === 'BS' ? text.slice(0, -1) : text + char;
						if (event !== null) {
							now += 1000;
							const change: FlowEvent = {...event, time: now};
							typed.applyEvent(change, now);
							full.applyEvent(change, now);
						}

						const parsed = parseFilter(text);
						if (!parsed.ok) continue;
						const expected = fullPass(full, parsed.filter, now);
						assert.deepEqual(keys(typed, parsed.filter, now), expected, text);
						assert.equal(
							typed.query({sort: 'src', filter: parsed.filter, rows: 0}, now).total,
							expected.length,
						);
					}
				},
			),
			{numRuns: 300},
		);
	});

	test('keeps what a full pass gives when the same filter is asked for as rows change and leave', () => {
		const change = fc.record({
			type: fc.constantFrom('new', 'update', 'destroy' as const),
			flow: arbitraryFlow,
			advance: fc.integer({min: 0, max: 4000}),
		});
		fc.assert(
			fc.property(
				fc.array(arbitraryFlow, {maxLength: 40}),
				fc.constantFrom('7', '1', 'tcp', '!7', '0 !udp', 'proto:udp 1'),
				fc.array(change, {maxLength: 25}),
				(flows, text, changes) => {
					const typed = new FlowTable({closedMs: 3000});
					const full = new FlowTable({closedMs: 3000});
					typed.applySnapshot(flows, t0);
					full.applySnapshot(flows, t0);
					const filter = compile(text);
					let now = t0;
					for (const [i, {type, flow, advance}] of changes.entries()) {
						now += advance;
						// Half the changes are to flows already in the table.
						const target =
							i % 2 === 0 && flows.length > 0 ? {...flows[i % flows.length], mark: i} : flow;
						typed.applyEvent({type, flow: target, time: now}, now);
						full.applyEvent({type, flow: target, time: now}, now);
						assert.deepEqual(keys(typed, filter, now), fullPass(full, filter, now), text);
					}
				},
			),
			{numRuns: 300},
		);
	});

	test('narrows a large table the same way, the rows kept few enough to be tested one by one', () => {
		const flows = syntheticFlows(4000, 3);
		const typed = new FlowTable();
		const full = new FlowTable();
		typed.applySnapshot(flows, t0);
		full.applySnapshot(flows, t0);
		for (const text of ['1', '17', '172', '172.', '172.1', '172.1 tcp', '172.1', '17', '1']) {
			const filter = compile(text);
			assert.deepEqual(keys(typed, filter, t0), fullPass(full, filter, t0), text);
		}
	});
});
