/**
 * CTA_COUNTERS_ORIG / CTA_COUNTERS_REPLY: one direction's packets and bytes (ti-mo/conntrack
 * `counters.go`), as 64-bit counters or the 32-bit ones old kernels sent.
 */
import type {Counters} from '../flow/types.js';
import {readU64BE} from './bytes.js';
import * as C from './constants.js';
import {codecError, type CodecError} from './errors.js';
import {walkAttributes} from './netlink-attributes.js';

/** Reads one counters nest; a counter it lacks is 0. */
export function decodeCounters(buf: Buffer, start: number, end: number): Counters | CodecError {
	let packets = 0;
	let bytes = 0;
	const error = walkAttributes(buf, start, end, 'CTA_COUNTERS', (type, p, q) => {
		const size = q - p;
		if (type === C.CTA_COUNTERS_PACKETS || type === C.CTA_COUNTERS_BYTES) {
			if (size < 8) return codecError('short-attribute', 'CTA_COUNTERS', p);
			if (type === C.CTA_COUNTERS_PACKETS) packets = readU64BE(buf, p);
			else bytes = readU64BE(buf, p);
		} else if (type === C.CTA_COUNTERS32_PACKETS || type === C.CTA_COUNTERS32_BYTES) {
			if (size < 4) return codecError('short-attribute', 'CTA_COUNTERS', p);
			if (type === C.CTA_COUNTERS32_PACKETS) packets = buf.readUInt32BE(p);
			else bytes = buf.readUInt32BE(p);
		}

		return undefined;
	});
	return error ?? {packets, bytes};
}
