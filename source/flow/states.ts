/**
 * Protocol state names (`Flow.state`) as the kernel numbers them and conntrack-tools prints
 * them. Only tcp, sctp and dccp have one (`hasStates` in protocols.ts); a flow of another
 * protocol shows its status in a word instead (`statusState` in status.ts).
 */

/** enum tcp_conntrack, in the order a connection goes through them (LISTEN is SYN_SENT2 there). */
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

/** enum sctp_conntrack. */
export const sctpStates: readonly string[] = [
	'NONE',
	'CLOSED',
	'COOKIE_WAIT',
	'COOKIE_ECHOED',
	'ESTABLISHED',
	'SHUTDOWN_SENT',
	'SHUTDOWN_RECD',
	'SHUTDOWN_ACK_SENT',
	'HEARTBEAT_SENT',
	'HEARTBEAT_ACKED',
];

/** enum ct_dccp_states. */
export const dccpStates: readonly string[] = [
	'NONE',
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

/**
 * Every state name a flow can carry, each once: the TCP states in their order, then the SCTP
 * and DCCP names TCP does not have, in theirs.
 */
export const stateNames: readonly string[] = [
	...new Set([...tcpStates, ...sctpStates, ...dccpStates]),
];
