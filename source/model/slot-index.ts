/**
 * Flow identity -> table slot, as an open-addressing hash table on the kernel id. A `Map`
 * from `flowKey` strings cost ~0.5 us per event at 100k flows (building and hashing the key,
 * then chasing the entry) and ~80 bytes a flow; this costs one probe and 8 bytes a flow.
 */
import {sameAddress} from '../flow/address.js';
import type {Flow} from '../flow/types.js';

/** Whether two messages are about the same conntrack entry (what `flowKey` encodes). */
export function sameIdentity(a: Flow, b: Flow): boolean {
	if (a.id !== b.id || a.zone !== b.zone || a.protonum !== b.protonum) return false;
	const x = a.original;
	const y = b.original;
	if (x === y) return true;
	return (
		x.sport === y.sport &&
		x.dport === y.dport &&
		x.icmpType === y.icmpType &&
		x.icmpCode === y.icmpCode &&
		x.icmpId === y.icmpId &&
		sameAddress(x.src, y.src) &&
		sameAddress(x.dst, y.dst)
	);
}

function hash(id: number, shift: number): number {
	// Fibonacci hashing: the top bits of id * 2^32/phi spread sequential ids as well as random
	// ones.
	return Math.imul(id, 0x9e3779b1) >>> shift;
}

/** Slots by identity; the flows themselves stay in the caller's arrays. */
export class SlotIndex {
	private table = new Int32Array(0);
	private mask = -1;
	private shift = 32;
	private count = 0;

	constructor(
		/** The flow stored in each slot (undefined when free). */
		private readonly flows: ReadonlyArray<Flow | undefined>,
	) {
		this.resize(1024);
	}

	/** The slot holding the entry `flow` is about, or -1. */
	find(flow: Flow): number {
		const {table, mask, flows} = this;
		for (let at = hash(flow.id, this.shift); ; at = (at + 1) & mask) {
			const entry = table[at];
			if (entry === 0) return -1;
			const stored = flows[entry - 1]!;
			if (sameIdentity(stored, flow)) return entry - 1;
		}
	}

	/**
	 * Slots whose flow has kernel id `id`, for looking up a key string: the caller checks
	 * which one (if any) it means.
	 */
	candidates(id: number): number[] {
		const {table, mask, flows} = this;
		const out: number[] = [];
		for (let at = hash(id, this.shift); ; at = (at + 1) & mask) {
			const entry = table[at];
			if (entry === 0) return out;
			if (flows[entry - 1]!.id >>> 0 === id >>> 0) out.push(entry - 1);
		}
	}

	/** Indexes `slot`, whose flow must already be stored and not yet indexed. */
	insert(slot: number): void {
		if ((this.count + 1) * 2 > this.table.length) this.resize(this.table.length * 2);
		this.place(slot);
		this.count++;
	}

	/** Unindexes `slot`; call before its flow is cleared. */
	remove(slot: number): void {
		const {table, mask, flows} = this;
		let at = hash(flows[slot]!.id, this.shift);
		while (table[at] !== slot + 1) at = (at + 1) & mask;
		// Backward-shift deletion: no tombstones, so probes stay short however long it runs.
		let hole = at;
		for (let next = (hole + 1) & mask; table[next] !== 0; next = (next + 1) & mask) {
			const home = hash(flows[table[next] - 1]!.id, this.shift);
			const inRange = hole <= next ? home > hole && home <= next : home > hole || home <= next;
			if (!inRange) {
				table[hole] = table[next];
				hole = next;
			}
		}

		table[hole] = 0;
		this.count--;
	}

	private place(slot: number): void {
		const {table, mask} = this;
		let at = hash(this.flows[slot]!.id, this.shift);
		while (table[at] !== 0) at = (at + 1) & mask;
		table[at] = slot + 1;
	}

	private resize(size: number): void {
		const old = this.table;
		this.table = new Int32Array(size);
		this.mask = size - 1;
		this.shift = 32 - Math.log2(size);
		for (const entry of old) if (entry !== 0) this.place(entry - 1);
	}
}
