/**
 * The model's own words for what flows carry: the order states sort in, and the filter's
 * `flag:` names. Both are derived from the vocabulary in source/flow/ (state names, status
 * bits), which is written once there.
 */
import {statusNames} from '../flow/status.js';
import {stateNames} from '../flow/states.js';

const stateRanks = new Map<string, number>(stateNames.map((name, index) => [name, index]));

/** Rank of a state name no list knows (`UNKNOWN(42)`): after the known ones. */
export const unknownStateRank = 100;
/** Rank of a flow with no state (UDP, ICMP, or not yet reported): last. */
export const noStateRank = 101;

/**
 * The sort rank of a state: TCP states in the order a connection goes through them (SYN_SENT
 * before ESTABLISHED before TIME_WAIT, not alphabetically), then SCTP/DCCP, then unknown
 * names, then none.
 */
export function stateRank(state: string | null | undefined): number {
	if (state === null || state === undefined) return noStateRank;
	return stateRanks.get(state) ?? unknownStateRank;
}

/** A `flag:` value: the status bit it tests, and whether it holds when the bit is clear. */
export interface FlagBit {
	readonly bit: number;
	readonly negate: boolean;
}

/**
 * Values of the filter's `flag:` field, lowercase, each the status bit it tests, in bit order.
 * They are the kernel's names (`seen_reply`, `assured`, ...), plus `unreplied`, the one
 * negative flag: set when SEEN_REPLY is clear, as conntrack prints `[UNREPLIED]`.
 */
export const flagBits: Readonly<Record<string, FlagBit>> = Object.fromEntries(
	statusNames.flatMap((name, bit): Array<[string, FlagBit]> => {
		const flag: [string, FlagBit] = [name.toLowerCase(), {bit: 1 << bit, negate: false}];
		return name === 'SEEN_REPLY' ? [flag, ['unreplied', {bit: 1 << bit, negate: true}]] : [flag];
	}),
);
