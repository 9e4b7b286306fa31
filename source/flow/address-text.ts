/**
 * Addresses as text: IPv4 as a dotted quad, IPv6 in RFC 5952 form. Written as bytes into a
 * buffer, because the row text of every flow is written that way (model/text.ts, for the
 * filter's bare words) and must spell addresses exactly as the screen, the JSON form and the
 * delete log do. The byte writers for numbers are shared with it for the same reason.
 */
import type {Address} from './types.js';

/** Writes `value` (an integer) in decimal at `at`; returns the offset after it. */
export function writeDecimal(out: Uint8Array, at: number, value: number): number {
	// Zones, use counts, marks and idle counters are mostly one digit.
	if (value >= 0 && value < 10) {
		out[at] = 48 + value;
		return at + 1;
	}

	if (value < 0) {
		out[at++] = 45;
		value = -value;
	}

	// Ports and octets are small: integer division on int32 is several times faster than the
	// general float path below.
	if (value < 0x80000000) {
		let digits = 1;
		for (let limit = 10; digits < 10 && value >= limit; limit *= 10) digits++;
		let rest = value | 0;
		for (let i = at + digits - 1; i >= at; i--) {
			const next = (rest / 10) | 0;
			out[i] = 48 + rest - next * 10;
			rest = next;
		}

		return at + digits;
	}

	let digits = 0;
	for (let rest = value; rest >= 1; rest = Math.floor(rest / 10)) digits++;
	for (let i = digits - 1; i >= 0; i--) {
		out[at + i] = 48 + (value % 10);
		value = Math.floor(value / 10);
	}

	return at + digits;
}

/** Writes a uint32 in lowercase hex without leading zeros at `at`; returns the offset after it. */
export function writeHex(out: Uint8Array, at: number, value: number): number {
	let digits = 1;
	while (digits < 8 && value >>> (digits * 4) !== 0) digits++;
	for (let i = digits - 1; i >= 0; i--) {
		const nibble = (value >>> (i * 4)) & 15;
		out[at++] = nibble < 10 ? 48 + nibble : 87 + nibble;
	}

	return at;
}

/** `::ffff:`, the prefix of an IPv4-mapped IPv6 address, as bytes. */
const mappedPrefix = Buffer.from('::ffff:', 'latin1');

/** Each octet's decimal text: its length, then up to three digits. */
const octets = new Uint8Array(256 * 4);
for (let octet = 0; octet < 256; octet++) {
	const text = String(octet);
	octets[octet * 4] = text.length;
	for (let i = 0; i < text.length; i++) octets[octet * 4 + 1 + i] = text.charCodeAt(i);
}

/** Writes one octet from `octets` (a quarter of the time `writeDecimal` took). */
function writeOctet(out: Uint8Array, at: number, octet: number): number {
	const from = octet * 4;
	const length = octets[from];
	out[at] = octets[from + 1];
	if (length > 1) {
		out[at + 1] = octets[from + 2];
		if (length > 2) out[at + 2] = octets[from + 3];
	}

	return at + length;
}

/** Writes `address` as text (see `formatAddress`) at `at`; returns the offset after it. */
export function writeAddress(out: Uint8Array, at: number, address: Address): number {
	if (typeof address !== 'number') return writeIpv6(out, at, address);
	at = writeOctet(out, at, address >>> 24);
	out[at] = 46;
	at = writeOctet(out, at + 1, (address >>> 16) & 255);
	out[at] = 46;
	at = writeOctet(out, at + 1, (address >>> 8) & 255);
	out[at] = 46;
	return writeOctet(out, at + 1, address & 255);
}

/**
 * IPv6 in RFC 5952 form as bytes (see `formatAddress`): lowercase hex without leading zeros,
 * the first longest run of two or more zero groups as `::`, IPv4-mapped with a dotted tail.
 */
function writeIpv6(out: Uint8Array, at: number, address: Uint8Array): number {
	let bestStart = -1;
	let bestLength = 1;
	let runStart = -1;
	for (let i = 0; i < 8; i++) {
		if (address[i * 2] === 0 && address[i * 2 + 1] === 0) {
			if (runStart === -1) runStart = i;
			if (i - runStart + 1 > bestLength) {
				bestStart = runStart;
				bestLength = i - runStart + 1;
			}
		} else {
			runStart = -1;
		}
	}

	if (bestStart === 0 && bestLength === 5 && address[10] === 0xff && address[11] === 0xff) {
		out.set(mappedPrefix, at);
		at += mappedPrefix.length;
		const v4 = ((address[12] << 24) | (address[13] << 16) | (address[14] << 8) | address[15]) >>> 0;
		return writeAddress(out, at, v4);
	}

	for (let i = 0; i < 8; i++) {
		if (i === bestStart) {
			out[at++] = 58;
			out[at++] = 58;
			i += bestLength - 1;
			continue;
		}

		if (i > 0 && i !== bestStart + bestLength) out[at++] = 58;
		at = writeHex(out, at, (address[i * 2] << 8) | address[i * 2 + 1]);
	}

	return at;
}

const scratch = Buffer.alloc(64);

/**
 * IPv4 dotted quad, or IPv6 in RFC 5952 canonical form: lowercase, no leading zeros, the
 * longest run of two or more zero groups (the first of equal runs) written `::`, and
 * IPv4-mapped addresses (`::ffff:0:0/96`) with a dotted tail as section 5 recommends.
 */
export function formatAddress(address: Address): string {
	if (typeof address === 'number') return formatIpv4(address);
	return scratch.toString('latin1', 0, writeIpv6(scratch, 0, address));
}

function formatIpv4(address: number): string {
	return `${address >>> 24}.${(address >>> 16) & 255}.${(address >>> 8) & 255}.${address & 255}`;
}
