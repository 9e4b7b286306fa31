import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {mergeFlow} from '../../source/model/merge.js';
import {makeFlow} from '../helpers/synthetic-flows.js';

describe('mergeFlow', () => {
	test('keeps the stored value of every field the message leaves undefined', () => {
		const stored = makeFlow({packets: [1, 1], bytes: [10, 10], mark: 3, helper: 'ftp', start: 5});
		const update = {
			...makeFlow({state: 'TIME_WAIT', timeout: 120}),
			counters: undefined,
			mark: undefined,
			status: undefined,
		};
		const merged = mergeFlow(stored, update);
		assert.equal(merged.state, 'TIME_WAIT');
		assert.equal(merged.timeout, 120);
		assert.equal(merged.mark, 3);
		assert.equal(merged.helper, 'ftp');
		assert.equal(merged.start, 5);
		assert.equal(merged.status, stored.status);
		assert.deepEqual(merged.counters, stored.counters);
	});

	test('takes null as a value, not a gap', () => {
		const merged = mergeFlow(
			makeFlow({proto: 'udp', state: 'ESTABLISHED'}),
			makeFlow({proto: 'udp', state: null}),
		);
		assert.equal(merged.state, null);
	});

	test('returns the incoming flow itself when it lacks nothing', () => {
		const incoming = makeFlow({mark: 1});
		assert.equal(mergeFlow(makeFlow(), incoming), incoming);
	});
});
