/**
 * Layer-4 protocols as conntrack sees them: IANA numbers, the names conntrack-tools prints, and
 * what each protocol's tuple carries (ports, ICMP type/code/id) and whether it has a state.
 * The codec, the remote parser, the model, the view and the JSON form all read these.
 */

// IANA protocol numbers conntrack has trackers for, and two more the filter knows by name.
export const IPPROTO_ICMP = 1;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;
export const IPPROTO_DCCP = 33;
export const IPPROTO_GRE = 47;
export const IPPROTO_ESP = 50;
export const IPPROTO_AH = 51;
export const IPPROTO_ICMPV6 = 58;
export const IPPROTO_SCTP = 132;
export const IPPROTO_UDPLITE = 136;

/** Protocol names as conntrack-tools and the kernel print them; others print as "unknown". */
const trackedNames: Readonly<Record<number, string>> = {
	[IPPROTO_ICMP]: 'icmp',
	[IPPROTO_TCP]: 'tcp',
	[IPPROTO_UDP]: 'udp',
	[IPPROTO_DCCP]: 'dccp',
	[IPPROTO_GRE]: 'gre',
	[IPPROTO_ICMPV6]: 'icmpv6',
	[IPPROTO_SCTP]: 'sctp',
	[IPPROTO_UDPLITE]: 'udplite',
};

/** Every protocol name conntop knows, by number: conntrack's, plus esp and ah. */
const knownNames: Readonly<Record<number, string>> = {
	...trackedNames,
	[IPPROTO_ESP]: 'esp',
	[IPPROTO_AH]: 'ah',
};

/**
 * The name `Flow.proto` holds for `protonum`, as `conntrack -L` and /proc/net/nf_conntrack
 * print it: "tcp", "udp", "icmp", ..., or "unknown" for a protocol without a tracker name.
 */
export function conntrackProtocolName(protonum: number): string {
	return trackedNames[protonum] ?? 'unknown';
}

/** The name of protocol `protonum` (esp and ah included), or its number as text when it has none. */
export function protocolName(protonum: number): string {
	return knownNames[protonum] ?? String(protonum);
}

/** Protocol numbers by name, in number order: what the filter's `proto:` accepts by name. */
export const protocolNumbers: Readonly<Record<string, number>> = Object.fromEntries(
	Object.entries(knownNames).map(([number, name]) => [name, Number(number)]),
);

/** What a protocol's tuple carries besides the addresses: 1 ports, 2 ICMP type/code/id. */
const tupleKinds = new Uint8Array(256);
for (const protonum of [IPPROTO_TCP, IPPROTO_UDP, IPPROTO_UDPLITE, IPPROTO_SCTP, IPPROTO_DCCP])
	tupleKinds[protonum] = 1;
tupleKinds[IPPROTO_ICMP] = 2;
tupleKinds[IPPROTO_ICMPV6] = 2;

/** Whether the tuples of protocol `protonum` carry ports (tcp, udp, udplite, sctp, dccp). */
export function hasPorts(protonum: number): boolean {
	return tupleKinds[protonum] === 1;
}

/** Whether the tuples of protocol `protonum` carry an ICMP type, code and id (icmp, icmpv6). */
export function isIcmp(protonum: number): boolean {
	return tupleKinds[protonum] === 2;
}

/** Whether the kernel keeps a protocol state for `protonum` (tcp, sctp, dccp; see states.ts). */
export function hasStates(protonum: number): boolean {
	return protonum === IPPROTO_TCP || protonum === IPPROTO_SCTP || protonum === IPPROTO_DCCP;
}
