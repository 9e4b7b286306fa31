import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import {
	addressPrefix,
	cidrContains,
	compareAddresses,
	parseAddress,
	parseCidr,
	parseIpv4,
	parseIpv6,
} from '../../source/model/address.js';
import {formatAddress} from '../../source/model/format.js';

const v4 = fc.integer({min: 0, max: 0xffffffff});
const v6 = fc.oneof(
	fc.uint8Array({minLength: 16, maxLength: 16}),
	// Mostly-zero addresses exercise the `::` rules.
	fc
		.array(fc.constantFrom(0, 0, 0, 1, 0xffff, 0xdb8), {minLength: 8, maxLength: 8})
		.map((groups) => Uint8Array.from(groups.flatMap((g) => [g >> 8, g & 255]))),
);

function bigint(address: number | Uint8Array): bigint {
	if (typeof address === 'number') return BigInt(address);
	return (1n << 128n) + BigInt(`0x${Buffer.from(address).toString('hex')}`);
}

function ipaddrOf(address: number | Uint8Array): ipaddr.IPv4 | ipaddr.IPv6 {
	if (typeof address === 'number') {
		return ipaddr.fromByteArray([
			address >>> 24,
			(address >>> 16) & 255,
			(address >>> 8) & 255,
			address & 255,
		]);
	}

	return ipaddr.fromByteArray([...address]);
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
		assert.deepEqual(parseIpv6('::1'), Uint8Array.from([...Array(15).fill(0), 1]));
		assert.deepEqual(parseIpv6('2001:DB8:0:0:0:0:0:1'), parseIpv6('2001:db8::1'));
		assert.deepEqual(
			parseIpv6('::ffff:1.2.3.4'),
			Uint8Array.from([...Array(10).fill(0), 255, 255, 1, 2, 3, 4]),
		);
		assert.deepEqual(parseIpv6('::'), new Uint8Array(16));
		assert.deepEqual(parseIpv6('1::'), Uint8Array.from([0, 1, ...Array(14).fill(0)]));
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

describe('parseCidr and cidrContains', () => {
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

	test('addressPrefix keeps the first bits and leaves the input alone', () => {
		const address = parseIpv6('2001:db8:1:2:3:4:5:6')!;
		assert.equal(formatAddress(addressPrefix(address, 64)), '2001:db8:1:2::');
		assert.equal(formatAddress(address), '2001:db8:1:2:3:4:5:6');
		assert.equal(addressPrefix(0x0a0b0c0d, 24), 0x0a0b0c00);
		assert.equal(addressPrefix(0x0a0b0c0d, 0), 0);
	});
});
