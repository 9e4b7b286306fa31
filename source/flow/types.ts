/**
 * The flow record every layer speaks: decoded by `kernel/` and `remote/`, kept by `model/`,
 * shown by `view/` and `ui/`. Types only; the facts about flows (protocols, status bits, state
 * names, NAT, addresses, identity, the JSON form) sit beside it in `source/flow/`, so every
 * layer reads one copy of them and none depends on netlink.
 *
 * A field that is `undefined` was not carried by the message the flow came from: ctnetlink
 * events are partial (an UPDATE for a TCP state change carries protoinfo but may lack
 * counters), so the model merges only what is defined.
 */

/** Address family of a flow. */
export type Family = 'ipv4' | 'ipv6';

/**
 * An IP address kept compact: IPv4 as an unsigned 32-bit number (network order read as
 * big-endian, so `10.0.0.1` is `0x0a000001`), IPv6 as a 16-byte array (a copy, never a view
 * into a receive buffer). Display strings are made only for rows on screen.
 */
export type Address = number | Uint8Array;

/** One direction of a connection as the kernel tracks it (CTA_TUPLE_ORIG / CTA_TUPLE_REPLY). */
export interface Tuple {
	readonly src: Address;
	readonly dst: Address;
	/** Source port for tcp/udp/udplite/sctp/dccp, else 0. */
	readonly sport: number;
	/** Destination port for tcp/udp/udplite/sctp/dccp, else 0. */
	readonly dport: number;
	/** ICMP/ICMPv6 type, code and identifier; -1 for other protocols. */
	readonly icmpType: number;
	readonly icmpCode: number;
	readonly icmpId: number;
	/** CTA_TUPLE_ZONE when the tuple carries one, else undefined. */
	readonly zone?: number;
}

/** Packet and byte counters of one direction (CTA_COUNTERS_ORIG / _REPLY). */
export interface Counters {
	readonly packets: number;
	readonly bytes: number;
}

/** NAT kind derived from the status bits and the tuples. */
export type NatKind = 'snat' | 'dnat' | 'both' | null;

/** One conntrack entry. */
export interface Flow {
	/** CTA_ID: a 32-bit hash, not unique on its own (see `flowKey`). */
	readonly id: number;
	readonly family: Family;
	/** L4 protocol number (6 tcp, 17 udp, 1 icmp, 58 icmpv6, 132 sctp, 33 dccp, 136 udplite). */
	readonly protonum: number;
	/** L4 protocol name as conntrack-tools prints it ("tcp", "udp", "icmp", ..., or "unknown"). */
	readonly proto: string;
	readonly original: Tuple;
	readonly reply: Tuple;
	/** CTA_STATUS bit mask (IPS_*). */
	readonly status?: number;
	/** TCP/SCTP/DCCP state name ("ESTABLISHED", ...); null for protocols without one. */
	readonly state?: string | null;
	/** Seconds left before the entry expires, as read. */
	readonly timeout?: number;
	readonly mark?: number;
	readonly use?: number;
	/** CTA_ZONE; 0 when the message had none. */
	readonly zone: number;
	/** Counters per direction; undefined when accounting is off or the message had none. */
	readonly counters?: {readonly original: Counters; readonly reply: Counters};
	/** Kernel timestamps in ms since the epoch (CTA_TIMESTAMP, needs nf_conntrack_timestamp=1). */
	readonly start?: number;
	readonly stop?: number;
	/** Helper name (CTA_HELP), e.g. "ftp". */
	readonly helper?: string;
	/** Connection label bit numbers that are set (CTA_LABELS). */
	readonly labels?: readonly number[];
	/** Derived from status and tuples; defined whenever status is. */
	readonly nat?: NatKind;
}

/** What an event says happened to a flow. */
export type FlowEventType = 'new' | 'update' | 'destroy';

/** One ctnetlink event, stamped with the host's time in ms when it was received. */
export interface FlowEvent {
	readonly type: FlowEventType;
	readonly flow: Flow;
	readonly time: number;
}

/**
 * What re-reading one flow from its source found: the entry as it is now, `gone` (it expired
 * or was deleted, and no event said so), or `unreadable` (this one could not be looked up;
 * what the table knows stays).
 */
export type RereadResult = Flow | 'gone' | 'unreadable';
