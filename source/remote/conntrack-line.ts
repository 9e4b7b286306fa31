/**
 * The strict reader of the router's table text: lines of `conntrack -L -o extended,id`,
 * `/proc/net/nf_conntrack` (the same layout without `id=`) and `conntrack -E -o
 * extended,id,timestamp` (the same after a time stamp and `[NEW]`/`[UPDATE]`/`[DESTROY]`).
 *
 * The router is not trusted. A line parses only when every token is where the kernel's
 * `ct_seq_show` and conntrack-tools put it, with numbers in range and addresses that are
 * addresses; anything else makes the whole line `undefined` (the caller skips and counts it).
 * What comes out is numbers, addresses and names from fixed tables or narrow patterns, so no
 * byte of the router's text reaches the screen, a log or a later command unparsed.
 */
import {parseIpv4} from '../flow/address.js';
import {eventTags} from '../flow/events.js';
import {natKind, natStatusBits} from '../flow/nat.js';
import {
	conntrackProtocolName,
	hasPorts,
	hasStates,
	IPPROTO_GRE,
	isIcmp,
} from '../flow/protocols.js';
import {
	IPS_ASSURED,
	IPS_CONFIRMED,
	IPS_FIXED_TIMEOUT,
	IPS_HW_OFFLOAD,
	IPS_OFFLOAD,
	IPS_SEEN_REPLY,
} from '../flow/status.js';
import type {Address, Counters, Family, Flow, FlowEventType, Tuple} from '../flow/types.js';
import {parseIpv6} from './address-text.js';

/** Longer lines are skipped unread: a real one is under 500 characters, labels and all. */
export const maxLineLength = 4096;

/** The bracketed flags the text shows, and the status bit each stands for. */
const flagBits: Readonly<Record<string, number>> = {
	'[ASSURED]': IPS_ASSURED,
	'[OFFLOAD]': IPS_OFFLOAD,
	'[HW_OFFLOAD]': IPS_HW_OFFLOAD,
	'[FIXED_TIMEOUT]': IPS_FIXED_TIMEOUT,
};

/** The event types by the tag `conntrack -E` prints (`[NEW]` ...). */
const eventTypes: Readonly<Record<string, FlowEventType>> = Object.fromEntries(
	Object.entries(eventTags).map(([type, tag]) => [tag, type as FlowEventType]),
);

const digits = /^\d{1,20}$/;
const statePattern = /^[A-Z][A-Z0-9_]{0,23}$/;
const helperPattern = /^[A-Za-z0-9_.-]{1,16}$/;
const unknownKey = /^[a-z][a-z0-9_-]{0,23}=/;
const unknownFlag = /^\[[A-Z][A-Z0-9_]{0,23}\]$/;
const timestampPattern = /^\[\d{1,12}\.\d{1,9}\]$/;

/** A token stream with the checks every field needs. */
class Tokens {
	index = 0;
	constructor(readonly list: readonly string[]) {}

	peek(): string | undefined {
		return this.list[this.index];
	}

	next(): string | undefined {
		return this.list[this.index++];
	}

	/** The value of `key=VALUE` when the next token is one, consuming it. */
	value(key: string): string | undefined {
		const token = this.list[this.index];
		if (token === undefined || !token.startsWith(key) || token[key.length] !== '=')
			return undefined;
		this.index++;
		return token.slice(key.length + 1);
	}

	/** A decimal number from `key=N`, at most `max`; undefined when absent or out of range. */
	number(key: string, max: number): number | undefined {
		const text = this.value(key);
		return text === undefined ? undefined : decimal(text, max);
	}
}

function decimal(text: string, max: number): number | undefined {
	if (!digits.test(text)) return undefined;
	const value = Number(text);
	return value <= max ? value : undefined;
}

/** Fails the parse: thrown inside, caught once per line. */
class Reject extends Error {}

function need<T>(value: T | undefined): T {
	if (value === undefined) throw new Reject();
	return value;
}

function address(text: string | undefined, family: Family | undefined): Address {
	if (text === undefined) throw new Reject();
	if (family !== 'ipv6') {
		const v4 = parseIpv4(text);
		if (v4 !== undefined) return v4;
		if (family === 'ipv4') throw new Reject();
	}

	return need(parseIpv6(text));
}

interface TupleRead {
	readonly tuple: Tuple;
	readonly counters?: Counters;
}

/** One direction: src= dst= and the protocol's fields, then counters when accounting is on. */
function readTuple(tokens: Tokens, protonum: number, family: Family | undefined): TupleRead {
	const src = address(tokens.value('src'), family);
	const dst = address(tokens.value('dst'), family);
	if (typeof src !== typeof dst) throw new Reject();
	let sport = 0;
	let dport = 0;
	let icmpType = -1;
	let icmpCode = -1;
	let icmpId = -1;
	if (hasPorts(protonum)) {
		sport = need(tokens.number('sport', 65_535));
		dport = need(tokens.number('dport', 65_535));
	} else if (isIcmp(protonum)) {
		icmpType = need(tokens.number('type', 255));
		icmpCode = need(tokens.number('code', 255));
		icmpId = need(tokens.number('id', 65_535));
	} else if (protonum === IPPROTO_GRE) {
		// GRE keys (PPTP) are printed but are not part of the Tuple of flow/types.ts.
		for (const key of ['srckey', 'dstkey']) {
			const text = tokens.value(key);
			if (text !== undefined && !/^0x[0-9a-f]{1,8}$/.test(text)) throw new Reject();
		}
	}

	let counters: Counters | undefined;
	const packets = tokens.value('packets');
	if (packets !== undefined) {
		counters = {
			packets: need(decimal(packets, Number.MAX_SAFE_INTEGER)),
			bytes: need(tokens.number('bytes', Number.MAX_SAFE_INTEGER)),
		};
	}

	return {tuple: {src, dst, sport, dport, icmpType, icmpCode, icmpId}, counters};
}

/** Which text a table line comes from: `conntrack -L` (or -E), or /proc/net/nf_conntrack. */
export type LineSource = 'conntrack' | 'proc';

/** Reads one flow from `tokens`, starting at the layer-3 name or the protocol name. */
function readFlow(tokens: Tokens, now: number, needTimeout: boolean, from: LineSource): Flow {
	let family: Family | undefined;
	if (tokens.peek() === 'ipv4' || tokens.peek() === 'ipv6') {
		family = tokens.next() === 'ipv4' ? 'ipv4' : 'ipv6';
		if (tokens.next() !== (family === 'ipv4' ? '2' : '10')) throw new Reject();
	}

	const protoName = need(tokens.next());
	const protonum = need(decimal(need(tokens.next()), 255));
	const proto = conntrackProtocolName(protonum);
	if (protoName !== proto) throw new Reject();

	let timeout: number | undefined;
	if (digits.test(tokens.peek() ?? '')) timeout = need(decimal(tokens.next()!, 0xffffffff));
	else if (needTimeout) throw new Reject();

	let state: string | null = null;
	if (statePattern.test(tokens.peek() ?? '')) state = tokens.next()!;
	if (state !== null && !hasStates(protonum)) throw new Reject();

	const original = readTuple(tokens, protonum, family);
	family ??= typeof original.tuple.src === 'number' ? 'ipv4' : 'ipv6';
	let status = IPS_CONFIRMED | IPS_SEEN_REPLY;
	if (tokens.peek() === '[UNREPLIED]') {
		tokens.next();
		status &= ~IPS_SEEN_REPLY;
	}

	const reply = readTuple(tokens, protonum, family);
	if ((original.counters === undefined) !== (reply.counters === undefined)) throw new Reject();

	let mark: number | undefined;
	let use: number | undefined;
	let id = 0;
	let zone = 0;
	let zoneOriginal: number | undefined;
	let zoneReply: number | undefined;
	let helper: string | undefined;
	let delta: number | undefined;
	const seen = new Set<string>();
	for (let token = tokens.next(); token !== undefined; token = tokens.next()) {
		const bit = flagBits[token];
		if (bit !== undefined) {
			status |= bit;
			continue;
		}

		const equals = token.indexOf('=');
		const key = equals === -1 ? token : token.slice(0, equals);
		const value = token.slice(equals + 1);
		if (equals !== -1 && seen.has(key)) throw new Reject();
		seen.add(key);
		switch (key) {
			case 'mark':
				mark = need(decimal(value, 0xffffffff));
				break;
			case 'use':
				use = need(decimal(value, 0xffffffff));
				// /proc's ct_seq_show holds a reference of its own while it prints the entry, so
				// /proc says one more than netlink (conntrack -L) for the same entry: give the
				// netlink count, so a flow reads the same whichever reader the router has.
				if (from === 'proc') use = need(use >= 1 ? use - 1 : undefined);
				break;
			case 'id':
				id = need(decimal(value, 0xffffffff));
				break;
			case 'zone':
				zone = need(decimal(value, 65_535));
				break;
			case 'zone-orig':
				zoneOriginal = need(decimal(value, 65_535));
				break;
			case 'zone-reply':
				zoneReply = need(decimal(value, 65_535));
				break;
			case 'delta-time':
				delta = need(decimal(value, 0xffffffff));
				break;
			case 'helper':
				if (!helperPattern.test(value)) throw new Reject();
				helper = value;
				break;
			default:
				// A field newer than this reader, or an event's [USERSPACE] portid=...: dropped, never shown.
				if (!unknownKey.test(token) && !unknownFlag.test(token)) throw new Reject();
		}
	}

	// The text carries no NAT bits: the tuples say it, as the kernel decoder derives it when
	// CTA_STATUS lacks them.
	const nat = natKind(original.tuple, reply.tuple);
	status |= natStatusBits(nat);
	return {
		id,
		family,
		protonum,
		proto,
		original: {...original.tuple, zone: zoneOriginal},
		reply: {...reply.tuple, zone: zoneReply},
		status,
		state: hasStates(protonum) ? state : null,
		timeout,
		mark,
		use,
		zone,
		counters:
			original.counters && reply.counters
				? {original: original.counters, reply: reply.counters}
				: undefined,
		// delta-time is whole seconds since the flow started (nf_conntrack_timestamp=1).
		start: delta === undefined ? undefined : now - delta * 1000,
		helper,
		nat,
	};
}

function tokensOf(line: string): Tokens | undefined {
	// Printable ASCII and tabs only: an escape sequence or any other control byte fails here.
	if (line.length > maxLineLength || !/^[\x20-\x7E\t]*$/.test(line)) return undefined;
	return new Tokens(line.split(/[ \t]+/).filter((token) => token !== ''));
}

/**
 * The flow on one line of `conntrack -L -o extended,id` or `/proc/net/nf_conntrack` (`from`
 * says which), or undefined when the line is not exactly that. `now` (the host's clock, ms)
 * dates the flow's start from `delta-time`. Without `id=` (/proc) the id is 0. `use` is the
 * netlink count either way (/proc's is one higher).
 */
export function parseFlowLine(
	line: string,
	now: number,
	from: LineSource = 'conntrack',
): Flow | undefined {
	const tokens = tokensOf(line);
	if (!tokens) return undefined;
	try {
		return readFlow(tokens, now, true, from);
	} catch (error) {
		if (error instanceof Reject) return undefined;
		throw error;
	}
}

/** One event read from `conntrack -E`. */
export interface ParsedEvent {
	readonly type: FlowEventType;
	readonly flow: Flow;
}

/**
 * The event on one line of `conntrack -E -o extended,id,timestamp` (or without `extended`), or
 * undefined when the line is not exactly that. The router's time stamp is checked but not used:
 * its clock is not ours.
 */
export function parseEventLine(line: string, now: number): ParsedEvent | undefined {
	const tokens = tokensOf(line);
	if (!tokens) return undefined;
	if (timestampPattern.test(tokens.peek() ?? '')) tokens.next();
	const type = eventTypes[tokens.next() ?? ''];
	if (type === undefined) return undefined;
	try {
		return {type, flow: readFlow(tokens, now, false, 'conntrack')};
	} catch (error) {
		if (error instanceof Reject) return undefined;
		throw error;
	}
}
