/**
 * CIDR blocks for the filter and group-by: parsed from text, tested for membership, and
 * prefixes of addresses, all on the compact `Address` form without building strings.
 */
import {addressFamily, parseAddress} from '../flow/address.js';
import type {Address, Family} from '../flow/types.js';

/** A parsed CIDR block: the network address with host bits cleared, and its prefix length. */
export interface Cidr {
	readonly family: Family;
	/** The network address, host bits zero. */
	readonly address: Address;
	/** Prefix length: 0-32 for IPv4, 0-128 for IPv6. */
	readonly bits: number;
}

/**
 * `address` or `address/bits` to a CIDR block; a bare address is a /32 or /128. Host bits set
 * in the address are cleared (`10.1.2.3/8` is `10.0.0.0/8`): people paste host addresses.
 * Returns undefined when the address or the prefix length is invalid.
 */
export function parseCidr(text: string): Cidr | undefined {
	const slash = text.indexOf('/');
	const addressText = slash === -1 ? text : text.slice(0, slash);
	const address = parseAddress(addressText);
	if (address === undefined) return undefined;
	const max = typeof address === 'number' ? 32 : 128;
	let bits = max;
	if (slash !== -1) {
		const bitsText = text.slice(slash + 1);
		if (!/^\d{1,3}$/.test(bitsText)) return undefined;
		bits = Number(bitsText);
		if (bits > max) return undefined;
	}

	return {family: addressFamily(address), address: addressPrefix(address, bits), bits};
}

/** The first `bits` bits of `address`, the rest cleared; a new value, the input is untouched. */
export function addressPrefix(address: Address, bits: number): Address {
	if (typeof address === 'number') {
		if (bits <= 0) return 0;
		if (bits >= 32) return address >>> 0;
		return (address & (0xffffffff << (32 - bits))) >>> 0;
	}

	const out = new Uint8Array(16);
	for (let i = 0; i < 16; i++) {
		const keep = Math.max(0, Math.min(8, bits - i * 8));
		out[i] = keep === 0 ? 0 : address[i] & (0xff << (8 - keep));
	}

	return out;
}

/** Whether `address` lies inside `cidr`. Families never match across (no v4-mapped magic). */
export function cidrContains(cidr: Cidr, address: Address): boolean {
	if (typeof address === 'number') {
		if (typeof cidr.address !== 'number') return false;
		if (cidr.bits === 0) return true;
		const mask = cidr.bits >= 32 ? 0xffffffff : 0xffffffff << (32 - cidr.bits);
		return (address & mask) >>> 0 === cidr.address;
	}

	const network = cidr.address;
	if (typeof network === 'number') return false;
	let bits = cidr.bits;
	for (let i = 0; i < 16 && bits > 0; i++, bits -= 8) {
		const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
		if ((address[i] & mask) !== network[i]) return false;
	}

	return true;
}
