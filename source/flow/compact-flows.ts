/**
 * Flows kept as compact records rather than objects: ~66 bytes for an IPv4 TCP flow with
 * counters and a start time, where the `Flow` object graph costs several hundred. `--once`
 * with a sort holds the whole table this way (1M flows in ~66 MB) and turns each record back
 * into a `Flow` only to print it. Every field round-trips exactly, `undefined` included.
 *
 * Records sit in 1 MiB chunks (never copied when the list grows); strings that repeat (the
 * protocol's name, states, helpers) are interned in one table per list. What most flows share
 * is left out: a reply tuple that mirrors the original (no NAT), ICMP fields that are all -1
 * (not ICMP), counters that fit 32 bits are stored in 32 bits. Fields are read and
 * written by byte math, not Buffer's read/write methods, which check their arguments on every
 * call and cost as much here as they did in the decoders (docs/facts.md#compact-flow-records).
 */
import type {Address, Counters, Flow, NatKind, Tuple} from './types.js';

const chunkShift = 20;
const chunkBytes = 1 << chunkShift;
const offsetMask = chunkBytes - 1;
/** Room a record may need: two IPv6 tuples and every field is under 200 bytes, plus labels. */
const recordRoom = 256;

// Presence bits of a record's first two bytes.
const v6 = 1 << 0;
const hasStatus = 1 << 1;
const hasState = 1 << 2;
const stateNull = 1 << 3;
const hasTimeout = 1 << 4;
const hasMark = 1 << 5;
const hasUse = 1 << 6;
const hasCounters = 1 << 7;
const hasStart = 1 << 8;
const hasStop = 1 << 9;
const hasHelper = 1 << 10;
const hasLabels = 1 << 11;
const originalZone = 1 << 12;
const replyZone = 1 << 13;

const natCodes: readonly NatKind[] = [null, 'snat', 'dnat', 'both'];

// The record's fourth byte: the NAT code (0 for none, else 1 + its index above) in bits 0-2,
// then what was left out.
const natMask = 0b111;
/** The reply tuple is the original's mirror: addresses and ports swapped, same ICMP fields. */
const mirrored = 1 << 3;
/** Every ICMP field of both tuples is -1: none are stored. */
const noIcmp = 1 << 4;
/** All four counters are integers below 2^32, stored as uint32. */
const counters32 = 1 << 5;

// Doubles pass through one 8-byte scratch seen both ways: bytes are copied in the machine's own
// order when written and when read back, so the host's endianness never matters.
const doubleValue = new Float64Array(1);
const doubleBytes = new Uint8Array(doubleValue.buffer);

/** An append-only list of flows in compact form. */
export class CompactFlows {
	/** Flows in the list. */
	length = 0;
	private readonly chunks: Uint8Array[] = [];
	private chunk = new Uint8Array(0);
	/** Where record i starts: chunk index * 2^20 + offset. */
	private positions = new Uint32Array(1024);
	private used = chunkBytes;
	private readonly strings: string[] = [];
	private readonly stringIndex = new Map<string, number>();
	// A dump repeats one protocol name and a few states: the last one of each skips the map.
	private lastProto = '';
	private lastProtoIndex = -1;
	private lastState = '';
	private lastStateIndex = -1;
	private touched = 0;

	/** Appends `flow`; returns its index. */
	add(flow: Flow): number {
		const labels = flow.labels?.length ?? 0;
		if (this.used + recordRoom + labels * 2 > chunkBytes) {
			this.chunk = new Uint8Array(chunkBytes);
			this.chunks.push(this.chunk);
			this.used = 0;
		}

		if (this.length === this.positions.length) {
			const grown = new Uint32Array(this.positions.length * 2);
			grown.set(this.positions);
			this.positions = grown;
		}

		const start = this.used;
		this.positions[this.length] = ((this.chunks.length - 1) << chunkShift) + start;
		this.used = this.write(this.chunk, start, flow);
		return this.length++;
	}

	/** The flow at `index`, as a new object. */
	get(index: number): Flow {
		return this.at(this.positions[index]);
	}

	/** Where flow `index`'s record is, for `at` and `prefetch`: a number below 2^32. */
	positionOf(index: number): number {
		return this.positions[index];
	}

	/**
	 * Reads the records at `positions[start..end)` ahead of `at`, so that their cache misses
	 * overlap here rather than follow one another in a loop that prints between them. A table
	 * read in sorted order is read at random: at 1M flows each `get` waited on memory
	 * (docs/facts.md#compact-flow-records).
	 */
	prefetch(positions: Uint32Array, start: number, end: number): void {
		let sum = this.touched;
		const {chunks} = this;
		for (let i = start; i < end; i++) {
			const position = positions[i];
			const b = chunks[position >>> chunkShift];
			const at = position & offsetMask;
			// A record spans up to two 64-byte lines past its start, more only when it is IPv6.
			sum ^= b[at] ^ b[at + 64];
		}

		// Kept, so that the reads are not optimised away.
		this.touched = sum;
	}

	/** The flow whose record is at `position` (from `positionOf`), as a new object. */
	at(position: number): Flow {
		const b = this.chunks[position >>> chunkShift];
		let at = position & offsetMask;
		const bits = b[at] | (b[at + 1] << 8);
		const ipv6 = bits & v6;
		const protonum = b[at + 2];
		const shape = b[at + 3];
		const natCode = shape & natMask;
		const icmp = ~shape & noIcmp;
		const proto = this.strings[b[at + 4] | (b[at + 5] << 8)];
		const id = u32(b, at + 6);
		const zone = b[at + 10] | (b[at + 11] << 8);
		at += 12;
		const original = readTuple(b, at, ipv6, icmp, bits & originalZone);
		at += tupleSize(ipv6, icmp, bits & originalZone);
		let reply: Tuple;
		if (shape & mirrored) {
			reply = mirror(original, bits & replyZone ? b[at] | (b[at + 1] << 8) : undefined);
			if (bits & replyZone) at += 2;
		} else {
			reply = readTuple(b, at, ipv6, icmp, bits & replyZone);
			at += tupleSize(ipv6, icmp, bits & replyZone);
		}

		let status: number | undefined;
		if (bits & hasStatus) {
			status = u32(b, at);
			at += 4;
		}

		let state: string | null | undefined = bits & stateNull ? null : undefined;
		if (bits & hasState) {
			state = this.strings[b[at] | (b[at + 1] << 8)];
			at += 2;
		}

		let timeout: number | undefined;
		if (bits & hasTimeout) {
			timeout = u32(b, at);
			at += 4;
		}

		let mark: number | undefined;
		if (bits & hasMark) {
			mark = u32(b, at);
			at += 4;
		}

		let use: number | undefined;
		if (bits & hasUse) {
			use = u32(b, at);
			at += 4;
		}

		let counters: Flow['counters'];
		if (bits & hasCounters && shape & counters32) {
			const originalCounters: Counters = {packets: u32(b, at), bytes: u32(b, at + 4)};
			const replyCounters: Counters = {packets: u32(b, at + 8), bytes: u32(b, at + 12)};
			counters = {original: originalCounters, reply: replyCounters};
			at += 16;
		} else if (bits & hasCounters) {
			const originalCounters: Counters = {packets: f64(b, at), bytes: f64(b, at + 8)};
			const replyCounters: Counters = {packets: f64(b, at + 16), bytes: f64(b, at + 24)};
			counters = {original: originalCounters, reply: replyCounters};
			at += 32;
		}

		let start: number | undefined;
		if (bits & hasStart) {
			start = f64(b, at);
			at += 8;
		}

		let stop: number | undefined;
		if (bits & hasStop) {
			stop = f64(b, at);
			at += 8;
		}

		let helper: string | undefined;
		if (bits & hasHelper) {
			helper = this.strings[b[at] | (b[at + 1] << 8)];
			at += 2;
		}

		let labels: number[] | undefined;
		if (bits & hasLabels) {
			const count = b[at] | (b[at + 1] << 8);
			at += 2;
			labels = [];
			for (let i = 0; i < count; i++, at += 2) labels.push(b[at] | (b[at + 1] << 8));
		}

		// The decoder's field order, so code that reads both sees one object shape.
		return {
			id,
			family: ipv6 ? 'ipv6' : 'ipv4',
			protonum,
			proto,
			original,
			reply,
			status,
			state,
			timeout,
			mark,
			use,
			zone,
			counters,
			start,
			stop,
			helper,
			labels,
			nat: natCode === 0 ? undefined : natCodes[natCode - 1],
		};
	}

	private intern(text: string): number {
		let index = this.stringIndex.get(text);
		if (index === undefined) {
			index = this.strings.length;
			if (index > 0xffff)
				throw new RangeError('more than 65,536 distinct protocol, state or helper names');
			this.strings.push(text);
			this.stringIndex.set(text, index);
		}

		return index;
	}

	private protoIndex(proto: string): number {
		if (proto !== this.lastProto || this.lastProtoIndex < 0) {
			this.lastProtoIndex = this.intern(proto);
			this.lastProto = proto;
		}

		return this.lastProtoIndex;
	}

	private stateIndex(state: string): number {
		if (state !== this.lastState || this.lastStateIndex < 0) {
			this.lastStateIndex = this.intern(state);
			this.lastState = state;
		}

		return this.lastStateIndex;
	}

	/** Writes `flow`'s record from `start`, presence bits first; returns where it ends. */
	private write(b: Uint8Array, start: number, flow: Flow): number {
		const {original, reply} = flow;
		let bits = flow.family === 'ipv6' ? v6 : 0;
		const {counters} = flow;
		let shape = flow.nat === undefined ? 0 : natCodes.indexOf(flow.nat) + 1;
		if (isMirror(original, reply)) shape |= mirrored;
		if (icmpUnset(original) && icmpUnset(reply)) shape |= noIcmp;
		if (counters !== undefined && fits32(counters)) shape |= counters32;
		b[start + 2] = flow.protonum;
		b[start + 3] = shape;
		u16To(b, start + 4, this.protoIndex(flow.proto));
		u32To(b, start + 6, flow.id);
		u16To(b, start + 10, flow.zone);
		const icmp = ~shape & noIcmp;
		let at = writeTuple(b, start + 12, original, icmp);
		if (original.zone !== undefined) bits |= originalZone;
		if (shape & mirrored) {
			if (reply.zone !== undefined) at = u16To(b, at, reply.zone);
		} else at = writeTuple(b, at, reply, icmp);
		if (reply.zone !== undefined) bits |= replyZone;
		if (flow.status !== undefined) {
			bits |= hasStatus;
			at = u32To(b, at, flow.status);
		}

		if (flow.state === null) bits |= stateNull;
		else if (flow.state !== undefined) {
			bits |= hasState;
			at = u16To(b, at, this.stateIndex(flow.state));
		}

		if (flow.timeout !== undefined) {
			bits |= hasTimeout;
			at = u32To(b, at, flow.timeout);
		}

		if (flow.mark !== undefined) {
			bits |= hasMark;
			at = u32To(b, at, flow.mark);
		}

		if (flow.use !== undefined) {
			bits |= hasUse;
			at = u32To(b, at, flow.use);
		}

		if (counters !== undefined && shape & counters32) {
			bits |= hasCounters;
			at = u32To(b, at, counters.original.packets);
			at = u32To(b, at, counters.original.bytes);
			at = u32To(b, at, counters.reply.packets);
			at = u32To(b, at, counters.reply.bytes);
		} else if (counters !== undefined) {
			bits |= hasCounters;
			at = f64To(b, at, counters.original.packets);
			at = f64To(b, at, counters.original.bytes);
			at = f64To(b, at, counters.reply.packets);
			at = f64To(b, at, counters.reply.bytes);
		}

		if (flow.start !== undefined) {
			bits |= hasStart;
			at = f64To(b, at, flow.start);
		}

		if (flow.stop !== undefined) {
			bits |= hasStop;
			at = f64To(b, at, flow.stop);
		}

		if (flow.helper !== undefined) {
			bits |= hasHelper;
			at = u16To(b, at, this.intern(flow.helper));
		}

		if (flow.labels !== undefined) {
			bits |= hasLabels;
			at = u16To(b, at, flow.labels.length);
			for (const label of flow.labels) at = u16To(b, at, label);
		}

		u16To(b, start, bits);
		return at;
	}
}

// Little-endian by byte math; a stored byte keeps the low 8 bits, so an unsigned field's
// value and a signed one's two's complement come out of the same writer.

function u16To(b: Uint8Array, at: number, value: number): number {
	b[at] = value;
	b[at + 1] = value >>> 8;
	return at + 2;
}

function u32To(b: Uint8Array, at: number, value: number): number {
	b[at] = value;
	b[at + 1] = value >>> 8;
	b[at + 2] = value >>> 16;
	b[at + 3] = value >>> 24;
	return at + 4;
}

function f64To(b: Uint8Array, at: number, value: number): number {
	doubleValue[0] = value;
	const d = doubleBytes;
	b[at] = d[0];
	b[at + 1] = d[1];
	b[at + 2] = d[2];
	b[at + 3] = d[3];
	b[at + 4] = d[4];
	b[at + 5] = d[5];
	b[at + 6] = d[6];
	b[at + 7] = d[7];
	return at + 8;
}

function i32(b: Uint8Array, at: number): number {
	return b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24);
}

function u32(b: Uint8Array, at: number): number {
	return i32(b, at) >>> 0;
}

function i16(b: Uint8Array, at: number): number {
	return ((b[at] | (b[at + 1] << 8)) << 16) >> 16;
}

function f64(b: Uint8Array, at: number): number {
	const d = doubleBytes;
	d[0] = b[at];
	d[1] = b[at + 1];
	d[2] = b[at + 2];
	d[3] = b[at + 3];
	d[4] = b[at + 4];
	d[5] = b[at + 5];
	d[6] = b[at + 6];
	d[7] = b[at + 7];
	return doubleValue[0];
}

function writeAddress(b: Uint8Array, at: number, address: Address): number {
	if (typeof address === 'number') return u32To(b, at, address);
	b.set(address, at);
	return at + 16;
}

/** Bytes a tuple takes: two addresses, ports, ICMP type, code and id if kept, its zone if any. */
function tupleSize(ipv6: number, icmp: number, zoned: number): number {
	return (ipv6 ? 36 : 12) + (icmp ? 8 : 0) + (zoned ? 2 : 0);
}

/** Addresses, ports, then unless left out ICMP type and code (int16) and id (int32), zone. */
function writeTuple(b: Uint8Array, at: number, tuple: Tuple, icmp: number): number {
	at = writeAddress(b, at, tuple.src);
	at = writeAddress(b, at, tuple.dst);
	at = u16To(b, at, tuple.sport);
	at = u16To(b, at, tuple.dport);
	if (icmp) {
		at = u16To(b, at, tuple.icmpType);
		at = u16To(b, at, tuple.icmpCode);
		at = u32To(b, at, tuple.icmpId);
	}

	if (tuple.zone !== undefined) at = u16To(b, at, tuple.zone);
	return at;
}

function readTuple(b: Uint8Array, at: number, ipv6: number, icmp: number, zoned: number): Tuple {
	let src: Address;
	let dst: Address;
	if (ipv6) {
		// Copies of their own, as the decoder makes (`slice` of a plain Uint8Array is one).
		src = b.slice(at, at + 16);
		dst = b.slice(at + 16, at + 32);
		at += 32;
	} else {
		src = u32(b, at);
		dst = u32(b, at + 4);
		at += 8;
	}

	const sport = b[at] | (b[at + 1] << 8);
	const dport = b[at + 2] | (b[at + 3] << 8);
	at += 4;
	let icmpType = -1;
	let icmpCode = -1;
	let icmpId = -1;
	if (icmp) {
		icmpType = i16(b, at);
		icmpCode = i16(b, at + 2);
		icmpId = i32(b, at + 4);
		at += 8;
	}

	return {
		src,
		dst,
		sport,
		dport,
		icmpType,
		icmpCode,
		icmpId,
		zone: zoned ? b[at] | (b[at + 1] << 8) : undefined,
	};
}

function sameAddress(a: Address, b: Address): boolean {
	if (typeof a === 'number' || typeof b === 'number') return a === b;
	for (let i = 0; i < 16; i++) if (a[i] !== b[i]) return false;
	return true;
}

/** Whether `reply` is what `mirror(original)` rebuilds (zones aside: they are kept apart). */
function isMirror(original: Tuple, reply: Tuple): boolean {
	return (
		sameAddress(reply.src, original.dst) &&
		sameAddress(reply.dst, original.src) &&
		reply.sport === original.dport &&
		reply.dport === original.sport &&
		Object.is(reply.icmpType, original.icmpType) &&
		Object.is(reply.icmpCode, original.icmpCode) &&
		Object.is(reply.icmpId, original.icmpId)
	);
}

/** The reply tuple that mirrors `original`, with addresses of its own. */
function mirror(original: Tuple, zone: number | undefined): Tuple {
	const {src, dst} = original;
	return {
		src: typeof dst === 'number' ? dst : dst.slice(),
		dst: typeof src === 'number' ? src : src.slice(),
		sport: original.dport,
		dport: original.sport,
		icmpType: original.icmpType,
		icmpCode: original.icmpCode,
		icmpId: original.icmpId,
		zone,
	};
}

function icmpUnset(tuple: Tuple): boolean {
	return tuple.icmpType === -1 && tuple.icmpCode === -1 && tuple.icmpId === -1;
}

function fitsU32(value: number): boolean {
	return value >>> 0 === value && !Object.is(value, -0);
}

function fits32(counters: NonNullable<Flow['counters']>): boolean {
	const {original: o, reply: r} = counters;
	return fitsU32(o.packets) && fitsU32(o.bytes) && fitsU32(r.packets) && fitsU32(r.bytes);
}
