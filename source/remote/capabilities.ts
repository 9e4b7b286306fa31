/**
 * What a table source can do. The netlink source can do everything; the remote one without
 * conntrack on the router can only read, and says so.
 */

/** What the source can do, and the one sentence that says what it cannot. */
export interface SourceCapabilities {
	/** Deletes flows. */
	readonly delete: boolean;
	/** Follows NEW/UPDATE/DESTROY events (without: only periodic re-reads update). */
	readonly events: boolean;
	/** Re-reads single flows by tuple (without: only whole dumps refresh the rows). */
	readonly reread: boolean;
	/** For the header when something is missing, e.g. "read-only: no conntrack on the router". */
	readonly note?: string;
}
