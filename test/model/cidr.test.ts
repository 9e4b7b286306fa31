import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import fc from 'fast-check';
import {parseIpv6} from '../../source/flow/address.js';
import {formatAddress} from '../../source/flow/address-text.js';
import {addressPrefix, cidrContains, parseCidr} from '../../source/model/cidr.js';
import {ipaddrOf, v4, v6} from '../helpers/address-arbitraries.js';

describe('parseCidr, cidrContains and addressPrefix', () => {
	test('clears host bits and treats a bare address as a single host', () => {
		assert.deepEqual(parseCidr('10.1.2.3/8'), {family: 'ipv4', address: 0x0a000000, bits: 8});
		assert.deepEqual(parseCidr('10.1.2.3'), {family: 'ipv4', address: 0x0a010203, bits: 32});
		assert.equal(parseCidr('2001:db8::1/32')?.bits, 32);
		assert.deepEqual(parseCidr('2001:db8:ffff::1/32')?.address, parseIpv6('2001:db8::'));
	});

	test('refuses bad prefix lengths', () => {
		for (const text of [
			'10.0.0.0/33',
			'10.0.0.0/',
			'10.0.0.0/-1',
			'::/129',
			'10.0.0.0/a',
			'10.0.0.0/8/8',
		]) {
			assert.equal(parseCidr(text), undefined, text);
		}
	});

	test('matches exactly the addresses ipaddr.js says are inside, never across families', () => {
		const block = fc.oneof(
			fc.tuple(v4, fc.integer({min: 0, max: 32})),
			fc.tuple(v6, fc.integer({min: 0, max: 128})),
		);
		fc.assert(
			fc.property(block, fc.oneof(v4, v6), ([network, bits], address) => {
				const cidr = parseCidr(`${formatAddress(network)}/${bits}`)!;
				const here = ipaddrOf(address);
				const there = ipaddrOf(network);
				const expected = here.kind() === there.kind() && here.match(there, bits);
				assert.equal(cidrContains(cidr, address), expected);
			}),
		);
	});

	test('/0 contains every address of its family only', () => {
		assert.equal(cidrContains(parseCidr('0.0.0.0/0')!, 0xffffffff), true);
		assert.equal(cidrContains(parseCidr('0.0.0.0/0')!, parseIpv6('::1')!), false);
		assert.equal(cidrContains(parseCidr('::/0')!, parseIpv6('fe80::1')!), true);
		assert.equal(cidrContains(parseCidr('::/0')!, 1), false);
	});

	test('addressPrefix keeps the first bits and leaves the input alone', () => {
		const address = parseIpv6('2001:db8:1:2:3:4:5:6')!;
		assert.equal(formatAddress(addressPrefix(address, 64)), '2001:db8:1:2::');
		assert.equal(formatAddress(address), '2001:db8:1:2:3:4:5:6');
		assert.equal(addressPrefix(0x0a0b0c0d, 24), 0x0a0b0c00);
		assert.equal(addressPrefix(0x0a0b0c0d, 0), 0);
	});
});
