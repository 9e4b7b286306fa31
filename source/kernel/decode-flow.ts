/**
 * One conntrack message body decoded into a `Flow`: the top-level CTA_* attributes, read in
 * place in one pass (ti-mo/conntrack `conn.go`). Nests with more to them have their own files
 * (`decode-tuple.ts`, `decode-counters.ts`, `decode-protoinfo.ts`); the small ones (timestamps,
 * helper, labels) are read here.
 */
import {natKind} from '../flow/nat.js';
import {conntrackProtocolName, hasStates} from '../flow/protocols.js';
import type {Counters, Flow} from '../flow/types.js';
import {align4, readU16BE, readU16Host, readU32BE, readU32Host, readU64BE} from './bytes.js';
import * as C from './constants.js';
import {decodeCounters} from './decode-counters.js';
import {decodeProtoinfo} from './decode-protoinfo.js';
import {decodeTuple, freezeTuple, newTupleScratch, resetTupleScratch} from './decode-tuple.js';
import {codecError, type CodecError} from './errors.js';
import {attributeLength, attributeType, readCString} from './netlink-attributes.js';

// The tuples are read into these, reused for every message: decoding is synchronous, and each
// flow gets frozen copies.
const originalScratch = newTupleScratch();
const replyScratch = newTupleScratch();
const timestamps: Timestamps = {start: undefined, stop: undefined};

/** CTA_TIMESTAMP as read, in ms since the epoch. */
interface Timestamps {
	start: number | undefined;
	stop: number | undefined;
}

/**
 * Decodes one conntrack message body: `start` points at the nfgenmsg, `end` one past the
 * message. Unknown attributes are skipped; a length that lies yields an error value.
 */
export function decodeFlow(
	buf: Buffer,
	start: number,
	end: number,
	onUnknown?: (type: number) => void,
): Flow | CodecError {
	if (start + C.NFGENMSG_LEN > end) return codecError('truncated-header', 'nfgenmsg', start);
	const familyNumber = buf[start];
	let hasOriginal = false;
	let hasReply = false;
	let id = 0;
	let status: number | undefined;
	let state: string | null | undefined;
	let timeout: number | undefined;
	let mark: number | undefined;
	let use: number | undefined;
	let zone = 0;
	let countersOriginal: Counters | undefined;
	let countersReply: Counters | undefined;
	timestamps.start = undefined;
	timestamps.stop = undefined;
	let helper: string | undefined;
	let labels: number[] | undefined;

	let offset = start + C.NFGENMSG_LEN;
	while (offset + C.NLA_HDRLEN <= end) {
		const length = readU16Host(buf, offset);
		if (length < C.NLA_HDRLEN || offset + length > end) {
			return codecError(
				'bad-attribute-length',
				attributeName(readU16Host(buf, offset + 2)),
				offset,
			);
		}

		const type = readU16Host(buf, offset + 2) & C.NLA_TYPE_MASK;
		const p = offset + C.NLA_HDRLEN;
		const q = offset + length;
		// Fixed-size attributes are checked once here, so each case below just reads.
		if (type < minimumSizes.length && length - C.NLA_HDRLEN < minimumSizes[type]) {
			return codecError('short-attribute', attributeName(type), offset);
		}

		switch (type) {
			case C.CTA_TUPLE_ORIG:
			case C.CTA_TUPLE_REPLY: {
				const orig = type === C.CTA_TUPLE_ORIG;
				const scratch = resetTupleScratch(orig ? originalScratch : replyScratch);
				const error = decodeTuple(buf, p, q, scratch, orig ? 'CTA_TUPLE_ORIG' : 'CTA_TUPLE_REPLY');
				if (error) return error;
				if (orig) hasOriginal = true;
				else hasReply = true;
				break;
			}

			case C.CTA_STATUS:
				status = readU32BE(buf, p);
				break;
			case C.CTA_PROTOINFO: {
				const result = decodeProtoinfo(buf, p, q);
				if (typeof result === 'object' && result !== null) return result;
				state = result;
				break;
			}

			case C.CTA_TIMEOUT:
				timeout = readU32BE(buf, p);
				break;
			case C.CTA_MARK:
				mark = readU32BE(buf, p);
				break;
			case C.CTA_COUNTERS_ORIG:
			case C.CTA_COUNTERS_REPLY: {
				const result = decodeCounters(buf, p, q);
				if ('kind' in result) return result;
				if (type === C.CTA_COUNTERS_ORIG) countersOriginal = result;
				else countersReply = result;
				break;
			}

			case C.CTA_USE:
				use = readU32BE(buf, p);
				break;
			case C.CTA_ID:
				id = readU32BE(buf, p);
				break;
			case C.CTA_ZONE:
				zone = readU16BE(buf, p);
				break;
			case C.CTA_TIMESTAMP: {
				const error = readTimestamps(buf, p, q, timestamps);
				if (error) return error;
				break;
			}

			case C.CTA_HELP: {
				const name = readHelperName(buf, p, q);
				if (typeof name === 'object') return name;
				if (name !== undefined) helper = name;
				break;
			}

			case C.CTA_LABELS:
				labels = decodeLabels(buf, p, q);
				break;
			default:
				// Unneeded attributes (seq adjust, secctx, synproxy) are skipped; newer ones are
				// counted too, so a kernel that says more than we read is noticed, not fatal.
				if (type > C.CTA_STATUS_MASK) onUnknown?.(type);
				break;
		}

		offset += align4(length);
	}

	if (!hasOriginal || !hasReply)
		return codecError('missing-tuple', hasOriginal ? 'CTA_TUPLE_REPLY' : 'CTA_TUPLE_ORIG', start);
	const original = originalScratch;
	const reply = replyScratch;
	if (original.src === undefined || original.dst === undefined || original.protonum < 0) {
		return codecError('incomplete-tuple', 'CTA_TUPLE_ORIG', start);
	}

	if (reply.src === undefined || reply.dst === undefined) {
		return codecError('incomplete-tuple', 'CTA_TUPLE_REPLY', start);
	}

	const protonum = original.protonum;
	const originalTuple = freezeTuple(original);
	const replyTuple = freezeTuple(reply);
	const flow: Flow = {
		id,
		family: familyNumber === C.AF_INET6 ? 'ipv6' : 'ipv4',
		protonum,
		proto: conntrackProtocolName(protonum),
		original: originalTuple,
		reply: replyTuple,
		status,
		state: state === undefined && status !== undefined && !hasStates(protonum) ? null : state,
		timeout,
		mark,
		use,
		zone,
		counters:
			countersOriginal || countersReply
				? {original: countersOriginal ?? zeroCounters, reply: countersReply ?? zeroCounters}
				: undefined,
		start: timestamps.start,
		stop: timestamps.stop,
		helper,
		labels,
		nat: natKind(originalTuple, replyTuple, status),
	};
	return flow;
}

const zeroCounters: Counters = {packets: 0, bytes: 0};

/**
 * CTA_TIMESTAMP's start and stop, in ms since the epoch, into `out` (a value the nest lacks
 * stays as it was).
 */
function readTimestamps(
	buf: Buffer,
	start: number,
	end: number,
	out: Timestamps,
): CodecError | undefined {
	for (let offset = start; offset + C.NLA_HDRLEN <= end;) {
		const length = attributeLength(buf, offset, end);
		if (length === -1) return codecError('bad-attribute-length', 'CTA_TIMESTAMP', offset);
		const type = attributeType(buf, offset);
		if (type === C.CTA_TIMESTAMP_START || type === C.CTA_TIMESTAMP_STOP) {
			const p = offset + C.NLA_HDRLEN;
			if (length - C.NLA_HDRLEN < 8) return codecError('short-attribute', 'CTA_TIMESTAMP', p);
			const ms = readU64BE(buf, p) / 1e6;
			if (type === C.CTA_TIMESTAMP_START) out.start = ms;
			else out.stop = ms;
		}

		offset += align4(length);
	}

	return undefined;
}

/** The last CTA_HELP_NAME in CTA_HELP, undefined when it has none. */
function readHelperName(buf: Buffer, start: number, end: number): string | undefined | CodecError {
	let name: string | undefined;
	for (let offset = start; offset + C.NLA_HDRLEN <= end;) {
		const length = attributeLength(buf, offset, end);
		if (length === -1) return codecError('bad-attribute-length', 'CTA_HELP', offset);
		if (attributeType(buf, offset) === C.CTA_HELP_NAME)
			name = readCString(buf, offset + C.NLA_HDRLEN, offset + length);
		offset += align4(length);
	}

	return name;
}

/** Label bitmap: host-order u32 words, as libnetfilter_conntrack's nfct_bitmask reads them. */
function decodeLabels(buf: Buffer, start: number, end: number): number[] {
	const labels: number[] = [];
	for (let word = 0; start + word * 4 + 4 <= end; word++) {
		const bits = readU32Host(buf, start + word * 4);
		if (bits === 0) continue;
		for (let bit = 0; bit < 32; bit++) if ((bits >>> bit) & 1) labels.push(word * 32 + bit);
	}

	return labels;
}

/** Payload bytes the fixed-size top-level attributes need (u32 values, the u16 zone), by type. */
const minimumSizes = new Uint8Array(32);
for (const type of [C.CTA_STATUS, C.CTA_TIMEOUT, C.CTA_MARK, C.CTA_USE, C.CTA_ID])
	minimumSizes[type] = 4;
minimumSizes[C.CTA_ZONE] = 2;

const attributeNames: Readonly<Record<number, string>> = {
	[C.CTA_TUPLE_ORIG]: 'CTA_TUPLE_ORIG',
	[C.CTA_TUPLE_REPLY]: 'CTA_TUPLE_REPLY',
	[C.CTA_STATUS]: 'CTA_STATUS',
	[C.CTA_PROTOINFO]: 'CTA_PROTOINFO',
	[C.CTA_HELP]: 'CTA_HELP',
	[C.CTA_TIMEOUT]: 'CTA_TIMEOUT',
	[C.CTA_MARK]: 'CTA_MARK',
	[C.CTA_COUNTERS_ORIG]: 'CTA_COUNTERS_ORIG',
	[C.CTA_COUNTERS_REPLY]: 'CTA_COUNTERS_REPLY',
	[C.CTA_USE]: 'CTA_USE',
	[C.CTA_ID]: 'CTA_ID',
	[C.CTA_ZONE]: 'CTA_ZONE',
	[C.CTA_TIMESTAMP]: 'CTA_TIMESTAMP',
	[C.CTA_LABELS]: 'CTA_LABELS',
};

function attributeName(type: number): string {
	const bare = type & C.NLA_TYPE_MASK;
	return attributeNames[bare] ?? `attribute ${bare}`;
}
