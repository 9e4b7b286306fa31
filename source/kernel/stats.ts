/**
 * Decoders for the statistics replies: per-CPU counters and the global count.
 */
import type {CpuCounters} from '../flow/source.js';
import {align4, readU16Host} from './bytes.js';
import * as C from './constants.js';
import {codecError, type CodecError} from './errors.js';

/**
 * Adds the counters of one IPCTNL_MSG_CT_GET_STATS_CPU message (bounds from
 * DecodeSink.other: `start` at the nfgenmsg) into `into`. Unknown counters keep their number.
 */
export function addCpuStats(
	buf: Buffer,
	start: number,
	end: number,
	into: CpuCounters,
): CodecError | undefined {
	return walkU32(buf, start, end, 'CTA_STATS', (type, value) => {
		const name = C.STATS_CPU_NAMES[type] ?? `stat_${type}`;
		into[name] = (into[name] ?? 0) + value;
	});
}

/** Global statistics of one IPCTNL_MSG_CT_GET_STATS reply. */
export interface GlobalStats {
	entries?: number;
	maxEntries?: number;
}

/** Decodes an IPCTNL_MSG_CT_GET_STATS reply (CTA_STATS_GLOBAL_*). */
export function decodeGlobalStats(
	buf: Buffer,
	start: number,
	end: number,
): GlobalStats | CodecError {
	const out: GlobalStats = {};
	const error = walkU32(buf, start, end, 'CTA_STATS_GLOBAL', (type, value) => {
		if (type === C.CTA_STATS_GLOBAL_ENTRIES) out.entries = value;
		else if (type === C.CTA_STATS_GLOBAL_MAX_ENTRIES) out.maxEntries = value;
	});
	return error ?? out;
}

/** Walks a flat list of big-endian u32 attributes after the nfgenmsg. */
function walkU32(
	buf: Buffer,
	start: number,
	end: number,
	name: string,
	visit: (type: number, value: number) => void,
): CodecError | undefined {
	if (start + C.NFGENMSG_LEN > end) return codecError('truncated-header', 'nfgenmsg', start);
	let offset = start + C.NFGENMSG_LEN;
	while (offset + C.NLA_HDRLEN <= end) {
		const length = readU16Host(buf, offset);
		if (length < C.NLA_HDRLEN || offset + length > end)
			return codecError('bad-attribute-length', name, offset);
		if (length >= C.NLA_HDRLEN + 4)
			visit(
				readU16Host(buf, offset + 2) & C.NLA_TYPE_MASK,
				buf.readUInt32BE(offset + C.NLA_HDRLEN),
			);
		offset += align4(length);
	}

	return undefined;
}
