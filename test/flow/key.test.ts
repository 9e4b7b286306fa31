import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import fc from 'fast-check';
import {compareFlowIdentity, flowKey, flowKeyId} from '../../source/flow/key.js';
import {arbitraryFlow, makeFlow} from '../helpers/synthetic-flows.js';

describe('flowKey', () => {
	test('is the same for every message about one entry, whatever optional fields they carry', () => {
		const dump = makeFlow({id: 7, packets: [1, 2], bytes: [3, 4], mark: 5});
		const event = {...makeFlow({id: 7}), status: undefined, state: undefined, timeout: undefined};
		assert.equal(flowKey(dump), flowKey(event));
	});

	test('tells apart entries that share a kernel id', () => {
		const a = makeFlow({id: 7, sport: 1000});
		const b = makeFlow({id: 7, sport: 1001});
		assert.notEqual(flowKey(a), flowKey(b));
		assert.notEqual(flowKey(a), flowKey(makeFlow({id: 7, sport: 1000, zone: 1})));
		assert.notEqual(flowKey(a), flowKey(makeFlow({id: 7, sport: 1000, proto: 'udp'})));
		assert.notEqual(flowKey(a), flowKey(makeFlow({id: 8, sport: 1000})));
	});

	test('keeps IPv4 and IPv6 keys apart by length', () => {
		assert.equal(flowKey(makeFlow()).length, 14);
		assert.equal(flowKey(makeFlow({src: '2001:db8::1', dst: '2001:db8::2'})).length, 26);
	});

	test('carries the kernel id for lookups', () => {
		assert.equal(flowKeyId(flowKey(makeFlow({id: 0xdeadbeef}))), 0xdeadbeef);
	});

	test('is equal exactly when compareFlowIdentity says the flows are one', () => {
		fc.assert(
			fc.property(arbitraryFlow, arbitraryFlow, (a, b) => {
				const same = flowKey(a) === flowKey(b);
				assert.equal(compareFlowIdentity(a, b) === 0, same);
				assert.equal(Math.sign(compareFlowIdentity(a, b)), -Math.sign(compareFlowIdentity(b, a)));
			}),
		);
	});
});
