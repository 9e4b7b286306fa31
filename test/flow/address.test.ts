import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import {compareAddresses, parseAddress, parseIpv4, parseIpv6} from '../../source/flow/address.js';
import {formatAddress} from '../../source/flow/address-text.js';
import {ipaddrOf, v4, v6} from '../helpers/address-arbitraries.js';

function bigint(address: number | Uint8Array): bigint {
	if (typeof address === 'number') return BigInt(address);
	return (1n << 128n) + BigInt(`0x${Buffer.from(address).toString('hex')}`);
}

describe('parseIpv4', () => {
	test('reads dotted quads as big-endian uint32', () => {
		assert.equal(parseIpv4('10.0.0.1'), 0x0a000001);
		assert.equal(parseIpv4('255.255.255.255'), 0xffffffff);
		assert.equal(parseIpv4('0.0.0.0'), 0);
	});

	test('refuses short, octal, hex, out-of-range and padded forms', () => {
		for (const text of [
			'10.1',
			'10.0.0',
			'010.0.0.1',
			'0x0a.0.0.1',
			'256.0.0.1',
			'1.2.3.4.5',
			'1.2.3.',
			' 1.2.3.4',
			'',
		]) {
			assert.equal(parseIpv4(text), undefined, text);
		}
	});
});

describe('parseIpv6', () => {
	test('reads compressed, full, mixed-case and dotted-tail forms', () => {
		assert.deepEqual(parseIpv6('::1'), Uint8Array.from([...Array<number>(15).fill(0), 1]));
		assert.deepEqual(parseIpv6('2001:DB8:0:0:0:0:0:1'), parseIpv6('2001:db8::1'));
		assert.deepEqual(
			parseIpv6('::ffff:1.2.3.4'),
			Uint8Array.from([...Array<number>(10).fill(0), 255, 255, 1, 2, 3, 4]),
		);
		assert.deepEqual(parseIpv6('::'), new Uint8Array(16));
		assert.deepEqual(parseIpv6('1::'), Uint8Array.from([0, 1, ...Array<number>(14).fill(0)]));
	});

	test('refuses two gaps, too many groups, long groups, zones and stray colons', () => {
		for (const text of [
			'1::2::3',
			'1:2:3:4:5:6:7:8:9',
			'1:2:3:4:5:6:7',
			'12345::',
			'fe80::1%eth0',
			':1',
			'1:',
			':::',
			'1.2.3.4::',
			'g::1',
			'1:2:3:4:5:6:7::8',
		]) {
			assert.equal(parseIpv6(text), undefined, text);
		}
	});

	test('parses whatever ipaddr.js prints back to the same bytes', () => {
		fc.assert(
			fc.property(v6, (bytes) => {
				const text = ipaddrOf(bytes).toString();
				assert.deepEqual(parseAddress(text), bytes);
			}),
		);
	});
});

describe('formatAddress', () => {
	test('prints IPv4 as a dotted quad', () => {
		assert.equal(formatAddress(0xc0000201), '192.0.2.1');
		assert.equal(formatAddress(0), '0.0.0.0');
	});

	test('prints IPv6 in RFC 5952 form', () => {
		assert.equal(
			formatAddress(parseIpv6('2001:0db8:0000:0000:0001:0000:0000:0001')!),
			'2001:db8::1:0:0:1',
		);
		assert.equal(formatAddress(parseIpv6('2001:db8:0:1:1:1:1:1')!), '2001:db8:0:1:1:1:1:1');
		assert.equal(formatAddress(parseIpv6('::')!), '::');
		assert.equal(formatAddress(parseIpv6('::1')!), '::1');
		assert.equal(formatAddress(parseIpv6('fe80::')!), 'fe80::');
		assert.equal(formatAddress(parseIpv6('::ffff:192.0.2.1')!), '::ffff:192.0.2.1');
	});

	test('agrees with ipaddr.js toRFC5952String outside the IPv4-mapped range', () => {
		fc.assert(
			fc.property(v6, (bytes) => {
				const reference = ipaddrOf(bytes) as ipaddr.IPv6;
				fc.pre(!reference.isIPv4MappedAddress());
				assert.equal(formatAddress(bytes), reference.toRFC5952String());
			}),
		);
	});

	test('round-trips through parseAddress for both families', () => {
		fc.assert(
			fc.property(fc.oneof(v4, v6), (address) => {
				assert.deepEqual(parseAddress(formatAddress(address)), address);
			}),
		);
	});
});

describe('compareAddresses', () => {
	test('orders IPv4 before IPv6 and each family numerically', () => {
		fc.assert(
			fc.property(fc.oneof(v4, v6), fc.oneof(v4, v6), (a, b) => {
				const expected = bigint(a) < bigint(b) ? -1 : bigint(a) > bigint(b) ? 1 : 0;
				assert.equal(Math.sign(compareAddresses(a, b)), expected);
			}),
		);
	});
});
