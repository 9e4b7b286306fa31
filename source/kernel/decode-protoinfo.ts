/**
 * CTA_PROTOINFO: the protocol's own state (ti-mo/conntrack `protoinfo.go`). Only the state name
 * is read, for TCP, SCTP and DCCP; window scales and flags are skipped.
 */
import {dccpStates, sctpStates, tcpStates} from '../flow/states.js';
import * as C from './constants.js';
import {codecError, type CodecError} from './errors.js';
import {walkAttributes} from './netlink-attributes.js';

/** The state name inside CTA_PROTOINFO, null when the nest names no known protocol. */
export function decodeProtoinfo(
	buf: Buffer,
	start: number,
	end: number,
): string | null | CodecError {
	let state: string | null = null;
	const error = walkAttributes(buf, start, end, 'CTA_PROTOINFO', (type, p, q) => {
		const names =
			type === C.CTA_PROTOINFO_TCP
				? tcpStates
				: type === C.CTA_PROTOINFO_SCTP
					? sctpStates
					: type === C.CTA_PROTOINFO_DCCP
						? dccpStates
						: undefined;
		if (!names) return undefined;
		// The state attribute is number 1 in all three nests.
		return walkAttributes(buf, p, q, 'CTA_PROTOINFO', (t, a, b) => {
			if (t !== C.CTA_PROTOINFO_TCP_STATE) return undefined;
			if (b - a < 1) return codecError('short-attribute', 'CTA_PROTOINFO', a);
			state = names[buf[a]] ?? `UNKNOWN(${buf[a]})`;
			return undefined;
		});
	});
	return error ?? state;
}
