/**
 * What one flow shows in its cells: endpoints (with ports and DNS names), the state label, the
 * NAT target, and the colour a state is drawn in. Pure; shared by the table, the detail view,
 * the event pane and the CLI's text output through `columns.ts`.
 */
import {formatAddress} from '../flow/address-text.js';
import {natKindOf} from '../flow/nat.js';
import {statusState} from '../flow/status.js';
import type {Address, Flow, NatKind} from '../flow/types.js';
import {natMarks, shortStates, stateTones, type Tone} from './row-marks.js';
import {shortenMiddle, textWidth, truncateEnd} from './text.js';

export type {Tone} from './row-marks.js';

/** Looks up a cached reverse-DNS name for an address string; undefined when none (yet). */
export type NameResolver = (address: string) => string | undefined;

/**
 * An endpoint as text: `10.0.0.1:443`, `[2001:db8::1]:443`, `host.example:443` (with a
 * resolver that knows the name), or the bare address for protocols without ports.
 */
export function endpointText(
	address: Address,
	port: number,
	showPort: boolean,
	resolve?: NameResolver,
): string {
	return endpointCell(address, port, showPort, Number.POSITIVE_INFINITY, resolve);
}

/**
 * `endpointText` in at most `width` columns: the host part loses its middle, the port is
 * kept whole (a cut port would be a different port).
 */
export function endpointCell(
	address: Address,
	port: number,
	showPort: boolean,
	width: number,
	resolve?: NameResolver,
): string {
	const numeric = formatAddress(address);
	const name = resolve?.(numeric);
	const host = name ?? numeric;
	const bracket = showPort && name === undefined && typeof address !== 'number';
	const suffix = showPort ? `:${port}` : '';
	const room = width - suffix.length - (bracket ? 2 : 0);
	if (textWidth(host) <= room) return bracket ? `[${host}]${suffix}` : host + suffix;
	if (room < 3) return shortenMiddle(bracket ? `[${host}]${suffix}` : host + suffix, width);
	const short = shortenMiddle(host, room);
	return bracket ? `[${short}]${suffix}` : short + suffix;
}

/**
 * The state column: the protocol state when there is one (TCP, SCTP, DCCP), else what the
 * status bits say (`statusState`: `UNREPLIED`, `ASSURED` for replies both ways, kept longer,
 * or `REPLIED`); `-` when the status is not known.
 */
export function stateLabel(flow: Flow): string {
	if (flow.state) return flow.state;
	if (flow.status === undefined) return '-';
	return statusState(flow.status);
}

/**
 * `stateLabel` in at most `width` columns: a narrow State column gets the short names of
 * `shortStates` (`ESTAB`), and anything still too long is cut with an ellipsis.
 */
export function stateCell(flow: Flow, width: number): string {
	const label = stateLabel(flow);
	if (textWidth(label) <= width) return label;
	return truncateEnd(shortStates[label] ?? label, width);
}

const toneOf = new Map<string, Tone>(
	stateTones.flatMap(({tone, states}) => states.map((state): [string, Tone] => [state, tone])),
);

/**
 * The colour of a state label (from `stateTones`): established traffic green, handshakes
 * yellow, closing gray, unanswered magenta; undefined for the rest (the terminal's default).
 */
export function stateTone(label: string): Tone {
	return toneOf.get(label);
}

/** Where a NATed flow really goes (or really comes from), and which way it is translated. */
export interface NatTarget {
	readonly kind: Exclude<NatKind, null>;
	readonly address: Address;
	readonly port: number;
}

/**
 * The translated endpoint worth showing in a row: for SNAT the address and port the server
 * sees the client as (reply dst), for DNAT and for both the real server (reply src).
 * Undefined without NAT.
 */
export function natTarget(flow: Flow): NatTarget | undefined {
	const kind = natKindOf(flow);
	if (!kind) return undefined;
	const {reply} = flow;
	return kind === 'snat'
		? {kind, address: reply.dst, port: reply.dport}
		: {kind, address: reply.src, port: reply.sport};
}

/** One letter per NAT kind, for narrow screens: S, D, B (both), from `natMarks`. */
export const natLetters: Readonly<Record<Exclude<NatKind, null>, string>> = {
	snat: natMarks.snat.text,
	dnat: natMarks.dnat.text,
	both: natMarks.both.text,
};
