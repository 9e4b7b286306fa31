/**
 * Netlink attribute iteration: the walk every nest of a ctnetlink message shares.
 *
 * Attribute headers (`struct nlattr`: u16 length, u16 type) are host-endian, each attribute
 * padded to 4 bytes; the walk reads them in place and hands each payload's bounds to a visitor,
 * so no attribute becomes an object.
 */
import {align4, readU16Host} from './bytes.js';
import * as C from './constants.js';
import {codecError, type CodecError} from './errors.js';

/**
 * Walks the attributes of a nest between `start` and `end`, calling `visit` with each one's type
 * (flags masked off) and payload bounds. Returns the first error: a length that lies (named
 * `name`, at the attribute's offset) or whatever `visit` returned.
 */
export function walkAttributes(
	buf: Buffer,
	start: number,
	end: number,
	name: string,
	visit: (type: number, payload: number, payloadEnd: number) => CodecError | undefined,
): CodecError | undefined {
	let offset = start;
	while (offset + C.NLA_HDRLEN <= end) {
		const length = readU16Host(buf, offset);
		if (length < C.NLA_HDRLEN || offset + length > end)
			return codecError('bad-attribute-length', name, offset);
		const error = visit(
			readU16Host(buf, offset + 2) & C.NLA_TYPE_MASK,
			offset + C.NLA_HDRLEN,
			offset + length,
		);
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
