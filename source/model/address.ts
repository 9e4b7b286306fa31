/**
 * Address arithmetic on the compact `Address` form (IPv4 as a uint32, IPv6 as 16 bytes):
 * parsing for filters, ordering for sorts and CIDR tests, without building strings.
 */
import type {Address, Family} from '../flow/types.js';

/** A parsed CIDR block: the network address with host bits cleared, and its prefix length. */
export interface Cidr {
	readonly family: Family;
	/** The network address, host bits zero. */
	readonly address: Address;
	/** Prefix length: 0-32 for IPv4, 0-128 for IPv6. */
	readonly bits: number;
}

/** The family an address belongs to, from its representation alone. */
export function addressFamily(address: Address): Family {
	return typeof address === 'number' ? 'ipv4' : 'ipv6';
}

/**
 * Total order on addresses: every IPv4 address before every IPv6 address, each family in
 * numeric order. Returns a negative number, zero or a positive number like a comparator.
 */
export function compareAddresses(a: Address, b: Address): number {
	if (typeof a === 'number') {
		if (typeof b === 'number') return a === b ? 0 : a < b ? -1 : 1;
		return -1;
	}

	if (typeof b === 'number') return 1;
	for (let i = 0; i < 16; i++) {
		if (a[i] !== b[i]) return a[i] - b[i];
	}

	return 0;
}

/** Whether two addresses are the same address (same family, same bits). */
export function sameAddress(a: Address, b: Address): boolean {
	return compareAddresses(a, b) === 0;
}

/**
 * Strict dotted-quad IPv4 (`10.0.0.1`; no octal, hex, short or leading-zero forms, which
 * `inet_aton` would read differently than a person expects). Returns undefined when invalid.
 */
export function parseIpv4(text: string): number | undefined {
	const parts = text.split('.');
	if (parts.length !== 4) return undefined;
	let value = 0;
	for (const part of parts) {
		if (!/^(0|[1-9]\d{0,2})$/.test(part)) return undefined;
		const octet = Number(part);
		if (octet > 255) return undefined;
		value = value * 256 + octet;
	}

	return value;
}

/**
 * IPv6 in any RFC 4291 text form (`::`, leading zeros, trailing dotted IPv4), case-insensitive.
 * Zone indexes (`%eth0`) are refused: conntrack tuples carry none. Returns undefined when
 * invalid.
 */
export function parseIpv6(text: string): Uint8Array | undefined {
	const halves = text.split('::');
	if (halves.length > 2) return undefined;
	let groups: number[];
	if (halves.length === 2) {
		const head = parseGroups(halves[0], false);
		const tail = parseGroups(halves[1], true);
		if (head === undefined || tail === undefined) return undefined;
		const missing = 8 - head.length - tail.length;
		if (missing < 1) return undefined;
		groups = [...head, ...Array.from({length: missing}, () => 0), ...tail];
	} else {
		const all = parseGroups(text, true);
		if (all === undefined || all.length !== 8) return undefined;
		groups = all;
	}

	const bytes = new Uint8Array(16);
	for (let i = 0; i < 8; i++) {
		bytes[i * 2] = groups[i] >>> 8;
		bytes[i * 2 + 1] = groups[i] & 0xff;
	}

	return bytes;
}

/** Colon-separated hex groups; a dotted IPv4 last group counts as two (only at the very end). */
function parseGroups(text: string, allowDottedTail: boolean): number[] | undefined {
	if (text === '') return [];
	const parts = text.split(':');
	const groups: number[] = [];
	for (let i = 0; i < parts.length; i++) {
		const part = parts[i];
		if (allowDottedTail && i === parts.length - 1 && part.includes('.')) {
			const v4 = parseIpv4(part);
			if (v4 === undefined) return undefined;
			groups.push(v4 >>> 16, v4 & 0xffff);
		} else if (/^[\da-f]{1,4}$/i.test(part)) {
			groups.push(Number.parseInt(part, 16));
		} else {
			return undefined;
		}
	}

	return groups;
}

/** IPv4 or IPv6 text to an `Address`; undefined when it is neither. */
export function parseAddress(text: string): Address | undefined {
	return text.includes(':') ? parseIpv6(text) : parseIpv4(text);
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
