import assert from 'node:assert/strict';
import {test} from 'node:test';
import {flowCsvBound, writeFlowCsv} from '../../source/cli/csv-bytes.js';
import {csvRow} from '../../source/cli/csv.js';
import {flowToJson} from '../../source/flow/json.js';
import type {Flow} from '../../source/flow/types.js';
import {makeFlow, syntheticFlows} from '../helpers/synthetic-flows.js';

/** What the string path prints for `flow`: the row and its newline. */
function stringRow(flow: Flow): string {
	return csvRow(flowToJson(flow)) + '\n';
}

test('writeFlowCsv writes the bytes of csvRow(flowToJson(flow)) for varied flows', () => {
	const base = makeFlow({
		packets: [3, 2],
		bytes: [300, 200],
		start: Date.UTC(2026, 0, 1, 0, 0, 1, 5),
	});
	const flows: Flow[] = [
		...syntheticFlows(5000, 21),
		base,
		makeFlow({src: '2001:db8::1', dst: '::ffff:192.0.2.7', sport: 1, dport: 65_535}),
		makeFlow({proto: 'icmp', sport: 77, state: null, start: -1.5}),
		makeFlow({proto: 'icmpv6', sport: 0, state: null, start: Date.UTC(10_000, 0, 1)}),
		makeFlow({proto: 'gre', state: null}),
		makeFlow({replySrc: '10.9.9.9', nat: 'dnat', status: 0b10_0000_1110, mark: 0x2a}),
		makeFlow({replyDst: '203.0.113.9', replyDport: 1024, nat: 'both', zone: 7}),
		{...base, helper: 'ftp', labels: [1, 64]},
		{
			...base,
			status: undefined,
			state: undefined,
			timeout: undefined,
			mark: undefined,
			use: undefined,
			nat: undefined,
			counters: undefined,
			start: undefined,
		},
		{...base, status: 0, state: ''},
		{...base, id: 0xffffffff, mark: 0x80000000, timeout: 0},
		{
			...base,
			counters: {original: {packets: 2 ** 53 - 1, bytes: 2 ** 40}, reply: {packets: 0, bytes: 9}},
		},
	];
	const buffer = Buffer.alloc(8192);
	for (const flow of flows) {
		const end = writeFlowCsv(buffer, 5, flow);
		assert.ok(end !== -1 && end - 5 <= flowCsvBound(flow));
		assert.equal(buffer.toString('utf8', 5, end), stringRow(flow));
	}
});

test('writeFlowCsv leaves names that need quoting or encoding, and odd numbers, to the string path', () => {
	const base = makeFlow({packets: [1, 1], bytes: [1, 1]});
	const odd: Flow[] = [
		{...base, proto: 'a,b'},
		{...base, state: 'SAY "HI"'},
		{...base, state: 'ÉTABLI'},
		{...base, timeout: 1.5},
		{...base, counters: {original: {packets: 1e21, bytes: 0}, reply: {packets: 0, bytes: 0}}},
		{...base, original: {...base.original, sport: 2 ** 60}},
	];
	const buffer = Buffer.alloc(8192);
	for (const flow of odd) assert.equal(writeFlowCsv(buffer, 0, flow), -1, stringRow(flow));
	// What the string path makes of them: RFC 4180 quoting, UTF-8, String(number).
	assert.match(stringRow(odd[0]), /^1,ipv4,"a,b",/);
	assert.match(stringRow(odd[1]), /,"SAY ""HI""",/);
});
