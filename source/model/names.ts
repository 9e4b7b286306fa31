/**
 * The model's own vocabulary of protocol, state and status-flag names. Kept here rather than
 * imported from `kernel/constants.ts` so the model depends on the Flow shape only.
 */
import type {Address, Flow} from '../flow/types.js';
import {sameAddress} from './address.js';

/** L4 protocol names as conntrack-tools prints them, by IANA number. */
export const protocolNumbers: Readonly<Record<string, number>> = {
	icmp: 1,
	tcp: 6,
	udp: 17,
	dccp: 33,
	gre: 47,
	esp: 50,
	ah: 51,
	icmpv6: 58,
	sctp: 132,
	udplite: 136,
};

const protocolNamesByNumber = new Map<number, string>(
	Object.entries(protocolNumbers).map(([name, number]) => [number, name]),
);

/** The name of protocol `protonum`, or its number as text when it has none. */
export function protocolName(protonum: number): string {
	return protocolNamesByNumber.get(protonum) ?? String(protonum);
}

/**
 * TCP states in the order a connection goes through them; `state` sorts by this rank, not
 * alphabetically, so SYN_SENT comes before ESTABLISHED before TIME_WAIT.
 */
export const tcpStates: readonly string[] = [
	'NONE',
	'SYN_SENT',
	'SYN_RECV',
	'ESTABLISHED',
	'FIN_WAIT',
	'CLOSE_WAIT',
	'LAST_ACK',
	'TIME_WAIT',
	'CLOSE',
	'SYN_SENT2',
];

/** SCTP and DCCP state names the kernel may report, ranked after the TCP ones. */
export const otherStates: readonly string[] = [
	'CLOSED',
	'COOKIE_WAIT',
	'COOKIE_ECHOED',
	'SHUTDOWN_SENT',
	'SHUTDOWN_RECD',
	'SHUTDOWN_ACK_SENT',
	'HEARTBEAT_SENT',
	'HEARTBEAT_ACKED',
	'REQUEST',
	'RESPOND',
	'PARTOPEN',
	'OPEN',
	'CLOSEREQ',
	'CLOSING',
	'TIMEWAIT',
	'IGNORE',
	'INVALID',
];

const stateRanks = new Map<string, number>(
	[...tcpStates, ...otherStates].map((name, index) => [name, index]),
);

/** Rank of a state name no list knows (`UNKNOWN(42)`): after the known ones. */
export const unknownStateRank = 100;
/** Rank of a flow with no state (UDP, ICMP, or not yet reported): last. */
export const noStateRank = 101;

/** The sort rank of a state: TCP order first, then SCTP/DCCP, then unknown names, then none. */
export function stateRank(state: string | null | undefined): number {
	if (state === null || state === undefined) return noStateRank;
	return stateRanks.get(state) ?? unknownStateRank;
}

/**
 * What stands in the State column for a flow the kernel keeps no protocol state for (UDP,
 * ICMP, GRE, ...): its status bits in a word, as conntrack marks `[UNREPLIED]`/`[ASSURED]`.
 * The filter's `state:` accepts these names with the same meaning.
 */
export const statusStates = ['UNREPLIED', 'REPLIED', 'ASSURED'] as const;

/** One of `statusStates`. */
export type StatusState = (typeof statusStates)[number];

/**
 * The `statusStates` name of status bits `bits`: UNREPLIED until a reply is seen, then
 * ASSURED once the kernel marked the flow assured, REPLIED before that.
 */
export function statusState(bits: number): StatusState {
	if ((bits & status.seenReply) === 0) return 'UNREPLIED';
	return (bits & status.assured) === 0 ? 'REPLIED' : 'ASSURED';
}

/** Kernel IPS_* status bits the model reads. */
export const status = {
	expected: 1 << 0,
	seenReply: 1 << 1,
	assured: 1 << 2,
	confirmed: 1 << 3,
	srcNat: 1 << 4,
	dstNat: 1 << 5,
	seqAdjust: 1 << 6,
	srcNatDone: 1 << 7,
	dstNatDone: 1 << 8,
	dying: 1 << 9,
	fixedTimeout: 1 << 10,
	template: 1 << 11,
	untracked: 1 << 12,
	helper: 1 << 13,
	offload: 1 << 14,
	hwOffload: 1 << 15,
} as const;

/**
 * Values of the filter's `flag:` field, lowercase, each the status bit it tests. `unreplied`
 * is the one negative flag: set when SEEN_REPLY is clear, as conntrack prints `[UNREPLIED]`.
 */
export const flagBits: Readonly<Record<string, {readonly bit: number; readonly negate: boolean}>> =
	{
		expected: {bit: status.expected, negate: false},
		seen_reply: {bit: status.seenReply, negate: false},
		unreplied: {bit: status.seenReply, negate: true},
		assured: {bit: status.assured, negate: false},
		confirmed: {bit: status.confirmed, negate: false},
		src_nat: {bit: status.srcNat, negate: false},
		dst_nat: {bit: status.dstNat, negate: false},
		seq_adjust: {bit: status.seqAdjust, negate: false},
		src_nat_done: {bit: status.srcNatDone, negate: false},
		dst_nat_done: {bit: status.dstNatDone, negate: false},
		dying: {bit: status.dying, negate: false},
		fixed_timeout: {bit: status.fixedTimeout, negate: false},
		template: {bit: status.template, negate: false},
		untracked: {bit: status.untracked, negate: false},
		helper: {bit: status.helper, negate: false},
		offload: {bit: status.offload, negate: false},
		hw_offload: {bit: status.hwOffload, negate: false},
	};

/**
 * Which way a flow is translated: `flow.nat` when the decoder set it, else the status bits,
 * else the tuples (without NAT the reply tuple is the original reversed: SNAT changes where
 * replies go, DNAT where the original goes).
 */
export function natKindOf(flow: Flow): Flow['nat'] {
	if (flow.nat !== undefined) return flow.nat;
	const bits = flow.status ?? 0;
	const {original, reply} = flow;
	const snat =
		(bits & status.srcNat) !== 0 ||
		!sameAddress(reply.dst, original.src) ||
		reply.dport !== original.sport;
	const dnat =
		(bits & status.dstNat) !== 0 ||
		!sameAddress(reply.src, original.dst) ||
		reply.sport !== original.dport;
	if (snat && dnat) return 'both';
	if (snat) return 'snat';
	if (dnat) return 'dnat';
	return null;
}

/**
 * The address a NATed flow is translated to: the reply destination for SNAT (and for `both`),
 * the reply source for DNAT; undefined without NAT.
 */
export function natAddressOf(flow: Flow): Address | undefined {
	const kind = natKindOf(flow);
	if (kind === null || kind === undefined) return undefined;
	return kind === 'dnat' ? flow.reply.src : flow.reply.dst;
}
