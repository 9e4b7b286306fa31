import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {
	IPS_ASSURED,
	IPS_CONFIRMED,
	IPS_HW_OFFLOAD,
	IPS_SEEN_REPLY,
	isOffloaded,
	isUnreplied,
	statusFlags,
	statusState,
} from '../../source/flow/status.js';
import {makeFlow} from '../helpers/synthetic-flows.js';

describe('status bits', () => {
	test('statusFlags names the bits set, kernel names lowest bit first', () => {
		assert.deepEqual(statusFlags(IPS_CONFIRMED | IPS_SEEN_REPLY | IPS_HW_OFFLOAD), [
			'SEEN_REPLY',
			'CONFIRMED',
			'HW_OFFLOAD',
		]);
		assert.deepEqual(statusFlags(0), []);
	});

	test('statusState is UNREPLIED until a reply, then REPLIED, then ASSURED', () => {
		assert.equal(statusState(IPS_CONFIRMED), 'UNREPLIED');
		assert.equal(statusState(IPS_CONFIRMED | IPS_ASSURED), 'UNREPLIED');
		assert.equal(statusState(IPS_CONFIRMED | IPS_SEEN_REPLY), 'REPLIED');
		assert.equal(statusState(IPS_CONFIRMED | IPS_SEEN_REPLY | IPS_ASSURED), 'ASSURED');
	});

	test('a flow whose status is unknown is neither unreplied nor offloaded', () => {
		const unknown = {...makeFlow(), status: undefined};
		assert.equal(isUnreplied(unknown), false);
		assert.equal(isOffloaded(unknown), false);
		assert.equal(isUnreplied(makeFlow({status: IPS_CONFIRMED})), true);
		assert.equal(isOffloaded(makeFlow({status: IPS_CONFIRMED | IPS_HW_OFFLOAD})), true);
	});
});
