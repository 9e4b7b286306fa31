/**
 * Netlink attribute iteration: the walk every nest of a ctnetlink message shares.
 *
 * Attribute headers (`struct nlattr`: u16 length, u16 type) are host-endian, each attribute
 * padded to 4 bytes. The decoders walk their nests with `attributeLength` and `attributeType`
 * in a loop of their own, reading in place: a visitor closure per nest cost them ~0.3 of 1.4 µs
 * per flow (docs/facts.md#decoder-byte-reads).
 */
import {align4, readU16Host} from './bytes.js';
import * as C from './constants.js';
import {codecError, type CodecError} from './errors.js';

/**
 * The length (header included) of the attribute at `offset`, or -1 when it lies: below the
 * header size or past `end`. The caller has checked a header fits before `end`.
 */
export function attributeLength(buf: Uint8Array, offset: number, end: number): number {
	const length = readU16Host(buf, offset);
	return length < C.NLA_HDRLEN || offset + length > end ? -1 : length;
}

/** The type of the attribute at `offset`, its nested and byte-order flags masked off. */
export function attributeType(buf: Uint8Array, offset: number): number {
	return readU16Host(buf, offset + 2) & C.NLA_TYPE_MASK;
}

/**
 * Walks the attributes of a nest between `start` and `end`, calling `visit` with each one's type
 * (flags masked off) and payload bounds. Returns the first error: a length that lies (named
 * `name`, at the attribute's offset) or whatever `visit` returned. For nests off the hot path.
 */
export function walkAttributes(
	buf: Buffer,
	start: number,
	end: number,
	name: string,
	visit: (type: number, payload: number, payloadEnd: number) => CodecError | undefined,
): CodecError | undefined {
	for (let offset = start; offset + C.NLA_HDRLEN <= end;) {
		const length = attributeLength(buf, offset, end);
		if (length === -1) return codecError('bad-attribute-length', name, offset);
		const error = visit(attributeType(buf, offset), offset + C.NLA_HDRLEN, offset + length);
		if (error) return error;
		offset += align4(length);
	}

	return undefined;
}

/** A NUL-terminated string attribute's text (latin1), ending at `end` if no NUL comes first. */
export function readCString(buf: Buffer, start: number, end: number): string {
	const nul = buf.indexOf(0, start);
	return buf.toString('latin1', start, nul === -1 || nul > end ? end : nul);
}
