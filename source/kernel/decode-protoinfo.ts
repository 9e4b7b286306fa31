/**
 * CTA_PROTOINFO: the protocol's own state (ti-mo/conntrack `protoinfo.go`). Only the state name
 * is read, for TCP, SCTP and DCCP; window scales and flags are skipped.
 */
import {dccpStates, sctpStates, tcpStates} from '../flow/states.js';
import {align4} from './bytes.js';
import * as C from './constants.js';
import {codecError, type CodecError} from './errors.js';
import {attributeLength, attributeType} from './netlink-attributes.js';

/** The state name inside CTA_PROTOINFO, null when the nest names no known protocol. */
export function decodeProtoinfo(
	buf: Buffer,
	start: number,
	end: number,
): string | null | CodecError {
	let state: string | null = null;
	for (let offset = start; offset + C.NLA_HDRLEN <= end;) {
		const length = attributeLength(buf, offset, end);
		if (length === -1) return codecError('bad-attribute-length', 'CTA_PROTOINFO', offset);
		const type = attributeType(buf, offset);
		const names =
			type === C.CTA_PROTOINFO_TCP
				? tcpStates
				: type === C.CTA_PROTOINFO_SCTP
					? sctpStates
					: type === C.CTA_PROTOINFO_DCCP
						? dccpStates
						: undefined;
		if (names) {
			const found = readState(buf, offset + C.NLA_HDRLEN, offset + length, names);
			if (typeof found === 'object') return found;
			if (found !== undefined) state = found;
		}

		offset += align4(length);
	}

	return state;
}

/** The state in one protocol's nest (undefined when it has none), or what is wrong with it. */
function readState(
	buf: Buffer,
	start: number,
	end: number,
	names: readonly string[],
): string | undefined | CodecError {
	let state: string | undefined;
	for (let offset = start; offset + C.NLA_HDRLEN <= end;) {
		const length = attributeLength(buf, offset, end);
		if (length === -1) return codecError('bad-attribute-length', 'CTA_PROTOINFO', offset);
		// The state attribute is number 1 in all three nests.
		if (attributeType(buf, offset) === C.CTA_PROTOINFO_TCP_STATE) {
			const p = offset + C.NLA_HDRLEN;
			if (length - C.NLA_HDRLEN < 1) return codecError('short-attribute', 'CTA_PROTOINFO', p);
			state = names[buf[p]] ?? `UNKNOWN(${buf[p]})`;
		}

		offset += align4(length);
	}

	return state;
}
