/**
 * Addresses in the compact `Address` form (IPv4 as a uint32, IPv6 as 16 bytes): their family,
 * equality and order, and strict parsing from text, without building strings. Written back as
 * text by address-text.ts.
 */
import type {Address, Family} from './types.js';

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
