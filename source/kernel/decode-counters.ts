/**
 * CTA_COUNTERS_ORIG / CTA_COUNTERS_REPLY: one direction's packets and bytes (ti-mo/conntrack
 * `counters.go`), as 64-bit counters or the 32-bit ones old kernels sent.
 */
import type {Counters} from '../flow/types.js';
import {align4, readU32BE, readU64BE} from './bytes.js';
import * as C from './constants.js';
import {codecError, type CodecError} from './errors.js';
import {attributeLength, attributeType} from './netlink-attributes.js';

/** Reads one counters nest; a counter it lacks is 0. */
export function decodeCounters(buf: Buffer, start: number, end: number): Counters | CodecError {
	let packets = 0;
	let bytes = 0;
	for (let offset = start; offset + C.NLA_HDRLEN <= end;) {
		const length = attributeLength(buf, offset, end);
		if (length === -1) return codecError('bad-attribute-length', 'CTA_COUNTERS', offset);
		const type = attributeType(buf, offset);
		const p = offset + C.NLA_HDRLEN;
		const size = length - C.NLA_HDRLEN;
		if (type === C.CTA_COUNTERS_PACKETS || type === C.CTA_COUNTERS_BYTES) {
			if (size < 8) return codecError('short-attribute', 'CTA_COUNTERS', p);
			if (type === C.CTA_COUNTERS_PACKETS) packets = readU64BE(buf, p);
			else bytes = readU64BE(buf, p);
		} else if (type === C.CTA_COUNTERS32_PACKETS || type === C.CTA_COUNTERS32_BYTES) {
			if (size < 4) return codecError('short-attribute', 'CTA_COUNTERS', p);
			if (type === C.CTA_COUNTERS32_PACKETS) packets = readU32BE(buf, p);
			else bytes = readU32BE(buf, p);
		}

		offset += align4(length);
	}

	return {packets, bytes};
}
