/**
 * Deterministic synthetic flows and events for model tests and the model benchmark. The mix
 * roughly follows a NAT gateway: mostly IPv4 TCP, some UDP/ICMP/IPv6, a third SNATed.
 */
import fc from 'fast-check';
import type {Address, Flow, FlowEvent, Tuple} from '../../source/flow/types.js';
import {tcpStates} from '../../source/flow/states.js';

/** A seeded PRNG (mulberry32) returning floats in [0, 1). */
export function createRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
}

// Weighted like a real table: mostly ESTABLISHED.
const weightedTcpStates = [
	'ESTABLISHED',
	'ESTABLISHED',
	'ESTABLISHED',
	'TIME_WAIT',
	'SYN_SENT',
	'CLOSE_WAIT',
	'FIN_WAIT',
];

function pick<T>(random: () => number, items: readonly T[]): T {
	return items[Math.floor(random() * items.length)];
}

function int(random: () => number, below: number): number {
	return Math.floor(random() * below);
}

function ipv6(random: () => number, site: number): Uint8Array {
	const bytes = new Uint8Array(16);
	bytes[0] = 0x20;
	bytes[1] = 0x01;
	bytes[2] = 0x0d;
	bytes[3] = 0xb8;
	bytes[7] = site;
	for (let i = 8; i < 16; i++) bytes[i] = int(random, 256);
	return bytes;
}

function tuple(src: Address, dst: Address, sport: number, dport: number, icmp: boolean): Tuple {
	return icmp
		? {src, dst, sport: 0, dport: 0, icmpType: 8, icmpCode: 0, icmpId: sport}
		: {src, dst, sport, dport, icmpType: -1, icmpCode: -1, icmpId: -1};
}

/** One random flow (random 32-bit id); all optional fields a dump carries are set. */
export function syntheticFlow(random: () => number): Flow {
	const v6 = random() < 0.15;
	const roll = random();
	const protonum = roll < 0.7 ? 6 : roll < 0.95 ? 17 : v6 ? 58 : 1;
	const proto =
		protonum === 6 ? 'tcp' : protonum === 17 ? 'udp' : protonum === 58 ? 'icmpv6' : 'icmp';
	const icmp = protonum === 1 || protonum === 58;
	const src: Address = v6 ? ipv6(random, 1) : (0x0a000000 | int(random, 1 << 16)) >>> 0;
	const dst: Address = v6 ? ipv6(random, 2) : (int(random, 0xdf000000) + 0x01000000) >>> 0;
	const sport = 1024 + int(random, 64_000);
	const dport = pick(random, [80, 443, 443, 443, 53, 22, 8080, 123, 5000 + int(random, 1000)]);
	const snat = !v6 && random() < 0.33;
	const replyDst: Address = snat ? 0xcb007101 : src;
	const replyDport = snat ? 1024 + int(random, 64_000) : sport;
	const state = protonum === 6 ? pick(random, weightedTcpStates) : null;
	const packets = int(random, 10_000);
	const seenReply = random() < 0.8;
	return {
		id: int(random, 0x1_0000_0000),
		family: v6 ? 'ipv6' : 'ipv4',
		protonum,
		proto,
		original: tuple(src, dst, sport, dport, icmp),
		reply: tuple(dst, replyDst, dport, replyDport, icmp),
		status: (seenReply ? 0b1110 : 0b1000) | (snat ? (1 << 4) | (1 << 7) : 0),
		state,
		timeout:
			protonum === 6 && state === 'ESTABLISHED' ? 432_000 - int(random, 1000) : int(random, 180),
		mark: random() < 0.1 ? int(random, 32) : 0,
		use: 1,
		zone: random() < 0.05 ? 1 : 0,
		counters: {
			original: {packets, bytes: packets * (60 + int(random, 1400))},
			reply: {
				packets: seenReply ? packets : 0,
				bytes: seenReply ? packets * (60 + int(random, 1400)) : 0,
			},
		},
		nat: snat ? 'snat' : null,
	};
}

/** `count` random flows from `seed`; ids are random 32-bit values, as the kernel's are. */
export function syntheticFlows(count: number, seed = 1): Flow[] {
	const random = createRandom(seed);
	const flows: Flow[] = [];
	for (let i = 0; i < count; i++) flows.push(syntheticFlow(random));
	return flows;
}

/**
 * `count` events against `flows` at `time`: a fifth new flows, a fifth destroys, the rest
 * partial updates carrying only counters and timeout (as ctnetlink updates do).
 */
export function syntheticEvents(
	flows: readonly Flow[],
	count: number,
	seed: number,
	time: number,
): FlowEvent[] {
	const random = createRandom(seed);
	const events: FlowEvent[] = [];
	for (let i = 0; i < count; i++) {
		const roll = random();
		if (roll < 0.2) {
			events.push({type: 'new', flow: syntheticFlow(random), time});
			continue;
		}

		const base = pick(random, flows);
		if (roll < 0.4) {
			events.push({type: 'destroy', flow: base, time});
			continue;
		}

		const grown = int(random, 50);
		const counters = base.counters!;
		events.push({
			type: 'update',
			flow: {
				id: base.id,
				family: base.family,
				protonum: base.protonum,
				proto: base.proto,
				original: base.original,
				reply: base.reply,
				zone: base.zone,
				timeout: base.timeout,
				counters: {
					original: {
						packets: counters.original.packets + grown,
						bytes: counters.original.bytes + grown * 100,
					},
					reply: counters.reply,
				},
			},
			time,
		});
	}

	return events;
}

/** What `makeFlow` lets a test say about a flow; everything else gets a plain default. */
export interface FlowSpec {
	readonly id?: number;
	readonly proto?: 'tcp' | 'udp' | 'icmp' | 'icmpv6' | 'sctp' | 'gre';
	readonly src?: string;
	readonly dst?: string;
	readonly sport?: number;
	readonly dport?: number;
	/** Reply tuple; defaults to the original reversed (no NAT). */
	readonly replySrc?: string;
	readonly replyDst?: string;
	readonly replySport?: number;
	readonly replyDport?: number;
	readonly state?: string | null;
	readonly status?: number;
	readonly timeout?: number;
	readonly mark?: number;
	readonly zone?: number;
	/** [original, reply]; omit for a flow without counters. */
	readonly packets?: readonly [number, number];
	readonly bytes?: readonly [number, number];
	readonly start?: number;
	readonly helper?: string;
	readonly nat?: Flow['nat'];
}

const protonums = {tcp: 6, udp: 17, icmp: 1, icmpv6: 58, sctp: 132, gre: 47} as const;

function address(text: string): Address {
	if (!text.includes(':')) {
		return text.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
	}

	const [head, tail = ''] = text.split('::');
	const groups = (part: string) =>
		part === '' ? [] : part.split(':').map((g) => Number.parseInt(g, 16));
	const h = groups(head);
	const t = groups(tail);
	const all = text.includes('::')
		? [...h, ...Array.from({length: 8 - h.length - t.length}, () => 0), ...t]
		: h;
	const bytes = new Uint8Array(16);
	all.forEach((group, i) => {
		bytes[i * 2] = group >> 8;
		bytes[i * 2 + 1] = group & 255;
	});
	return bytes;
}

/**
 * A flow for unit tests from a few readable fields (addresses as text). Defaults: tcp
 * ESTABLISHED 10.0.0.1:40000 -> 192.0.2.1:443, id 1, zone 0, no NAT, timeout 100, status
 * SEEN_REPLY|ASSURED|CONFIRMED, no counters.
 */
export function makeFlow(spec: FlowSpec = {}): Flow {
	const proto = spec.proto ?? 'tcp';
	const icmp = proto === 'icmp' || proto === 'icmpv6';
	const src = address(spec.src ?? (proto === 'icmpv6' ? '2001:db8::1' : '10.0.0.1'));
	const dst = address(spec.dst ?? (proto === 'icmpv6' ? '2001:db8::2' : '192.0.2.1'));
	const sport = spec.sport ?? 40_000;
	const dport = spec.dport ?? 443;
	const replySrc = spec.replySrc === undefined ? dst : address(spec.replySrc);
	const replyDst = spec.replyDst === undefined ? src : address(spec.replyDst);
	const counters =
		spec.packets === undefined && spec.bytes === undefined
			? undefined
			: {
					original: {packets: spec.packets?.[0] ?? 0, bytes: spec.bytes?.[0] ?? 0},
					reply: {packets: spec.packets?.[1] ?? 0, bytes: spec.bytes?.[1] ?? 0},
				};
	return {
		id: spec.id ?? 1,
		family: typeof src === 'number' ? 'ipv4' : 'ipv6',
		protonum: protonums[proto],
		proto,
		original: tuple(src, dst, sport, dport, icmp),
		reply: tuple(replySrc, replyDst, spec.replySport ?? dport, spec.replyDport ?? sport, icmp),
		status: spec.status ?? 0b1110,
		state: spec.state === undefined ? (proto === 'tcp' ? 'ESTABLISHED' : null) : spec.state,
		timeout: spec.timeout ?? 100,
		mark: spec.mark ?? 0,
		use: 1,
		zone: spec.zone ?? 0,
		counters,
		start: spec.start,
		helper: spec.helper,
		nat: spec.nat,
	};
}

const v4Pool = [
	'10.0.0.1',
	'10.0.0.2',
	'10.0.1.5',
	'10.1.0.9',
	'192.168.1.10',
	'203.0.113.7',
	'8.8.8.8',
	'0.0.0.0',
	'255.255.255.255',
];
const v6Pool = [
	'2001:db8::1',
	'2001:db8::2',
	'2001:db8:1::1',
	'2001:db8:0:1::7',
	'fe80::1',
	'::1',
	'::ffff:1.2.3.4',
];

const arbitraryV4: fc.Arbitrary<Address> = fc.oneof(
	fc.constantFrom(...v4Pool).map((text) => address(text)),
	fc.integer({min: 0, max: 0xffffffff}),
);
const arbitraryV6: fc.Arbitrary<Address> = fc.oneof(
	fc.constantFrom(...v6Pool).map((text) => address(text)),
	fc.uint8Array({minLength: 16, maxLength: 16}),
);
const arbitraryPort = fc.oneof(
	fc.constantFrom(0, 22, 53, 80, 443, 1024, 8080, 65_535),
	fc.integer({min: 0, max: 65_535}),
);

/** A state name as the kernel reports them, including one no list knows. */
export const arbitraryState = fc.constantFrom(...tcpStates, 'COOKIE_WAIT', 'UNKNOWN(42)');

/**
 * Random flows over small pools of addresses, ports, ids and states, so filters and sorts
 * meet ties, id collisions, both families, NAT of every kind and missing optional fields.
 */
export const arbitraryFlow: fc.Arbitrary<Flow> = fc
	.record({
		v6: fc.boolean(),
		proto: fc.constantFrom('tcp', 'tcp', 'udp', 'icmp', 'sctp', 'gre'),
		id: fc.oneof(fc.integer({min: 1, max: 4}), fc.integer({min: 0, max: 0xffffffff})),
		src: fc.tuple(arbitraryV4, arbitraryV6),
		dst: fc.tuple(arbitraryV4, arbitraryV6),
		natSrc: fc.tuple(arbitraryV4, arbitraryV6),
		natDst: fc.tuple(arbitraryV4, arbitraryV6),
		sport: arbitraryPort,
		dport: arbitraryPort,
		natPort: arbitraryPort,
		nat: fc.constantFrom('none', 'none', 'snat', 'dnat', 'both'),
		natField: fc.boolean(),
		state: fc.option(arbitraryState, {nil: undefined}),
		status: fc.option(fc.integer({min: 0, max: 0xffff}), {nil: undefined}),
		timeout: fc.option(fc.integer({min: 0, max: 500_000}), {nil: undefined}),
		mark: fc.option(fc.constantFrom(0, 1, 16, 0xffffffff), {nil: undefined}),
		zone: fc.constantFrom(0, 0, 1, 7),
		counters: fc.option(
			fc.tuple(
				fc.integer({min: 0, max: 5000}),
				fc.integer({min: 0, max: 5000}),
				fc.integer({min: 0, max: 3_000_000}),
				fc.integer({min: 0, max: 3_000_000}),
			),
			{nil: undefined},
		),
		start: fc.option(fc.integer({min: 1_700_000_000_000, max: 1_700_000_100_000}), {
			nil: undefined,
		}),
		helper: fc.option(fc.constantFrom('ftp', 'sip'), {nil: undefined}),
	})
	.map((r): Flow => {
		const family = r.v6 ? 1 : 0;
		const proto = r.v6 && r.proto === 'icmp' ? 'icmpv6' : r.proto;
		const icmp = proto === 'icmp' || proto === 'icmpv6';
		const ports = proto === 'tcp' || proto === 'udp' || proto === 'sctp';
		const sport = ports ? r.sport : 0;
		const dport = ports ? r.dport : 0;
		const src = r.src[family];
		const dst = r.dst[family];
		const snat = r.nat === 'snat' || r.nat === 'both';
		const dnat = r.nat === 'dnat' || r.nat === 'both';
		const original = icmp
			? tuple(src, dst, r.sport, 0, true)
			: {...tuple(src, dst, sport, dport, false)};
		const replySrc = dnat ? r.natDst[family] : dst;
		const replyDst = snat ? r.natSrc[family] : src;
		const reply = icmp
			? tuple(replySrc, replyDst, r.sport, 0, true)
			: tuple(replySrc, replyDst, dnat && ports ? r.natPort : dport, sport, false);
		const status =
			r.status === undefined
				? undefined
				: (r.status & ~0b11_0000) | (snat ? 0b1_0000 : 0) | (dnat ? 0b10_0000 : 0);
		const stateful = proto === 'tcp' || proto === 'sctp';
		return {
			id: r.id,
			family: r.v6 ? 'ipv6' : 'ipv4',
			protonum: protonums[proto],
			proto,
			original: icmp ? {...original, icmpType: 8, icmpCode: 0} : original,
			reply,
			status,
			state: stateful ? r.state : r.state === undefined ? undefined : null,
			timeout: r.timeout,
			mark: r.mark,
			use: 1,
			zone: r.zone,
			counters: r.counters && {
				original: {packets: r.counters[0], bytes: r.counters[2]},
				reply: {packets: r.counters[1], bytes: r.counters[3]},
			},
			start: r.start,
			helper: r.helper,
			nat: r.natField && status !== undefined ? (r.nat === 'none' ? null : r.nat) : undefined,
		};
	});
