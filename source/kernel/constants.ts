/**
 * ctnetlink numbers, each beside the kernel's name for it.
 *
 * Mirrors <linux/netlink.h>, <linux/netfilter/nfnetlink.h> and
 * <linux/netfilter/nfnetlink_conntrack.h>. Kept as plain `const` numbers (not TS enums) so the
 * decoder's switch statements compile to integer compares. What a flow's own fields mean (the
 * IPS_* status bits of <linux/netfilter/nf_conntrack_common.h>, the tcp/sctp/dccp state enums,
 * protocol numbers and names) is not ctnetlink's: those are in source/flow/, which every layer
 * reads.
 */

// <linux/netlink.h>
export const NETLINK_NETFILTER = 12;
export const NLMSG_HDRLEN = 16;
export const NLA_HDRLEN = 4;
/** Attribute type bits that are flags, not part of the type number. */
export const NLA_F_NESTED = 1 << 15;
export const NLA_F_NET_BYTEORDER = 1 << 14;
export const NLA_TYPE_MASK = ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER) & 0xffff;

export const NLMSG_NOOP = 1;
export const NLMSG_ERROR = 2;
export const NLMSG_DONE = 3;
export const NLMSG_OVERRUN = 4;

export const NLM_F_REQUEST = 0x01;
export const NLM_F_MULTI = 0x02;
export const NLM_F_ACK = 0x04;
export const NLM_F_DUMP = 0x300; // NLM_F_ROOT | NLM_F_MATCH
export const NLM_F_DUMP_INTR = 0x10;

// <linux/netfilter/nfnetlink.h>
export const NFNETLINK_V0 = 0;
export const NFNL_SUBSYS_CTNETLINK = 1;
/** Size of struct nfgenmsg (family, version, res_id) that follows the netlink header. */
export const NFGENMSG_LEN = 4;
export const NFNLGRP_CONNTRACK_NEW = 1;
export const NFNLGRP_CONNTRACK_UPDATE = 2;
export const NFNLGRP_CONNTRACK_DESTROY = 3;

// enum cntl_msg_types
export const IPCTNL_MSG_CT_NEW = 0;
export const IPCTNL_MSG_CT_GET = 1;
export const IPCTNL_MSG_CT_DELETE = 2;
export const IPCTNL_MSG_CT_GET_CTRZERO = 3;
export const IPCTNL_MSG_CT_GET_STATS_CPU = 4;
export const IPCTNL_MSG_CT_GET_STATS = 5;

// Address families (<linux/socket.h>)
export const AF_UNSPEC = 0;
export const AF_INET = 2;
export const AF_INET6 = 10;

// enum ctattr_type
export const CTA_TUPLE_ORIG = 1;
export const CTA_TUPLE_REPLY = 2;
export const CTA_STATUS = 3;
export const CTA_PROTOINFO = 4;
export const CTA_HELP = 5;
export const CTA_NAT_SRC = 6;
export const CTA_TIMEOUT = 7;
export const CTA_MARK = 8;
export const CTA_COUNTERS_ORIG = 9;
export const CTA_COUNTERS_REPLY = 10;
export const CTA_USE = 11;
export const CTA_ID = 12;
export const CTA_NAT_DST = 13;
export const CTA_TUPLE_MASTER = 14;
export const CTA_SEQ_ADJ_ORIG = 15;
export const CTA_SEQ_ADJ_REPLY = 16;
export const CTA_SECMARK = 17;
export const CTA_ZONE = 18;
export const CTA_SECCTX = 19;
export const CTA_TIMESTAMP = 20;
export const CTA_MARK_MASK = 21;
export const CTA_LABELS = 22;
export const CTA_LABELS_MASK = 23;
export const CTA_SYNPROXY = 24;
export const CTA_FILTER = 25;
export const CTA_STATUS_MASK = 26;

// enum ctattr_tuple
export const CTA_TUPLE_IP = 1;
export const CTA_TUPLE_PROTO = 2;
export const CTA_TUPLE_ZONE = 3;

// enum ctattr_ip
export const CTA_IP_V4_SRC = 1;
export const CTA_IP_V4_DST = 2;
export const CTA_IP_V6_SRC = 3;
export const CTA_IP_V6_DST = 4;

// enum ctattr_l4proto
export const CTA_PROTO_NUM = 1;
export const CTA_PROTO_SRC_PORT = 2;
export const CTA_PROTO_DST_PORT = 3;
export const CTA_PROTO_ICMP_ID = 4;
export const CTA_PROTO_ICMP_TYPE = 5;
export const CTA_PROTO_ICMP_CODE = 6;
export const CTA_PROTO_ICMPV6_ID = 7;
export const CTA_PROTO_ICMPV6_TYPE = 8;
export const CTA_PROTO_ICMPV6_CODE = 9;

// enum ctattr_protoinfo and its per-protocol nests
export const CTA_PROTOINFO_TCP = 1;
export const CTA_PROTOINFO_DCCP = 2;
export const CTA_PROTOINFO_SCTP = 3;
export const CTA_PROTOINFO_TCP_STATE = 1;
export const CTA_PROTOINFO_DCCP_STATE = 1;
export const CTA_PROTOINFO_SCTP_STATE = 1;

// enum ctattr_counters
export const CTA_COUNTERS_PACKETS = 1;
export const CTA_COUNTERS_BYTES = 2;
export const CTA_COUNTERS32_PACKETS = 3;
export const CTA_COUNTERS32_BYTES = 4;

// enum ctattr_tstamp
export const CTA_TIMESTAMP_START = 1;
export const CTA_TIMESTAMP_STOP = 2;

// enum ctattr_help
export const CTA_HELP_NAME = 1;

// enum ctattr_stats_cpu
export const CTA_STATS_SEARCHED = 1;
export const CTA_STATS_FOUND = 2;
export const CTA_STATS_NEW = 3;
export const CTA_STATS_INVALID = 4;
export const CTA_STATS_IGNORE = 5;
export const CTA_STATS_DELETE = 6;
export const CTA_STATS_DELETE_LIST = 7;
export const CTA_STATS_INSERT = 8;
export const CTA_STATS_INSERT_FAILED = 9;
export const CTA_STATS_DROP = 10;
export const CTA_STATS_EARLY_DROP = 11;
export const CTA_STATS_ERROR = 12;
export const CTA_STATS_SEARCH_RESTART = 13;
export const CTA_STATS_CLASH_RESOLVE = 14;
export const CTA_STATS_CHAIN_TOOLONG = 15;

// enum ctattr_stats_global
export const CTA_STATS_GLOBAL_ENTRIES = 1;
export const CTA_STATS_GLOBAL_MAX_ENTRIES = 2;

/** Per-CPU counter names by attribute number, as `conntrack -S` prints them. */
export const STATS_CPU_NAMES: Readonly<Record<number, string>> = {
	[CTA_STATS_SEARCHED]: 'searched',
	[CTA_STATS_FOUND]: 'found',
	[CTA_STATS_NEW]: 'new',
	[CTA_STATS_INVALID]: 'invalid',
	[CTA_STATS_IGNORE]: 'ignore',
	[CTA_STATS_DELETE]: 'delete',
	[CTA_STATS_DELETE_LIST]: 'delete_list',
	[CTA_STATS_INSERT]: 'insert',
	[CTA_STATS_INSERT_FAILED]: 'insert_failed',
	[CTA_STATS_DROP]: 'drop',
	[CTA_STATS_EARLY_DROP]: 'early_drop',
	[CTA_STATS_ERROR]: 'error',
	[CTA_STATS_SEARCH_RESTART]: 'search_restart',
	[CTA_STATS_CLASH_RESOLVE]: 'clash_resolve',
	[CTA_STATS_CHAIN_TOOLONG]: 'chaintoolong',
};

// errno values the client maps to outcomes.
export const ENOENT = 2;
export const EPERM = 1;
export const ENOBUFS = 105;
export const EOPNOTSUPP = 95;
export const EAFNOSUPPORT = 97;
