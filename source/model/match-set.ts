/**
 * The match set: which rows the current filter keeps, one byte per slot. A whole filter pass
 * runs only when nothing known can be caught up from: a result of the same filter, or of one it
 * narrows (`7` then `77`), is brought up to date by testing only the rows that changed since
 * (and, narrowing, the rows that result kept). The last few filters' results are kept, so
 * typing a filter back (Backspace) finds them. A row leaving keeps every other row's result:
 * only the counts are fixed.
 */
import {ChangeLog, type LogMark} from './change-log.js';
import {evaluateFilter, evaluateFilterAt} from './filter-columns.js';
import type {Filter} from './filter.js';
import {narrows} from './filter-narrowing.js';
import {Version} from './stamp.js';
import type {FlowStore} from './store.js';

/** One filter's result, as of `mark` (and `now`, when it reads the clock). */
interface Result {
	readonly filter: Filter;
	readonly now: number;
	readonly mark: LogMark;
	readonly bits: Uint8Array;
	count: number;
}

// Earlier results kept besides the current one: backspacing over a word of three letters.
// A byte a slot each (1 MB at 1M rows).
const keptResults = 3;
// Changes a result can catch up on; past that (a dump changes every row) a pass is cheaper.
const logSize = 65_536;

/** Whether `filter` is bare words alone, none negated (`7`, `10.0 443`). */
function wordsOnly(filter: Filter): boolean {
	return filter.terms.every((term) => term.kind === 'word' && !term.negate);
}

/** The rows matching the last filter asked for, or all of them when there is none. */
export class MatchSet {
	/** True when no filter is set: every row matches and `bits` is not kept. */
	all = true;
	/** Per slot, 1 where the row matches (when not `all`). */
	bits = new Uint8Array(0);
	/** Rows matching. */
	count = 0;
	/** Moves whenever the set changes (a filter pass, or the filter cleared). */
	readonly version = new Version();
	/**
	 * The `version` of the set before this one when this one only dropped rows from it (a
	 * narrowing filter, no row changed since), else -1: views built from that set can drop the
	 * same rows instead of being rebuilt.
	 */
	subsetOf = -1;

	private filter: Filter | undefined;
	private now = Number.NaN;
	private mark: LogMark = {epoch: -1, at: 0};
	private capacity = 0;
	/** Per bare word of the current filter, which slots contain it. */
	private readonly wordHits: Uint8Array[] = [];
	/** The slots a catch-up tests, listed by `candidates`. */
	private slots = new Int32Array(0);
	/** Per slot, 1 while `candidates` has listed it (0 otherwise). */
	private seen = new Uint8Array(0);
	/** Earlier filters' results, newest first. */
	private kept: Result[] = [];
	private readonly log = new ChangeLog(logSize);

	/** Sizes the bits to `capacity` slots; fresh bits hold no result, so the next update passes. */
	fit(capacity: number): void {
		this.capacity = capacity;
		this.bits = new Uint8Array(capacity);
		this.slots = new Int32Array(capacity);
		this.seen = new Uint8Array(capacity);
		this.kept = [];
		this.log.forget();
	}

	/** Whether the row in `slot` matches. */
	matches(slot: number): boolean {
		return this.all || this.bits[slot] === 1;
	}

	/** Says the row in `slot` joined, changed or closed: results re-test it when next used. */
	changed(slot: number): void {
		this.log.changed(slot);
	}

	/** Says the row in `slot` is leaving: uncounted, its bit cleared for the next row there. */
	removed(slot: number): void {
		if (!this.all && this.bits[slot] === 1) this.count--;
		this.bits[slot] = 0;
		for (const result of this.kept) {
			if (result.bits[slot] === 1) result.count--;
			result.bits[slot] = 0;
		}
	}

	/**
	 * Brings the set up to date for `filter` at `now` over `rows` rows (live and tombstones).
	 * Returns whether it tested any row.
	 */
	update(filter: Filter | undefined, now: number, store: FlowStore, rows: number): boolean {
		if (filter === undefined || filter.terms.length === 0) {
			if (!this.all) {
				this.keep();
				this.subsetOf = -1;
				this.all = true;
				this.filter = undefined;
				this.version.bump();
			}

			this.count = rows;
			return false;
		}

		if (
			!this.all &&
			this.filter?.text === filter.text &&
			this.log.isCurrent(this.mark) &&
			(!filter.usesTime || this.now === now)
		) {
			return false;
		}

		// The current result is a base like the kept ones (the same filter after rows changed).
		const hadCurrent = !this.all;
		this.keep();
		const base = this.kept.find(
			(result) =>
				this.log.since(result.mark) !== undefined &&
				(!result.filter.usesTime || result.now === now) &&
				(result.filter.text === filter.text || narrows(filter, result.filter)),
		);
		let count: number;
		this.subsetOf = -1;
		if (base === undefined) {
			count = wordsOnly(filter)
				? this.matchWords(filter, store)
				: evaluateFilter(filter, store, now, this.bits, this.searchWords(filter, store));
		} else {
			const narrowing = base.filter.text !== filter.text;
			if (narrowing && hadCurrent && base === this.kept[0] && this.log.isCurrent(base.mark)) {
				this.subsetOf = this.version.value;
			}

			// Rows the base dropped stay dropped; the rows it kept (when narrowing) and the rows
			// changed since are tested. Testing a row's text alone costs ~200 ns; a search of the
			// whole text ~20-30 ms at 1M rows: below an eighth of the rows, searching only the
			// rows tested is the cheaper. Listing them is a pass over every slot (~3-8 ms at 1M):
			// a filter of words alone skips it when they cannot be few.
			const most = (narrowing ? base.count : 0) + this.log.since(base.mark)!.length;
			const words = wordsOnly(filter);
			const length = words && most * 8 > rows ? -1 : this.candidates(base, narrowing);
			const few = length !== -1 && length * 8 <= rows;
			if (!few && words) {
				// The whole text is searched anyway, and its hits are the whole answer.
				count = this.matchWords(filter, store);
			} else {
				this.bits.set(base.bits);
				const hits = this.searchWords(filter, store, few ? {slots: this.slots, length} : undefined);
				count =
					base.count +
					(words
						? this.matchWordsAt(hits, length)
						: evaluateFilterAt(filter, store, now, this.bits, hits, this.slots, length));
			}
		}

		this.all = false;
		this.filter = filter;
		this.now = now;
		this.count = count;
		this.mark = this.log.mark();
		this.version.bump();
		return true;
	}

	/**
	 * Lists in `slots` the rows a catch-up from `base` tests, each once: those changed since it,
	 * and with `narrowing` those it kept. Returns how many.
	 */
	private candidates(base: Result, narrowing: boolean): number {
		const {slots, seen} = this;
		let length = 0;
		if (narrowing) {
			const {bits} = base;
			for (let slot = 0; slot < bits.length; slot++) if (bits[slot] === 1) slots[length++] = slot;
		}

		for (const slot of this.log.since(base.mark)!) {
			if ((narrowing && base.bits[slot] === 1) || seen[slot] === 1) continue;
			seen[slot] = 1;
			slots[length++] = slot;
		}

		for (const slot of this.log.since(base.mark)!) seen[slot] = 0;
		return length;
	}

	/**
	 * A filter of bare words alone, over every row: the rows whose text has them all are the
	 * words' hits together (hits are live rows only), which spares a pass testing each row
	 * (~20 ms at 1M rows). Returns how many.
	 */
	private matchWords(filter: Filter, store: FlowStore): number {
		const words = [...this.searchWords(filter, store).values()];
		const {bits} = this;
		const n = store.length;
		bits.set(words[0].subarray(0, n));
		for (let i = 1; i < words.length; i++) {
			const hits = words[i];
			for (let slot = 0; slot < n; slot++) bits[slot] &= hits[slot];
		}

		let count = 0;
		for (let slot = 0; slot < n; slot++) count += bits[slot];
		return count;
	}

	/**
	 * `matchWords` at the first `length` of `slots` only (the words' hits need only be right
	 * there); returns how many more of them match than did before.
	 */
	private matchWordsAt(words: ReadonlyMap<string, Uint8Array>, length: number): number {
		const {bits, slots} = this;
		const hits = [...words.values()];
		let change = 0;
		for (let i = 0; i < length; i++) {
			const slot = slots[i];
			let match = 1;
			for (const word of hits) match &= word[slot];
			change += match - bits[slot];
			bits[slot] = match;
		}

		return change;
	}

	/** Each bare word's hits, everywhere or at `slots` only. */
	private searchWords(
		filter: Filter,
		store: FlowStore,
		slots?: {slots: Int32Array; length: number},
	): Map<string, Uint8Array> {
		const words = new Map<string, Uint8Array>();
		for (let i = 0; i < filter.words.length; i++) {
			if (this.wordHits.length <= i) this.wordHits.push(new Uint8Array(this.capacity));
			if (this.wordHits[i].length < this.capacity) this.wordHits[i] = new Uint8Array(this.capacity);
			store.textIndex.search(filter.words[i], this.wordHits[i], slots);
			words.set(filter.words[i], this.wordHits[i]);
		}

		return words;
	}

	/** Keeps the current result (if any) among the earlier ones, newest first. */
	private keep(): void {
		const {filter} = this;
		if (this.all || filter === undefined) return;
		const others = this.kept.filter((result) => result.filter.text !== filter.text);
		// The oldest result's bits are reused for the copy.
		const reuse = others.length >= keptResults ? others.pop()!.bits : undefined;
		const bits = reuse?.length === this.capacity ? reuse : new Uint8Array(this.capacity);
		bits.set(this.bits);
		this.kept = [{filter, now: this.now, mark: this.mark, bits, count: this.count}, ...others];
	}
}
