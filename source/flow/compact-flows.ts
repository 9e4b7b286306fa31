/**
 * Flows kept as compact records rather than objects: ~110 bytes for an IPv4 TCP flow with
 * counters and a start time, where the `Flow` object graph costs several hundred. `--once`
 * with a sort holds the whole table this way (1M flows in ~110 MB) and turns each record back
 * into a `Flow` only to print it. Every field round-trips exactly, `undefined` included.
 *
 * Records sit in 1 MiB chunks (never copied when the list grows); strings that repeat (the
 * protocol's name, states, helpers) are interned in one table per list. Fields are read and
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
		const position = this.positions[index];
		const b = this.chunks[position >>> chunkShift];
		let at = position & offsetMask;
		const bits = b[at] | (b[at + 1] << 8);
		const ipv6 = bits & v6;
		const protonum = b[at + 2];
		const natCode = b[at + 3];
		const proto = this.strings[b[at + 4] | (b[at + 5] << 8)];
		const id = u32(b, at + 6);
		const zone = b[at + 10] | (b[at + 11] << 8);
		at += 12;
		const original = readTuple(b, at, ipv6, bits & originalZone);
		at += tupleSize(ipv6, bits & originalZone);
		const reply = readTuple(b, at, ipv6, bits & replyZone);
		at += tupleSize(ipv6, bits & replyZone);
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
		if (bits & hasCounters) {
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
		const natCode = flow.nat === undefined ? 0 : natCodes.indexOf(flow.nat) + 1;
		b[start + 2] = flow.protonum;
		b[start + 3] = natCode;
		u16To(b, start + 4, this.protoIndex(flow.proto));
		u32To(b, start + 6, flow.id);
		u16To(b, start + 10, flow.zone);
		let at = writeTuple(b, start + 12, original);
		if (original.zone !== undefined) bits |= originalZone;
		at = writeTuple(b, at, reply);
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

		const {counters} = flow;
		if (counters !== undefined) {
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

/** Bytes a tuple takes: two addresses, ports, ICMP type, code and id, then its zone if any. */
function tupleSize(ipv6: number, zoned: number): number {
	return (ipv6 ? 32 : 8) + (zoned ? 14 : 12);
}

/** Addresses, ports, then ICMP type and code (-1 for none, as int16) and id (int32). */
function writeTuple(b: Uint8Array, at: number, tuple: Tuple): number {
	at = writeAddress(b, at, tuple.src);
	at = writeAddress(b, at, tuple.dst);
	at = u16To(b, at, tuple.sport);
	at = u16To(b, at, tuple.dport);
	at = u16To(b, at, tuple.icmpType);
	at = u16To(b, at, tuple.icmpCode);
	at = u32To(b, at, tuple.icmpId);
	if (tuple.zone !== undefined) at = u16To(b, at, tuple.zone);
	return at;
}

function readTuple(b: Uint8Array, at: number, ipv6: number, zoned: number): Tuple {
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

	return {
		src,
		dst,
		sport: b[at] | (b[at + 1] << 8),
		dport: b[at + 2] | (b[at + 3] << 8),
		icmpType: i16(b, at + 4),
		icmpCode: i16(b, at + 6),
		icmpId: i32(b, at + 8),
		zone: zoned ? b[at + 12] | (b[at + 13] << 8) : undefined,
	};
}
