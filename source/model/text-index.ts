/**
 * Substring search over every row's text at once. The texts of all rows are written into one
 * buffer, separated by newlines, and searched as one string: a word's hits map back to rows by
 * binary search. Rows whose text changed since (state, mark, new flows in reused slots) are
 * checked one by one until enough of them pile up to make a rebuild worth it.
 */
import type {Flow} from '../flow/types.js';
import {flowTextBound, writeFlowText} from './text.js';

/** The rows the index covers, by slot: FlowStore, which owns the index, satisfies it. */
export interface TextRows {
	/** One past the highest slot in use. */
	readonly length: number;
	/** Slots the store has room for. */
	readonly capacity: number;
	/** The flow in each slot; undefined for a free one. */
	readonly flows: ReadonlyArray<Flow | undefined>;
	/** The slot's `flowText`, cached by the store. */
	text(slot: number): string;
}

/** Rows' texts as one searchable string; built on the first search, kept up to date lazily. */
export class TextIndex {
	private text = '';
	private rows = 0;
	private rowStart = new Int32Array(1);
	private rowSlot = new Int32Array(0);
	/** 1 when the slot's current text is in `text`. */
	private covered = new Uint8Array(0);
	private stale = 0;
	private built = false;

	/** Full builds so far, for tests. */
	rebuilds = 0;

	constructor(private readonly store: TextRows) {}

	/** The text of `slot` changed or the slot changed hands: search it directly from now on. */
	invalidate(slot: number): void {
		if (this.built && this.covered[slot] === 1) {
			this.covered[slot] = 0;
			this.stale++;
		}
	}

	/**
	 * Sets `out[slot]` to 1 for every live slot whose text contains `word` (lowercase, no
	 * newline) and to 0 for the others. With `slots`, only `slots[0..length)` are searched and
	 * set; the rest of `out` is left as it was.
	 */
	search(word: string, out: Uint8Array, slots?: {slots: Int32Array; length: number}): void {
		if (slots !== undefined) {
			this.searchAt(word, out, slots.slots, slots.length);
			return;
		}

		const {store} = this;
		this.prepare();
		out.fill(0, 0, store.length);
		const {text, rowStart, rowSlot, covered} = this;
		const rows = this.rows;
		for (let at = text.indexOf(word); at !== -1;) {
			// The row holding offset `at`: the last row starting at or before it.
			let lo = 0;
			let hi = rows - 1;
			while (lo < hi) {
				const mid = (lo + hi + 1) >>> 1;
				if (rowStart[mid] <= at) lo = mid;
				else hi = mid - 1;
			}

			const slot = rowSlot[lo];
			if (covered[slot] === 1) out[slot] = 1;
			at = text.indexOf(word, rowStart[lo + 1]);
		}

		for (let slot = 0; slot < store.length; slot++) {
			if (
				covered[slot] !== 1 &&
				store.flows[slot] !== undefined &&
				store.text(slot).includes(word)
			) {
				out[slot] = 1;
			}
		}
	}

	/**
	 * `search` slot by slot: when they are few, a substring test on each costs less than
	 * scanning the whole text (a row's text is a slice of it, not a copy).
	 */
	private searchAt(word: string, out: Uint8Array, slots: Int32Array, length: number): void {
		const {store} = this;
		this.prepare();
		const {text, rowStart, rowSlot, covered} = this;
		for (let i = 0; i < length; i++) {
			const slot = slots[i];
			if (covered[slot] === 1) {
				// Rows are in slot order: the row of `slot` by binary search.
				let lo = 0;
				let hi = this.rows - 1;
				while (lo < hi) {
					const mid = (lo + hi) >>> 1;
					if (rowSlot[mid] < slot) lo = mid + 1;
					else hi = mid;
				}

				out[slot] = text.slice(rowStart[lo], rowStart[lo + 1]).includes(word) ? 1 : 0;
			} else {
				out[slot] = store.flows[slot] !== undefined && store.text(slot).includes(word) ? 1 : 0;
			}
		}
	}

	/**
	 * Builds the index if it is missing or too many rows changed since (an eighth of them: past
	 * that, checking them one by one costs more than a rebuild). ~40 ms at 100k rows.
	 */
	prepare(): void {
		if (!this.built || this.stale > Math.max(1024, this.rows / 8)) this.rebuild();
	}

	private rebuild(): void {
		const {store} = this;
		const {flows} = store;
		let live = 0;
		for (let slot = 0; slot < store.length; slot++) if (flows[slot] !== undefined) live++;
		// Rows average ~100 bytes; grow when a long one would not fit. A bound per row (~700
		// bytes) allocated up front made 70 MB of external memory and GC pauses.
		let buffer = Buffer.allocUnsafe(Math.max(4096, live * 128));
		const rowStart = new Int32Array(live + 1);
		const rowSlot = new Int32Array(live);
		const covered = new Uint8Array(store.capacity);
		let row = 0;
		let at = 0;
		for (let slot = 0; slot < store.length; slot++) {
			const flow = flows[slot];
			if (flow === undefined) continue;
			const bound = flowTextBound(flow) + 1;
			if (at + bound > buffer.length) {
				const bigger = Buffer.allocUnsafe(Math.max(buffer.length * 2, at + bound));
				buffer.copy(bigger, 0, 0, at);
				buffer = bigger;
			}

			rowStart[row] = at;
			rowSlot[row] = slot;
			covered[slot] = 1;
			at = writeFlowText(flow, buffer, at);
			buffer[at++] = 10;
			row++;
		}

		rowStart[row] = at;
		this.text = buffer.toString('latin1', 0, at);
		this.rows = row;
		this.rowStart = rowStart;
		this.rowSlot = rowSlot;
		this.covered = covered;
		this.stale = 0;
		this.built = true;
		this.rebuilds++;
	}
}
