/**
 * Substring search over every row's text at once. The texts of the rows are written into one
 * string per chunk of slots, separated by newlines, and searched as a whole: a word's hits map
 * back to rows by their offsets. Rows whose text changed since (state, mark, new flows in
 * reused slots) are checked one by one until enough of them pile up in a chunk to make
 * rebuilding that chunk worth it.
 *
 * Chunks, not one string: the index can then be built a chunk at a time (the UI starts it when
 * the filter prompt opens and keeps drawing in between: at 1M rows a whole build is ~0.5-1 s),
 * a change rebuilds only its own chunk, and no buffer of the whole text (~80 MB at 1M rows) is
 * ever allocated besides the text itself.
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

// 8192 slots a chunk: ~0.7 MB of text at ~80 bytes a row, which V8 keeps as one plain string
// on its heap, and ~5-10 ms to build at 1M rows.
const chunkShift = 13;
const chunkSlots = 1 << chunkShift;
// Changed rows a chunk checks one by one before it is rebuilt: an eighth of it (past that,
// checking them costs more than the rebuild).
const staleLimit = chunkSlots / 8;

/** The texts of the rows of slots `[k * chunkSlots, (k + 1) * chunkSlots)`, as last built. */
interface Chunk {
	readonly text: string;
	/** Where each row's text starts in `text`, then `text.length`. */
	readonly rowStart: Int32Array;
	/** Each row's slot, ascending. */
	readonly rowSlot: Int32Array;
	readonly rows: number;
	/** Slots of the chunk that changed since it was built (their rows are searched one by one). */
	stale: number;
}

/** Rows' texts as searchable strings; built on the first search (or ahead, in steps). */
export class TextIndex {
	private chunks: Array<Chunk | undefined> = [];
	/** 1 when the slot's current text is in its chunk's text. */
	private covered = new Uint8Array(0);
	/** Where chunks are written before they become strings; reused. */
	private scratch = Buffer.alloc(0);

	/** Chunk builds so far, for tests. */
	rebuilds = 0;

	constructor(private readonly store: TextRows) {}

	/** The text of `slot` changed or the slot changed hands: search it directly from now on. */
	invalidate(slot: number): void {
		const chunk = this.chunks[slot >>> chunkShift];
		if (chunk === undefined) return;
		// Counted even when the slot was free at the build: it may hold a row now.
		this.covered[slot] = 0;
		chunk.stale++;
	}

	/** Whether a search would find every chunk built (changed rows aside). */
	get ready(): boolean {
		const count = Math.ceil(this.store.length / chunkSlots);
		for (let k = 0; k < count; k++) if (this.chunks[k] === undefined) return false;
		return true;
	}

	/**
	 * Builds the chunks that are missing or have too many changed rows, until about `rows` rows
	 * were written; returns whether none is left to build. Searches call it with no limit.
	 */
	prepare(rows = Number.POSITIVE_INFINITY): boolean {
		const {store} = this;
		if (this.covered.length < store.capacity) {
			const covered = new Uint8Array(store.capacity);
			covered.set(this.covered);
			this.covered = covered;
		}

		const count = Math.ceil(store.length / chunkSlots);
		let written = 0;
		for (let k = 0; k < count; k++) {
			if (!this.needsBuild(k)) continue;
			if (written >= rows) return false;
			written += this.build(k);
		}

		return true;
	}

	/**
	 * Sets `out[slot]` to 1 for every live slot whose text contains `word` (lowercase, no
	 * newline) and to 0 for the others. With `slots`, only `slots[0..length)` are searched and
	 * set; the rest of `out` is left as it was.
	 */
	search(word: string, out: Uint8Array, slots?: {slots: Int32Array; length: number}): void {
		this.prepare();
		if (slots !== undefined) {
			this.searchAt(word, out, slots.slots, slots.length);
			return;
		}

		const {store, covered} = this;
		out.fill(0, 0, store.length);
		for (const chunk of this.chunks) {
			if (chunk === undefined) continue;
			const {text, rowStart, rowSlot} = chunk;
			let row = 0;
			for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, rowStart[row])) {
				// Hits come in order: the row holding `at` is at or after the last one's.
				while (rowStart[row + 1] <= at) row++;
				const slot = rowSlot[row];
				if (covered[slot] === 1) out[slot] = 1;
				row++;
			}
		}

		const count = Math.ceil(store.length / chunkSlots);
		for (let k = 0; k < count; k++) {
			// Only chunks with changed or new rows have any to check.
			if (this.chunks[k]!.stale === 0) continue;
			const end = Math.min(store.length, (k + 1) * chunkSlots);
			for (let slot = k * chunkSlots; slot < end; slot++) {
				if (
					covered[slot] !== 1 &&
					store.flows[slot] !== undefined &&
					store.text(slot).includes(word)
				) {
					out[slot] = 1;
				}
			}
		}
	}

	/**
	 * `search` slot by slot: when they are few, a substring test on each costs less than
	 * scanning the whole text (a row's text is a slice of it, not a copy).
	 */
	private searchAt(word: string, out: Uint8Array, slots: Int32Array, length: number): void {
		const {store, covered} = this;
		for (let i = 0; i < length; i++) {
			const slot = slots[i];
			if (covered[slot] === 1) {
				const {text, rowStart, rowSlot, rows} = this.chunks[slot >>> chunkShift]!;
				// Rows are in slot order: the row of `slot` by binary search.
				let lo = 0;
				let hi = rows - 1;
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

	/** Whether chunk `k` is missing, or has more changed slots than it should check. */
	private needsBuild(k: number): boolean {
		const chunk = this.chunks[k];
		return chunk === undefined || chunk.stale > staleLimit;
	}

	/** (Re)builds chunk `k`; returns how many rows it holds. */
	private build(k: number): number {
		const {store, covered} = this;
		const {flows} = store;
		const first = k * chunkSlots;
		const end = Math.min(store.length, first + chunkSlots);
		let live = 0;
		for (let slot = first; slot < end; slot++) if (flows[slot] !== undefined) live++;
		const rowStart = new Int32Array(live + 1);
		const rowSlot = new Int32Array(live);
		// Rows average ~100 bytes; grow when a long one would not fit. A bound per row (~700
		// bytes) allocated up front made GC pauses.
		if (this.scratch.length < live * 128) this.scratch = Buffer.allocUnsafe(live * 128);
		let buffer = this.scratch;
		let row = 0;
		let at = 0;
		for (let slot = first; slot < end; slot++) {
			const flow = flows[slot];
			covered[slot] = 0;
			if (flow === undefined) continue;
			const bound = flowTextBound(flow) + 1;
			if (at + bound > buffer.length) {
				const bigger = Buffer.allocUnsafe(Math.max(buffer.length * 2, at + bound));
				buffer.copy(bigger, 0, 0, at);
				buffer = bigger;
				this.scratch = bigger;
			}

			rowStart[row] = at;
			rowSlot[row] = slot;
			covered[slot] = 1;
			at = writeFlowText(flow, buffer, at);
			buffer[at++] = 10;
			row++;
		}

		rowStart[row] = at;
		const text = buffer.toString('latin1', 0, at);
		this.chunks[k] = {text, rowStart, rowSlot, rows: row, stale: 0};
		this.rebuilds++;
		return row;
	}
}
