/**
 * ctnetlink decoder: datagrams in, flows out.
 *
 * Walks the netlink messages of each received Buffer once, in place (headers, NLMSG_DONE,
 * NLMSG_ERROR), handing each conntrack message body to `decodeFlow` (`decode-flow.ts`): no
 * per-attribute objects, no copies but the 16 bytes of an IPv6 address. The netlink package's
 * generic attribute parser took 2.8x the time of `conntrack -L`; this shape reached 1.0x
 * (docs/facts.md#dump-cost).
 */
import type {Flow} from '../flow/types.js';
import {align4, readI32Host, readU16Host, readU32Host} from './bytes.js';
import * as C from './constants.js';
import {decodeFlow} from './decode-flow.js';
import {codecError, type CodecError} from './errors.js';

/**
 * What a datagram's messages are handed to. Every callback is optional but `flow`; each is called
 * on its own (`this: void`), so a caller may hand on another sink's callbacks as they are.
 */
export interface DecodeSink {
	/** A conntrack message decoded: `msgType` is IPCTNL_MSG_CT_NEW or _DELETE, `flags` its nlmsg flags. */
	flow(this: void, flow: Flow, msgType: number, flags: number, seq: number): void;
	/** A message that could not be decoded; decoding goes on with the next message. */
	error?(this: void, error: CodecError): void;
	/** NLMSG_DONE: the end of a dump. */
	done?(this: void, seq: number): void;
	/** NLMSG_ERROR: `errno` is 0 for an ACK, else the positive errno of the failed request. */
	ack?(this: void, errno: number, seq: number): void;
	/** A top-level attribute newer than this decoder (skipped), by type number. */
	unknown?(this: void, type: number): void;
	/** Any other ctnetlink message (stats replies), with its bounds, for a specialised decoder. */
	other?(this: void, buf: Buffer, start: number, end: number, msgType: number): void;
}

/**
 * Decodes every netlink message in one datagram. Never throws on malformed bytes: each bad
 * message is reported to `sink.error`, and a header that makes the rest unreadable ends the walk.
 */
export function decodeDatagram(buf: Buffer, sink: DecodeSink): void {
	let offset = 0;
	const total = buf.length;
	while (offset + C.NLMSG_HDRLEN <= total) {
		const length = readU32Host(buf, offset);
		if (length < C.NLMSG_HDRLEN || offset + length > total) {
			sink.error?.(codecError('bad-message-length', '', offset));
			return;
		}

		const type = readU16Host(buf, offset + 4);
		const flags = readU16Host(buf, offset + 6);
		const seq = readU32Host(buf, offset + 8);
		const end = offset + length;
		if (type === C.NLMSG_DONE) {
			sink.done?.(seq);
		} else if (type === C.NLMSG_ERROR) {
			if (length < C.NLMSG_HDRLEN + 4)
				sink.error?.(codecError('truncated-header', 'nlmsgerr', offset));
			else sink.ack?.(-readI32Host(buf, offset + C.NLMSG_HDRLEN), seq);
		} else if (type >> 8 === C.NFNL_SUBSYS_CTNETLINK) {
			const msgType = type & 0xff;
			if (msgType === C.IPCTNL_MSG_CT_NEW || msgType === C.IPCTNL_MSG_CT_DELETE) {
				const result = decodeFlow(buf, offset + C.NLMSG_HDRLEN, end, sink.unknown);
				if ('kind' in result) sink.error?.(result);
				else sink.flow(result, msgType, flags, seq);
			} else {
				sink.other?.(buf, offset + C.NLMSG_HDRLEN, end, msgType);
			}
		}

		// NLMSG_NOOP, NLMSG_OVERRUN and other subsystems are skipped.
		offset += align4(length);
	}

	if (offset < total && offset + C.NLMSG_HDRLEN > total) {
		sink.error?.(codecError('truncated-header', '', offset));
	}
}
