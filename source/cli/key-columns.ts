/**
 * The uint32 key columns of `--once --sort`, one value per flow each, where a column is kept
 * as a single number until some flow's value differs. Most of a key never does: an address
 * key has a family chunk and three words only IPv6 fills, so an IPv4 table sorted by address
 * or port needs two of its six columns (16 of 24 bytes a flow saved at 1M flows).
 */

/** Key columns filled flow by flow, in index order. */
export class KeyColumns {
	/** One single-value array per column: the row the next flow's key is written into. */
	readonly row: readonly Uint32Array[];
	// A column's values, or undefined while every flow so far had the value in `firsts`.
	private readonly columns: Array<Uint32Array | undefined>;
	private readonly firsts: Uint32Array;
	private capacity = 4096;

	constructor(count: number) {
		this.row = Array.from({length: count}, () => new Uint32Array(1));
		this.columns = Array.from({length: count}, () => undefined);
		this.firsts = new Uint32Array(count);
	}

	/** Keeps `row` as flow `i`'s key; `i` counts up from 0 without gaps. */
	push(i: number): void {
		if (i === this.capacity) this.grow();
		const {row, columns, firsts} = this;
		for (let c = 0; c < row.length; c++) {
			const value = row[c][0];
			const column = columns[c];
			if (column) column[i] = value;
			else if (i === 0) firsts[c] = value;
			else if (value !== firsts[c]) {
				const values = new Uint32Array(this.capacity);
				values.fill(firsts[c], 0, i);
				values[i] = value;
				columns[c] = values;
			}
		}
	}

	/**
	 * The columns whose values differ, most significant first, each indexed by flow: the only
	 * ones that can order the flows (the rest hold one value for all).
	 */
	varying(): Uint32Array[] {
		return this.columns.filter((column) => column !== undefined);
	}

	private grow(): void {
		this.capacity *= 2;
		for (let c = 0; c < this.columns.length; c++) {
			const column = this.columns[c];
			if (!column) continue;
			const grown = new Uint32Array(this.capacity);
			grown.set(column);
			this.columns[c] = grown;
		}
	}
}
