/**
 * The match set: which rows the current filter keeps, one byte per slot. A whole filter pass
 * runs only when nothing known can be caught up from: a result of the same filter, or of one it
 * narrows (`7` then `77`), is brought up to date by testing only the rows that changed since
 * (and, narrowing, the rows that result kept). The last few filters' results are kept, so
 * typing a filter back (Backspace) finds them. A row leaving keeps every other row's result:
 * only the counts are fixed.
 */
import {ChangeLog, type LogMark} from './change-log.js';
import {evaluateFilter} from './filter-columns.js';
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

	private filter: Filter | undefined;
	private now = Number.NaN;
	private mark: LogMark = {epoch: -1, at: 0};
	private capacity = 0;
	/** Per bare word of the current filter, which slots contain it. */
	private readonly wordHits: Uint8Array[] = [];
	/** The slots a catch-up tests. */
	private within = new Uint8Array(0);
	/** Earlier filters' results, newest first. */
	private kept: Result[] = [];
	private readonly log = new ChangeLog(logSize);

	/** Sizes the bits to `capacity` slots; fresh bits hold no result, so the next update passes. */
	fit(capacity: number): void {
		this.capacity = capacity;
		this.bits = new Uint8Array(capacity);
		this.within = new Uint8Array(capacity);
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
		this.keep();
		const base = this.kept.find(
			(result) =>
				this.log.since(result.mark) !== undefined &&
				(!result.filter.usesTime || result.now === now) &&
				(result.filter.text === filter.text || narrows(filter, result.filter)),
		);
		let within: Uint8Array | undefined;
		let tested = rows;
		if (base !== undefined) {
			// Rows the base dropped stay dropped; the rows it kept (when narrowing) and the rows
			// changed since are tested.
			const changed = this.log.since(base.mark)!;
			within = this.within;
			this.bits.set(base.bits);
			if (base.filter.text === filter.text) {
				within.fill(0);
				tested = 0;
			} else {
				within.set(base.bits);
				tested = base.count;
			}

			for (const slot of changed) within[slot] = 1;
			tested += changed.length;
		}

		// Testing a row's text alone costs ~200 ns; a search of the whole text ~40 ms at 1M rows:
		// below an eighth of the rows, searching only the rows tested is the cheaper.
		const searchWithin = within !== undefined && tested * 8 <= rows ? within : undefined;
		const words = new Map<string, Uint8Array>();
		for (let i = 0; i < filter.words.length; i++) {
			if (this.wordHits.length <= i) this.wordHits.push(new Uint8Array(this.capacity));
			if (this.wordHits[i].length < this.capacity) this.wordHits[i] = new Uint8Array(this.capacity);
			store.textIndex.search(filter.words[i], this.wordHits[i], searchWithin);
			words.set(filter.words[i], this.wordHits[i]);
		}

		const count = evaluateFilter(filter, store, now, this.bits, words, within);
		this.all = false;
		this.filter = filter;
		this.now = now;
		this.count = count;
		this.mark = this.log.mark();
		this.version.bump();
		return true;
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
