/**
 * Freshness of cached results. A `Version` counts the changes to one input (the table's rows,
 * an order built from them); a `Stamp` records the versions a cache was computed at and says
 * whether they still hold. Every cache of the table asks its stamp "am I fresh?" rather than
 * keeping "last seen" numbers of its own.
 */

/** A count of changes to one thing; it only grows, so equal counts mean nothing changed. */
export class Version {
	private count = 0;

	/** Changes so far. */
	get value(): number {
		return this.count;
	}

	/** Records a change: every stamp taken of this version is now stale. */
	bump(): void {
		this.count++;
	}
}

/** The versions a cached result was computed at: fresh while none of them has moved. */
export class Stamp {
	private readonly versions: readonly Version[];
	private readonly seen: number[];

	/** A stamp over `versions`; stale until the first `record`. */
	constructor(...versions: Version[]) {
		this.versions = versions;
		this.seen = versions.map(() => -1);
	}

	/** Whether every version is where it was at the last `record` (false before the first). */
	isFresh(): boolean {
		for (let i = 0; i < this.versions.length; i++) {
			if (this.seen[i] !== this.versions[i].value) return false;
		}

		return true;
	}

	/** Says the cached result was just computed from the versions as they are now. */
	record(): void {
		for (let i = 0; i < this.versions.length; i++) this.seen[i] = this.versions[i].value;
	}

	/** Forgets the last `record`: the result is stale whatever the versions say (its arrays were replaced). */
	invalidate(): void {
		this.seen.fill(-1);
	}
}
