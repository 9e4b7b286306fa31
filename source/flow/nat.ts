/**
 * Which way a flow is translated, and to what. Without NAT the reply tuple is the original
 * reversed; SNAT rewrites where replies go (reply.dst differs from original.src), DNAT where the
 * original goes (reply.src differs from original.dst). The status bits say the same when
 * present; the tuples also answer for partial event messages and text without them.
 */
import {sameAddress} from './address.js';
import {IPS_DST_NAT, IPS_SRC_NAT} from './status.js';
import type {Address, Flow, NatKind, Tuple} from './types.js';

/** The NAT kind of a connection from its tuples and, when known, its status bits. */
export function natKind(original: Tuple, reply: Tuple, status?: number): NatKind {
	const snat =
		((status ?? 0) & IPS_SRC_NAT) !== 0 ||
		!sameAddress(reply.dst, original.src) ||
		reply.dport !== original.sport;
	const dnat =
		((status ?? 0) & IPS_DST_NAT) !== 0 ||
		!sameAddress(reply.src, original.dst) ||
		reply.sport !== original.dport;
	if (snat && dnat) return 'both';
	if (snat) return 'snat';
	if (dnat) return 'dnat';
	return null;
}

/** The status bits that say `kind` (IPS_SRC_NAT, IPS_DST_NAT or both; 0 without NAT). */
export function natStatusBits(kind: NatKind): number {
	if (kind === 'both') return IPS_SRC_NAT | IPS_DST_NAT;
	if (kind === 'snat') return IPS_SRC_NAT;
	return kind === 'dnat' ? IPS_DST_NAT : 0;
}

/** The NAT kind of `flow`: `flow.nat` when its source set it, else `natKind` of its tuples. */
export function natKindOf(flow: Flow): NatKind {
	if (flow.nat !== undefined) return flow.nat;
	return natKind(flow.original, flow.reply, flow.status);
}

/**
 * The address a NATed flow is translated to: the reply destination for SNAT (and for `both`),
 * the reply source for DNAT; undefined without NAT.
 */
export function natAddressOf(flow: Flow): Address | undefined {
	const kind = natKindOf(flow);
	if (kind === null) return undefined;
	return kind === 'dnat' ? flow.reply.src : flow.reply.dst;
}
