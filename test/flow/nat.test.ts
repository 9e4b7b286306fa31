import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {natKind} from '../../source/flow/nat.js';
import {IPS_CONFIRMED, IPS_DST_NAT, IPS_SRC_NAT} from '../../source/flow/status.js';

describe('NAT kind from tuples and status', () => {
	const tuple = (src: number, dst: number, sport: number, dport: number) => ({
		src,
		dst,
		sport,
		dport,
		icmpType: -1,
		icmpCode: -1,
		icmpId: -1,
	});
	test('a reply that mirrors the original is no NAT', () => {
		assert.equal(natKind(tuple(1, 2, 10, 80), tuple(2, 1, 80, 10), IPS_CONFIRMED), null);
	});
	test('a reply to another address than the original source is SNAT', () => {
		assert.equal(natKind(tuple(1, 2, 10, 80), tuple(2, 9, 80, 10)), 'snat');
	});
	test('a reply from another port than the original destination is DNAT', () => {
		assert.equal(natKind(tuple(1, 2, 10, 80), tuple(2, 1, 8080, 10)), 'dnat');
	});
	test('both translations together are "both", and status bits alone are enough', () => {
		assert.equal(natKind(tuple(1, 2, 10, 80), tuple(3, 9, 80, 10)), 'both');
		assert.equal(
			natKind(tuple(1, 2, 10, 80), tuple(2, 1, 80, 10), IPS_SRC_NAT | IPS_DST_NAT),
			'both',
		);
	});
});
