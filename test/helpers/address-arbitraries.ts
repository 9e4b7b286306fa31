/**
 * Addresses for property tests: arbitrary IPv4 and IPv6 addresses in the compact form, and
 * the same address as ipaddr.js reads it, to check our parsing, printing and CIDR tests against.
 */
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';

/** Any IPv4 address. */
export const v4 = fc.integer({min: 0, max: 0xffffffff});

/** Any IPv6 address, often mostly zero so that the `::` rules are exercised. */
export const v6 = fc.oneof(
	fc.uint8Array({minLength: 16, maxLength: 16}),
	fc
		.array(fc.constantFrom(0, 0, 0, 1, 0xffff, 0xdb8), {minLength: 8, maxLength: 8})
		.map((groups) => Uint8Array.from(groups.flatMap((g) => [g >> 8, g & 255]))),
);

/** `address` as ipaddr.js holds it. */
export function ipaddrOf(address: number | Uint8Array): ipaddr.IPv4 | ipaddr.IPv6 {
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
