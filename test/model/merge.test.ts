import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {flowChange, mergeFlow, mergeInto, storedFlow} from '../../source/model/merge.js';
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

describe('mergeInto', () => {
	test('changes the stored flow in place to what mergeFlow returns', () => {
		const original = makeFlow({packets: [1, 1], bytes: [10, 10], mark: 3, helper: 'ftp', start: 5});
		const stored = storedFlow(original);
		const counters = stored.counters;
		const update = {
			...makeFlow({state: 'TIME_WAIT', timeout: 120, packets: [2, 1], bytes: [20, 10]}),
			mark: undefined,
			status: undefined,
		};
		const changes = mergeInto(stored, update);
		assert.deepEqual({...stored}, {...storedFlow(mergeFlow(original, update))});
		assert.equal(stored.counters, counters, 'the counters change in place');
		assert.equal(
			changes,
			flowChange.state | flowChange.counters | flowChange.other,
			'state, counters and timeout changed',
		);
		assert.deepEqual(original.counters, {
			original: {packets: 1, bytes: 10},
			reply: {packets: 1, bytes: 10},
		});
	});

	test('keeps the stored reply tuple when the message repeats it by value', () => {
		const stored = storedFlow(makeFlow());
		const reply = stored.reply;
		assert.equal(mergeInto(stored, makeFlow()), 0);
		assert.equal(stored.reply, reply);
	});

	test('takes a reply tuple that differs, and says so', () => {
		const stored = storedFlow(makeFlow());
		const incoming = {...makeFlow(), reply: {...stored.reply, dport: 1}};
		assert.equal(mergeInto(stored, incoming), flowChange.reply);
		assert.equal(stored.reply.dport, 1);
		assert.notEqual(stored.reply, incoming.reply, 'a copy: the message is garbage once merged');
	});

	test('takes null as a value, not a gap', () => {
		const stored = storedFlow(makeFlow({proto: 'udp', state: 'ESTABLISHED'}));
		assert.equal(mergeInto(stored, makeFlow({proto: 'udp', state: null})), flowChange.state);
		assert.equal(stored.state, null);
	});
});

describe('storedFlow', () => {
	test('copies the counters, so changing the copy leaves the flow as it was', () => {
		const flow = makeFlow({packets: [1, 1], bytes: [10, 10]});
		const stored = storedFlow(flow);
		mergeInto(stored, makeFlow({packets: [9, 9], bytes: [90, 90]}));
		assert.equal(flow.counters?.original.packets, 1);
		assert.equal(stored.counters?.original.packets, 9);
	});
});
