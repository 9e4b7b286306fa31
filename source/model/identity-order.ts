/**
 * The table's slots in flow identity order (kernel id, then zone, protocol and original
 * tuple): the fixed tie-breaker every sort starts from, so equal rows never swap places
 * between refreshes. Kept incrementally: a few additions are merged in by binary search,
 * removals compacted out, and only many additions at once pay for a full radix rebuild
 * (~3 ms at 100k).
 */
import {compareFlowIdentity} from '../flow/key.js';
import {radixSort} from './radix.js';
import {keyColumn} from './row-layout.js';
import type {FlowStore} from './store.js';

/** Slots in identity order; call `added`/`removed` as rows come and go, `update` before use. */
export class IdentityOrder {
	/** The slots, `order[0..length)`. */
	order = new Int32Array(0);
	length = 0;
	private scratch = new Int32Array(0);
	private built = false;
	/** Slots added since the last update. */
	private readonly pending: number[] = [];
	/** 1 for slots in `order`; 1 in `dropped` for those removed since (the slot may be reused). */
	private member = new Uint8Array(0);
	private dropped = new Uint8Array(0);
	private drops = 0;

	constructor(private readonly store: FlowStore) {}

	/** Sizes the arrays to `capacity` slots; the next update rebuilds from scratch. */
	resize(capacity: number): void {
		this.order = new Int32Array(capacity);
		this.scratch = new Int32Array(capacity);
		this.member = new Uint8Array(capacity);
		this.dropped = new Uint8Array(capacity);
		this.built = false;
	}

	/** `slot` now holds a flow. */
	added(slot: number): void {
		this.pending.push(slot);
	}

	/** `slot` lost its flow (and may get another before the next update). */
	removed(slot: number): void {
		if (this.member[slot] === 1) {
			this.member[slot] = 0;
			this.dropped[slot] = 1;
			this.drops++;
		}
	}

	/** Brings `order` up to date with the store. */
	update(): void {
		const {pending} = this;
		if (!this.built || pending.length * 16 > this.length + 256) {
			this.rebuild();
			return;
		}

		if (this.drops > 0) {
			let n = 0;
			for (let i = 0; i < this.length; i++) {
				const slot = this.order[i];
				if (this.dropped[slot] === 1) this.dropped[slot] = 0;
				else this.order[n++] = slot;
			}

			this.length = n;
			this.drops = 0;
		}

		if (pending.length > 0) this.merge(pending);
		pending.length = 0;
	}

	/** Identity order of two slots: kernel id first (typed column), the full tuple on a tie. */
	private compare(a: number, b: number): number {
		const ids = this.store.keyColumns[keyColumn.id];
		if (ids[a] !== ids[b]) return ids[a] < ids[b] ? -1 : 1;
		return compareFlowIdentity(this.store.flows[a]!, this.store.flows[b]!);
	}

	private rebuild(): void {
		const {store, order} = this;
		const ids = store.keyColumns[keyColumn.id];
		this.member.fill(0);
		this.dropped.fill(0);
		let n = 0;
		for (let slot = 0; slot < store.length; slot++) {
			if (store.flows[slot] !== undefined) {
				order[n++] = slot;
				this.member[slot] = 1;
			}
		}

		radixSort(order, n, [ids], this.scratch);
		// Ids are a 32-bit hash and collide: order runs of equal ids by the full identity.
		for (let start = 0; start < n;) {
			let end = start + 1;
			while (end < n && ids[order[end]] === ids[order[start]]) end++;
			if (end - start > 1) {
				const run = Array.from(order.subarray(start, end));
				run.sort((a, b) => compareFlowIdentity(store.flows[a]!, store.flows[b]!));
				order.set(run, start);
			}

			start = end;
		}

		this.length = n;
		this.built = true;
		this.drops = 0;
		this.pending.length = 0;
	}

	private merge(pending: readonly number[]): void {
		const {flows} = this.store;
		const added: number[] = [];
		for (const slot of pending) {
			// A slot added and removed (or reused) since the last update may be listed twice.
			if (flows[slot] !== undefined && this.member[slot] === 0) {
				this.member[slot] = 1;
				added.push(slot);
			}
		}

		added.sort((a, b) => this.compare(a, b));
		const {order} = this;
		const out = this.scratch;
		let from = 0;
		let to = 0;
		for (const slot of added) {
			let lo = from;
			let hi = this.length;
			while (lo < hi) {
				const mid = (lo + hi) >>> 1;
				if (this.compare(order[mid], slot) < 0) lo = mid + 1;
				else hi = mid;
			}

			out.set(order.subarray(from, lo), to);
			to += lo - from;
			out[to++] = slot;
			from = lo;
		}

		out.set(order.subarray(from, this.length), to);
		to += this.length - from;
		this.order = out;
		this.scratch = order;
		this.length = to;
	}
}
