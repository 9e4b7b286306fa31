import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import type {Flow} from '../../source/flow/types.js';
import {FlowColumns} from '../../source/model/flow-columns.js';
import {mergeFlow} from '../../source/model/merge.js';
import {flowChange, StoredFlow} from '../../source/model/stored-flow.js';
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

describe('StoredFlow', () => {
	/** Every field of `flow` as an own property, as `toFlow` lists them. */
	function plain(flow: Flow): Flow {
		const tuple = (t: Flow['original']) => ({...t, zone: t.zone});
		return {
			id: flow.id,
			family: flow.family,
			protonum: flow.protonum,
			proto: flow.proto,
			original: tuple(flow.original),
			reply: tuple(flow.reply),
			status: flow.status,
			state: flow.state,
			timeout: flow.timeout,
			mark: flow.mark,
			use: flow.use,
			zone: flow.zone,
			counters: flow.counters,
			start: flow.start,
			stop: flow.stop,
			helper: flow.helper,
			labels: flow.labels,
			nat: flow.nat,
		};
	}

	function stored(flow: Flow, slot = 3): StoredFlow {
		const columns = new FlowColumns();
		columns.grow(8);
		return new StoredFlow(columns, slot, flow);
	}

	test('reads back every field of the flow it stores', () => {
		for (const flow of [
			makeFlow({
				packets: [1, 2],
				bytes: [10, 20],
				mark: 3,
				helper: 'ftp',
				start: 1.7e12,
				status: 0x8e,
			}),
			makeFlow({proto: 'udp', state: null, timeout: 30, id: 0xfedcba98}),
			{...makeFlow({src: '2001:db8::1', dst: '2001:db8::2', nat: 'dnat'}), labels: [1, 5], stop: 9},
			{...makeFlow(), counters: undefined, status: undefined, mark: undefined, nat: null},
		]) {
			assert.deepEqual(stored(flow).toFlow(), plain(flow));
		}
	});

	test('merges in place to what mergeFlow returns, and says what changed', () => {
		const original = makeFlow({packets: [1, 1], bytes: [10, 10], mark: 3, helper: 'ftp', start: 5});
		const flow = stored(original);
		const update = {
			...makeFlow({state: 'TIME_WAIT', timeout: 120, packets: [2, 1], bytes: [20, 10]}),
			mark: undefined,
			status: undefined,
		};
		const changes = flow.merge(update);
		assert.deepEqual(flow.toFlow(), stored(mergeFlow(original, update)).toFlow());
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

	test('reports nothing when the message repeats the flow by value', () => {
		const flow = stored(makeFlow({packets: [4, 4], bytes: [40, 40]}));
		assert.equal(flow.merge(makeFlow({packets: [4, 4], bytes: [40, 40]})), 0);
	});

	test('takes a reply tuple that differs, says so, and keeps what it replaced', () => {
		const columns = new FlowColumns();
		columns.grow(4);
		const flow = new StoredFlow(columns, 1, makeFlow());
		const before = flow.reply;
		const incoming = {...makeFlow(), reply: {...before, dport: 1}};
		assert.equal(flow.merge(incoming), flowChange.reply);
		assert.equal(flow.reply.dport, 1);
		assert.deepEqual(columns.before.reply, before);
	});

	test('keeps IPv6 and zoned reply tuples whole, and drops them when the slot is freed', () => {
		const columns = new FlowColumns();
		columns.grow(4);
		const v6 = makeFlow({src: '2001:db8::1', dst: '2001:db8::2'});
		const flow = new StoredFlow(columns, 2, v6);
		assert.deepEqual(flow.reply, {...v6.reply, zone: v6.reply.zone});
		const zoned = {...makeFlow(), reply: {...makeFlow().reply, zone: 7}};
		assert.equal(flow.merge(zoned), flowChange.reply);
		assert.equal(flow.reply.zone, 7);
		assert.equal(flow.merge({...makeFlow(), reply: makeFlow().reply}), flowChange.reply);
		assert.equal(flow.reply.zone, undefined);
		assert.equal(columns.reply.wideCount, 0);
		flow.merge(v6);
		columns.clear(2);
		assert.equal(columns.reply.wideCount, 0);
	});

	test('takes null as a value, not a gap', () => {
		const flow = stored(makeFlow({proto: 'udp', state: 'ESTABLISHED'}));
		assert.equal(flow.merge(makeFlow({proto: 'udp', state: null})), flowChange.state);
		assert.equal(flow.state, null);
	});

	test('holds its counters apart from the flow it was made from', () => {
		const from = makeFlow({packets: [1, 1], bytes: [10, 10]});
		const flow = stored(from);
		flow.merge(makeFlow({packets: [9, 9], bytes: [90, 90]}));
		assert.equal(from.counters?.original.packets, 1);
		assert.equal(flow.counters?.original.packets, 9);
	});
});
