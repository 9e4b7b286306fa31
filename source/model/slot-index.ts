/**
 * Flow identity -> table slot, as an open-addressing hash table on the flow's identity (id,
 * zone, protocol and original tuple: what `flowKey` encodes). A `Map` from `flowKey` strings
 * cost ~0.5 us per event at 100k flows (building and hashing the key, then chasing the entry)
 * and ~80 bytes a flow; this hashes the fields in place and costs 16 bytes a flow.
 *
 * The hash takes in the whole identity, not the id alone: the id is a 32-bit hash that two
 * live entries share at ~100k flows (docs/facts.md#conntrack-ids-collide), and a source
 * without ids (a router's /proc/net/nf_conntrack) gives every flow id 0. Hashed on the id,
 * those flows all share one probe run and a 16k-flow table took seconds to fill (quadratic).
 */
import {flowKey} from '../flow/key.js';
import type {Flow, Tuple} from '../flow/types.js';
import type {FlowColumns} from './flow-columns.js';

/** One MurmurHash3 (x86, 32-bit) round: mixes the 32-bit word `k` into `h`. */
function mix(h: number, k: number): number {
	k = Math.imul(k, 0xcc9e2d51);
	k = (k << 15) | (k >>> 17);
	k = Math.imul(k, 0x1b873593);
	h ^= k;
	h = (h << 13) | (h >>> 19);
	return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** MurmurHash3's finaliser: every input bit reaches the top bits the table indexes by. */
function finish(h: number): number {
	h ^= h >>> 16;
	h = Math.imul(h, 0x85ebca6b);
	h ^= h >>> 13;
	h = Math.imul(h, 0xc2b2ae35);
	h ^= h >>> 16;
	return h | 0;
}

function bytesWord(bytes: Uint8Array, at: number): number {
	return (bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3];
}

/**
 * The identity's hash. It reads the same 16-bit units `flowKey` packs, two to a word and in
 * the same order, so `keyHash(flowKey(flow)) === identityHash(flow)` and a key string finds
 * its slot without a flow at hand.
 */
function identityHash(flow: Flow): number {
	const o = flow.original;
	let h = mix(0, flow.id | 0);
	h = mix(h, flow.zone | 0);
	h = mix(h, ((flow.protonum & 0xffff) << 16) | (o.sport & 0xffff));
	h = mix(h, ((o.dport & 0xffff) << 16) | (o.icmpType & 0xffff));
	h = mix(h, ((o.icmpCode & 0xffff) << 16) | (o.icmpId & 0xffff));
	return finish(addressesHash(h, o.src, o.dst));
}

function addressesHash(h: number, src: Tuple['src'], dst: Tuple['dst']): number {
	if (typeof src === 'number' && typeof dst === 'number') {
		h = mix(h, src | 0);
		return mix(h, dst | 0);
	}

	const s = src as Uint8Array;
	const d = dst as Uint8Array;
	for (let at = 0; at < 16; at += 4) h = mix(h, bytesWord(s, at));
	for (let at = 0; at < 16; at += 4) h = mix(h, bytesWord(d, at));
	return h;
}

/** `identityHash` of the flow stored in `slot`, read from the columns (no tuple is built). */
function slotHash(columns: FlowColumns, slot: number): number {
	const o = columns.original;
	let h = mix(0, columns.id[slot] | 0);
	h = mix(h, columns.zone[slot] | 0);
	h = mix(h, ((columns.protonum[slot] & 0xffff) << 16) | (o.sport[slot] & 0xffff));
	h = mix(h, ((o.dport[slot] & 0xffff) << 16) | (o.icmpType[slot] & 0xffff));
	h = mix(h, ((o.icmpCode[slot] & 0xffff) << 16) | (o.icmpId[slot] & 0xffff));
	return finish(addressesHash(h, o.srcOf(slot), o.dstOf(slot)));
}

/** `sameIdentity` of the flow stored in `slot` and `flow`, read from the columns. */
function sameSlotIdentity(columns: FlowColumns, slot: number, flow: Flow): boolean {
	return (
		columns.id[slot] === flow.id &&
		columns.zone[slot] === flow.zone &&
		columns.protonum[slot] === flow.protonum &&
		columns.original.same(slot, flow.original, false)
	);
}

/** The hash of the identity a `flowKey` string names (see identityHash). */
function keyHash(key: string): number {
	let h = 0;
	for (let at = 0; at + 1 < key.length; at += 2)
		h = mix(h, (key.charCodeAt(at) << 16) | key.charCodeAt(at + 1));
	return finish(h);
}

/** How well the index spreads its entries (see `SlotIndex.probeStats`). */
export interface ProbeStats {
	/** Flows indexed. */
	readonly entries: number;
	/** Positions in the table (a power of two, at least twice `entries`). */
	readonly capacity: number;
	/** The most positions any lookup of an indexed flow visits (1 when it is at its home). */
	readonly longest: number;
	/** The mean positions a lookup of an indexed flow visits. */
	readonly mean: number;
}

/** What the index reads of the store: which slots hold a flow, and the flows' columns. */
export interface IndexedStore {
	readonly flows: ReadonlyArray<Flow | undefined>;
	readonly columns: FlowColumns;
}

/** Slots by identity; the flows themselves stay in the store. */
export class SlotIndex {
	/**
	 * Two numbers per position, side by side so a probe reads one cache line: slot + 1 (0 when
	 * free), then that flow's identity hash (so resizing and deletion do not rehash, and a probe
	 * compares flows only when their hashes are equal).
	 */
	private table = new Int32Array(0);
	/** Positions - 1. */
	private mask = -1;
	private shift = 32;
	private count = 0;

	constructor(private readonly store: IndexedStore) {
		this.resize(1024);
	}

	/** The slot holding the entry `flow` is about, or -1. */
	find(flow: Flow): number {
		const {table, mask} = this;
		const {columns} = this.store;
		const hash = identityHash(flow);
		for (let at = hash >>> this.shift; ; at = (at + 1) & mask) {
			const entry = table[at * 2];
			if (entry === 0) return -1;
			if (table[at * 2 + 1] === hash && sameSlotIdentity(columns, entry - 1, flow)) {
				return entry - 1;
			}
		}
	}

	/** The slot of the flow whose `flowKey` is `key`, or -1. */
	findKey(key: string): number {
		const {table, mask} = this;
		const {flows} = this.store;
		const hash = keyHash(key);
		for (let at = hash >>> this.shift; ; at = (at + 1) & mask) {
			const entry = table[at * 2];
			if (entry === 0) return -1;
			if (table[at * 2 + 1] === hash && flowKey(flows[entry - 1]!) === key) return entry - 1;
		}
	}

	/** Indexes `slot`, whose flow must already be stored and not yet indexed. */
	insert(slot: number): void {
		if ((this.count + 1) * 2 > this.mask + 1) this.resize((this.mask + 1) * 2);
		this.place(slot + 1, slotHash(this.store.columns, slot));
		this.count++;
	}

	/** Unindexes `slot`; call before its flow is cleared. */
	remove(slot: number): void {
		const {table, mask, shift} = this;
		let at = slotHash(this.store.columns, slot) >>> shift;
		while (table[at * 2] !== slot + 1) at = (at + 1) & mask;
		// Backward-shift deletion: no tombstones, so probes stay short however long it runs.
		let hole = at;
		for (let next = (hole + 1) & mask; table[next * 2] !== 0; next = (next + 1) & mask) {
			const home = table[next * 2 + 1] >>> shift;
			const inRange = hole <= next ? home > hole && home <= next : home > hole || home <= next;
			if (!inRange) {
				table[hole * 2] = table[next * 2];
				table[hole * 2 + 1] = table[next * 2 + 1];
				hole = next;
			}
		}

		table[hole * 2] = 0;
		table[hole * 2 + 1] = 0;
		this.count--;
	}

	/**
	 * How many positions lookups of the indexed flows visit, longest and mean: what a hash that
	 * lumps flows together costs, counted rather than timed (O(capacity); for tests and probes).
	 */
	probeStats(): ProbeStats {
		const {table, mask, shift} = this;
		let longest = 0;
		let total = 0;
		for (let at = 0; at <= mask; at++) {
			if (table[at * 2] === 0) continue;
			const visited = ((at - (table[at * 2 + 1] >>> shift)) & mask) + 1;
			total += visited;
			if (visited > longest) longest = visited;
		}

		return {
			entries: this.count,
			capacity: mask + 1,
			longest,
			mean: this.count === 0 ? 0 : total / this.count,
		};
	}

	private place(entry: number, hash: number): void {
		const {table, mask} = this;
		let at = hash >>> this.shift;
		while (table[at * 2] !== 0) at = (at + 1) & mask;
		table[at * 2] = entry;
		table[at * 2 + 1] = hash;
	}

	private resize(size: number): void {
		const old = this.table;
		this.table = new Int32Array(size * 2);
		this.mask = size - 1;
		this.shift = 32 - Math.log2(size);
		for (let at = 0; at < old.length; at += 2) if (old[at] !== 0) this.place(old[at], old[at + 1]);
	}
}
