import assert from 'node:assert/strict';
import {test} from 'node:test';
import {flowKey} from '../../source/flow/key.js';
import {parseFilter} from '../../source/model/filter.js';
import {FlowTable} from '../../source/model/table.js';
import {makeFlow} from '../helpers/synthetic-flows.js';

const t0 = 1_700_000_000_000;

test('an IPv6 flow joining an IPv4-only table sorts and filters by its whole address', () => {
	const table = new FlowTable();
	table.applySnapshot(
		[
			makeFlow({id: 1, src: '10.0.0.2'}),
			makeFlow({id: 2, src: '10.0.0.1', replyDst: '203.0.113.7', status: 0b1_1110}),
		],
		t0,
	);
	const query = {sort: 'src', rows: 10} as const;
	assert.equal(table.query(query, t0).total, 2);
	const v6 = [
		makeFlow({id: 3, src: '2001:db8::1:0:0:2', dst: '2001:db8::9'}),
		makeFlow({id: 4, src: '2001:db8::1:0:0:1', dst: '2001:db8::9'}),
	];
	for (const flow of v6) table.applyEvent({type: 'new', flow, time: t0}, t0);

	assert.deepEqual(
		table.query(query, t0).rows.map((row) => row.flow.id),
		[2, 1, 4, 3],
		'IPv4 first, then IPv6 by all 128 bits',
	);
	const filter = parseFilter('src:2001:db8::1:0:0:1/128');
	assert.ok(filter.ok);
	assert.deepEqual(
		table.query({...query, filter: filter.filter}, t0).rows.map((row) => row.key),
		[flowKey(v6[1])],
	);
	const nat = parseFilter('nat:203.0.113.7');
	assert.ok(nat.ok);
	assert.equal(table.query({...query, filter: nat.filter}, t0).total, 1);
});
