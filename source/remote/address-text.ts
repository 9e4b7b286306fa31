/**
 * Addresses as the router's tools print them, read strictly into the compact form of
 * flow/types.ts, and written back canonically for commands sent to the router. Only text that
 * is an address and nothing else parses: no zone suffix, no leading zeros in IPv4 octets (the
 * strict dotted quad of flow/address.ts), no spaces.
 */
import {parseIpv4} from '../flow/address.js';
import type {Address} from '../flow/types.js';

/**
 * An IPv6 address in any RFC 4291 text form (full with leading zeros as /proc prints it,
 * compressed with `::` as conntrack prints it, an IPv4 tail as in `::ffff:10.0.0.1`) as 16
 * bytes, or undefined.
 */
export function parseIpv6(text: string): Uint8Array | undefined {
	if (text.length < 2 || text.length > 45 || !/^[0-9A-Fa-f:.]+$/.test(text)) return undefined;
	const halves = text.split('::');
	if (halves.length > 2) return undefined;
	const groups = (part: string): number[] | undefined => {
		if (part === '') return [];
		const words: number[] = [];
		const pieces = part.split(':');
		for (const [index, piece] of pieces.entries()) {
			if (piece.includes('.')) {
				// Only the last piece may be an IPv4 tail.
				if (index !== pieces.length - 1) return undefined;
				const v4 = parseIpv4(piece);
				if (v4 === undefined) return undefined;
				words.push(Math.floor(v4 / 65_536), v4 % 65_536);
			} else {
				if (!/^[0-9A-Fa-f]{1,4}$/.test(piece)) return undefined;
				words.push(Number.parseInt(piece, 16));
			}
		}

		return words;
	};

	const head = groups(halves[0]);
	const tail = halves.length === 2 ? groups(halves[1]) : [];
	if (head === undefined || tail === undefined) return undefined;
	const missing = 8 - head.length - tail.length;
	if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
	const words = [...head, ...Array.from({length: missing}, () => 0), ...tail];
	const bytes = new Uint8Array(16);
	for (const [index, word] of words.entries()) {
		bytes[index * 2] = word >> 8;
		bytes[index * 2 + 1] = word & 0xff;
	}

	return bytes;
}

/** An address as canonical text: dotted decimal, or RFC 5952 IPv6 (lower case, longest run of zeros as `::`). */
export function addressText(address: Address): string {
	if (typeof address === 'number') {
		return [address >>> 24, (address >>> 16) & 0xff, (address >>> 8) & 0xff, address & 0xff].join(
			'.',
		);
	}

	const words: number[] = [];
	for (let index = 0; index < 16; index += 2)
		words.push((address[index] << 8) | address[index + 1]);
	let bestStart = -1;
	let bestLength = 1;
	for (let start = 0; start < 8;) {
		if (words[start] !== 0) {
			start++;
			continue;
		}

		let end = start;
		while (end < 8 && words[end] === 0) end++;
		if (end - start > bestLength) {
			bestStart = start;
			bestLength = end - start;
		}

		start = end;
	}

	const hex = (list: number[]) => list.map((word) => word.toString(16)).join(':');
	if (bestStart === -1) return hex(words);
	return `${hex(words.slice(0, bestStart))}::${hex(words.slice(bestStart + bestLength))}`;
}
