/**
 * The CTA_STATUS bits of a flow (`Flow.status`), their kernel names, and what they say in words:
 * the flags conntrack prints (`[UNREPLIED]`, `[ASSURED]`, `[OFFLOAD]`) and the state a flow
 * without a protocol state shows instead (UNREPLIED, REPLIED, ASSURED).
 */
import type {Flow} from './types.js';

// enum ip_conntrack_status (<linux/netfilter/nf_conntrack_common.h>)
export const IPS_EXPECTED = 1 << 0;
export const IPS_SEEN_REPLY = 1 << 1;
export const IPS_ASSURED = 1 << 2;
export const IPS_CONFIRMED = 1 << 3;
export const IPS_SRC_NAT = 1 << 4;
export const IPS_DST_NAT = 1 << 5;
export const IPS_SEQ_ADJUST = 1 << 6;
export const IPS_SRC_NAT_DONE = 1 << 7;
export const IPS_DST_NAT_DONE = 1 << 8;
export const IPS_DYING = 1 << 9;
export const IPS_FIXED_TIMEOUT = 1 << 10;
export const IPS_TEMPLATE = 1 << 11;
export const IPS_UNTRACKED = 1 << 12;
export const IPS_HELPER = 1 << 13;
export const IPS_OFFLOAD = 1 << 14;
export const IPS_HW_OFFLOAD = 1 << 15;

/** Status bit names without the IPS_ prefix, indexed by bit number. */
export const statusNames: readonly string[] = [
	'EXPECTED',
	'SEEN_REPLY',
	'ASSURED',
	'CONFIRMED',
	'SRC_NAT',
	'DST_NAT',
	'SEQ_ADJUST',
	'SRC_NAT_DONE',
	'DST_NAT_DONE',
	'DYING',
	'FIXED_TIMEOUT',
	'TEMPLATE',
	'UNTRACKED',
	'HELPER',
	'OFFLOAD',
	'HW_OFFLOAD',
];

/** Status bit names of a mask, kernel names without IPS_, lowest bit first. */
export function statusFlags(status: number): string[] {
	const names: string[] = [];
	for (let bit = 0; bit < statusNames.length; bit++)
		if (status & (1 << bit)) names.push(statusNames[bit]);
	return names;
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
	if ((bits & IPS_SEEN_REPLY) === 0) return 'UNREPLIED';
	return (bits & IPS_ASSURED) === 0 ? 'REPLIED' : 'ASSURED';
}

/** Whether no reply was seen yet (conntrack's `[UNREPLIED]`); false when the status is unknown. */
export function isUnreplied(flow: Flow): boolean {
	return flow.status !== undefined && (flow.status & IPS_SEEN_REPLY) === 0;
}

/** Whether the kernel offloaded the flow (IPS_OFFLOAD): its counters stop while offloaded. */
export function isOffloaded(flow: Flow): boolean {
	return ((flow.status ?? 0) & (IPS_OFFLOAD | IPS_HW_OFFLOAD)) !== 0;
}
