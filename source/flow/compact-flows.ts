/**
 * Flows kept as compact records rather than objects: ~100 bytes for an IPv4 TCP flow with
 * counters and a start time, where the `Flow` object graph costs several hundred. `--once`
 * with a sort holds the whole table this way (1M flows in ~100 MB) and turns each record back
 * into a `Flow` only to print it. Every field round-trips exactly, `undefined` included.
 *
 * Records sit in 1 MiB chunks (never copied when the list grows); strings that repeat (the
 * protocol's name, states, helpers) are interned in one table per list.
 */
import type {Address, Counters, Flow, NatKind, Tuple} from './types.js';

const chunkBytes = 1 << 20;
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

/** An append-only list of flows in compact form. */
export class CompactFlows {
	/** Flows in the list. */
	length = 0;
	private readonly chunks: Buffer[] = [];
	/** Where record i starts: chunk index * 2^20 + offset. */
	private positions = new Uint32Array(1024);
	private used = chunkBytes;
	private readonly strings: string[] = [];
	private readonly stringIndex = new Map<string, number>();

	/** Appends `flow`; returns its index. */
	add(flow: Flow): number {
		const labels = flow.labels?.length ?? 0;
		if (this.used + recordRoom + labels * 2 > chunkBytes) {
			this.chunks.push(Buffer.allocUnsafeSlow(chunkBytes));
			this.used = 0;
		}

		if (this.length === this.positions.length) {
			const grown = new Uint32Array(this.positions.length * 2);
			grown.set(this.positions);
			this.positions = grown;
		}

		const buf = this.chunks[this.chunks.length - 1];
		const start = this.used;
		this.positions[this.length] = (this.chunks.length - 1) * chunkBytes + start;
		this.used = this.write(buf, start + 2, flow);
		buf.writeUInt16LE(this.presence(flow), start);
		return this.length++;
	}

	/** The flow at `index`, as a new object. */
	get(index: number): Flow {
		const position = this.positions[index];
		const buf = this.chunks[Math.floor(position / chunkBytes)];
		let at = position % chunkBytes;
		const bits = buf.readUInt16LE(at);
		at += 2;
		const family = bits & v6 ? 'ipv6' : 'ipv4';
		const protonum = buf[at];
		const natCode = buf[at + 1];
		const proto = this.strings[buf.readUInt16LE(at + 2)];
		const id = buf.readUInt32LE(at + 4);
		const zone = buf.readUInt16LE(at + 8);
		at += 10;
		const [original, afterOriginal] = readTuple(buf, at, bits & v6, bits & originalZone);
		const [reply, afterReply] = readTuple(buf, afterOriginal, bits & v6, bits & replyZone);
		at = afterReply;
		const read32 = (bit: number): number | undefined => {
			if (!(bits & bit)) return undefined;
			at += 4;
			return buf.readUInt32LE(at - 4);
		};

		const readDouble = (bit: number): number | undefined => {
			if (!(bits & bit)) return undefined;
			at += 8;
			return buf.readDoubleLE(at - 8);
		};

		const readString = (bit: number): string | undefined => {
			if (!(bits & bit)) return undefined;
			at += 2;
			return this.strings[buf.readUInt16LE(at - 2)];
		};

		const status = read32(hasStatus);
		const state = bits & stateNull ? null : readString(hasState);
		const timeout = read32(hasTimeout);
		const mark = read32(hasMark);
		const use = read32(hasUse);
		let counters: Flow['counters'];
		if (bits & hasCounters) {
			const originalCounters: Counters = {
				packets: buf.readDoubleLE(at),
				bytes: buf.readDoubleLE(at + 8),
			};
			const replyCounters: Counters = {
				packets: buf.readDoubleLE(at + 16),
				bytes: buf.readDoubleLE(at + 24),
			};
			counters = {original: originalCounters, reply: replyCounters};
			at += 32;
		}

		const start = readDouble(hasStart);
		const stop = readDouble(hasStop);
		const helper = readString(hasHelper);
		let labels: number[] | undefined;
		if (bits & hasLabels) {
			const count = buf.readUInt16LE(at);
			at += 2;
			labels = [];
			for (let i = 0; i < count; i++, at += 2) labels.push(buf.readUInt16LE(at));
		}

		return {
			id,
			family,
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

	private presence(flow: Flow): number {
		let bits = flow.family === 'ipv6' ? v6 : 0;
		if (flow.status !== undefined) bits |= hasStatus;
		if (flow.state === null) bits |= stateNull;
		else if (flow.state !== undefined) bits |= hasState;
		if (flow.timeout !== undefined) bits |= hasTimeout;
		if (flow.mark !== undefined) bits |= hasMark;
		if (flow.use !== undefined) bits |= hasUse;
		if (flow.counters !== undefined) bits |= hasCounters;
		if (flow.start !== undefined) bits |= hasStart;
		if (flow.stop !== undefined) bits |= hasStop;
		if (flow.helper !== undefined) bits |= hasHelper;
		if (flow.labels !== undefined) bits |= hasLabels;
		if (flow.original.zone !== undefined) bits |= originalZone;
		if (flow.reply.zone !== undefined) bits |= replyZone;
		return bits;
	}

	/** Writes everything after the presence bits from `at`; returns where the record ends. */
	private write(buf: Buffer, at: number, flow: Flow): number {
		buf[at] = flow.protonum;
		buf[at + 1] = flow.nat === undefined ? 0 : natCodes.indexOf(flow.nat) + 1;
		buf.writeUInt16LE(this.intern(flow.proto), at + 2);
		buf.writeUInt32LE(flow.id >>> 0, at + 4);
		buf.writeUInt16LE(flow.zone, at + 8);
		at = writeTuple(buf, at + 10, flow.original);
		at = writeTuple(buf, at, flow.reply);
		if (flow.status !== undefined) at = buf.writeUInt32LE(flow.status >>> 0, at);
		if (typeof flow.state === 'string') at = buf.writeUInt16LE(this.intern(flow.state), at);
		if (flow.timeout !== undefined) at = buf.writeUInt32LE(flow.timeout >>> 0, at);
		if (flow.mark !== undefined) at = buf.writeUInt32LE(flow.mark >>> 0, at);
		if (flow.use !== undefined) at = buf.writeUInt32LE(flow.use >>> 0, at);
		if (flow.counters !== undefined) {
			at = buf.writeDoubleLE(flow.counters.original.packets, at);
			at = buf.writeDoubleLE(flow.counters.original.bytes, at);
			at = buf.writeDoubleLE(flow.counters.reply.packets, at);
			at = buf.writeDoubleLE(flow.counters.reply.bytes, at);
		}

		if (flow.start !== undefined) at = buf.writeDoubleLE(flow.start, at);
		if (flow.stop !== undefined) at = buf.writeDoubleLE(flow.stop, at);
		if (flow.helper !== undefined) at = buf.writeUInt16LE(this.intern(flow.helper), at);
		if (flow.labels !== undefined) {
			at = buf.writeUInt16LE(flow.labels.length, at);
			for (const label of flow.labels) at = buf.writeUInt16LE(label, at);
		}

		return at;
	}
}

function writeAddress(buf: Buffer, at: number, address: Address): number {
	if (typeof address === 'number') return buf.writeUInt32LE(address >>> 0, at);
	buf.set(address, at);
	return at + 16;
}

function readAddress(buf: Buffer, at: number, ipv6: number): Address {
	if (!ipv6) return buf.readUInt32LE(at);
	// A plain Uint8Array of its own, as the decoder makes (a Buffer's slice would be a Buffer).
	const address = new Uint8Array(16);
	address.set(buf.subarray(at, at + 16));
	return address;
}

/** Addresses, ports, then ICMP type and code (-1 for none, as int16) and id (int32). */
function writeTuple(buf: Buffer, at: number, tuple: Tuple): number {
	at = writeAddress(buf, at, tuple.src);
	at = writeAddress(buf, at, tuple.dst);
	at = buf.writeUInt16LE(tuple.sport, at);
	at = buf.writeUInt16LE(tuple.dport, at);
	at = buf.writeInt16LE(tuple.icmpType, at);
	at = buf.writeInt16LE(tuple.icmpCode, at);
	at = buf.writeInt32LE(tuple.icmpId, at);
	if (tuple.zone !== undefined) at = buf.writeUInt16LE(tuple.zone, at);
	return at;
}

function readTuple(buf: Buffer, at: number, ipv6: number, zoned: number): [Tuple, number] {
	const size = ipv6 ? 16 : 4;
	const src = readAddress(buf, at, ipv6);
	const dst = readAddress(buf, at + size, ipv6);
	at += size * 2;
	const tuple: Tuple = {
		src,
		dst,
		sport: buf.readUInt16LE(at),
		dport: buf.readUInt16LE(at + 2),
		icmpType: buf.readInt16LE(at + 4),
		icmpCode: buf.readInt16LE(at + 6),
		icmpId: buf.readInt32LE(at + 8),
		zone: zoned ? buf.readUInt16LE(at + 12) : undefined,
	};
	return [tuple, at + (zoned ? 14 : 12)];
}
