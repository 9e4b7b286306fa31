import assert from 'node:assert/strict';
import {test} from 'node:test';
import {
	conntrackProtocolName,
	hasPorts,
	hasStates,
	isIcmp,
	protocolName,
	protocolNumbers,
} from '../../source/flow/protocols.js';

test('conntrack names only the protocols it tracks; the filter knows esp and ah too', () => {
	assert.equal(conntrackProtocolName(6), 'tcp');
	assert.equal(conntrackProtocolName(136), 'udplite');
	assert.equal(conntrackProtocolName(50), 'unknown');
	assert.equal(protocolName(50), 'esp');
	assert.equal(protocolName(99), '99');
	assert.deepEqual(Object.values(protocolNumbers), [1, 6, 17, 33, 47, 50, 51, 58, 132, 136]);
});

test('tuples carry ports, ICMP fields or neither, and only tcp, sctp and dccp have a state', () => {
	const all = Array.from({length: 256}, (_, protonum) => protonum);
	assert.deepEqual(all.filter(hasPorts), [6, 17, 33, 132, 136]);
	assert.deepEqual(all.filter(isIcmp), [1, 58]);
	assert.deepEqual(all.filter(hasStates), [6, 33, 132]);
});
