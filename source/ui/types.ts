/**
 * The contract between the CLI and the TUI: what `runTui` is given. Kept apart from run.tsx
 * so the app's components can name these types without importing the runner. The TUI declares
 * here the little it needs of the sync and the deleter; the CLI passes TableSync and the
 * deleter of sync/, which satisfy these shapes, so ui/ never imports sync/ or kernel/.
 */
import type {KernelStats} from '../flow/source.js';
import type {Flow, FlowEvent} from '../flow/types.js';
import type {Filter} from '../model/filter.js';
import type {GroupBy} from '../model/group.js';
import type {SortChoice} from '../model/sort-choice.js';
import type {FlowTable} from '../model/table.js';

/** How the TUI starts. */
export interface TuiOptions {
	/** Initial filter, as the CLI parsed it from --filter (one with no terms shows every flow). */
	readonly filter?: Filter;
	/**
	 * Initial sort column. With `group`, a group sort column (`count`, `key`, `packets`,
	 * `bytes`, `rate`) sorts the groups; the flows then sort by it when it is also a flow
	 * column, else by source.
	 */
	readonly sort: SortChoice;
	readonly reverse: boolean;
	readonly group?: GroupBy;
	/** --read-only: every deleting key disabled, and says so when pressed. */
	readonly readOnly: boolean;
	/**
	 * Whether `x` asks before it deletes (default true, as iptstate's does); false with
	 * --no-confirm. `D` always asks.
	 */
	readonly confirm?: boolean;
	/** False with --no-color or NO_COLOR: no colour escapes (bold, dim, inverse stay). */
	readonly color: boolean;
	/** Start with DNS names on. */
	readonly dns: boolean;
	/** Redraw/TTL tick period (default 1000). */
	readonly intervalMs: number;
	/** Namespace label for the header, when --netns was used. */
	readonly netns?: string;
	readonly hostname: string;
	/** False when not root: delete keys greyed out. */
	readonly canDelete: boolean;
	/**
	 * What the table source can do, when it cannot do everything (a router read over SSH
	 * without conntrack there): keys it cannot serve are greyed out, and `note` is shown in the
	 * header and given as the reason. Absent: the local kernel, which can.
	 */
	readonly source?: SourceLimits;
}

/** What a table source can do; see `TuiOptions.source`. */
export interface SourceLimits {
	readonly delete: boolean;
	/** Follows events (without, the header says only periodic re-reads update). */
	readonly events: boolean;
	/** One sentence, e.g. "read-only: no conntrack on the router". */
	readonly note?: string;
}

/**
 * A feed of individual events for the event pane (optional; the sync does not re-emit them).
 * The CLI may pass the EventStream the sync follows: listening twice costs nothing.
 */
export interface EventFeed {
	on(event: 'event', listener: (event: FlowEvent) => void): unknown;
	off(event: 'event', listener: (event: FlowEvent) => void): unknown;
}

/**
 * What the header says about keeping the table true: TableSync's status satisfies it (see
 * its SyncStatus for how each figure is kept).
 */
export interface SyncState {
	/** Re-dumps after lost events or on request. */
	readonly resyncs: number;
	/** When and why the last of them happened. */
	readonly lastResync?: {readonly time: number; readonly reason: string};
	/** Time of the last complete dump. */
	readonly lastDump?: number;
	/** The background re-dump period in force, ms; undefined when refreshes are off. */
	readonly refreshEveryMs?: number;
	/** Whether that period follows the table's size (false: fixed by --resync). */
	readonly refreshAuto: boolean;
	/** Time of the last re-read of the flows on screen. */
	readonly lastReread?: number;
	/** The last failure; the table is stale while this is set. */
	readonly error?: string;
	/** Events are not being followed; only periodic dumps update the table. */
	readonly eventsDown: boolean;
	/** Messages skipped as malformed in the last dump. */
	readonly skipped: number;
	/** The first dump is still streaming in. */
	readonly reading?: boolean;
}

/** The sync as the TUI drives it: TableSync satisfies it. */
export interface SyncFeed {
	readonly status: SyncState;
	/** `changed`: the table changed; `status`: the state above changed; `stats`: a sample. */
	on(event: 'changed', listener: () => void): unknown;
	on(event: 'status', listener: (status: SyncState) => void): unknown;
	on(event: 'stats', listener: (stats: KernelStats) => void): unknown;
	off(event: 'changed', listener: () => void): unknown;
	off(event: 'status', listener: (status: SyncState) => void): unknown;
	off(event: 'stats', listener: (stats: KernelStats) => void): unknown;
	/** Re-reads the whole table now (`R`). */
	resync(reason: string): unknown;
	/** The flows on screen and in the detail view, to keep exact; replaces the last list. */
	watch(flows: readonly Flow[]): void;
}

/** What a batch of deletes did, as the status line tells it; sync/deleter.ts's report fits. */
export interface DeleteReport {
	readonly deleted: number;
	/** Already gone, or the tuple now belongs to another flow. */
	readonly gone: number;
	readonly failed: ReadonlyArray<{readonly flow: Flow; readonly reason: string}>;
	/** Set when the log could not be written (the deletes themselves still happened). */
	readonly logError?: string;
}

/** What the TUI works with. It does no I/O of its own. */
export interface TuiDeps {
	readonly table: FlowTable;
	readonly sync: SyncFeed;
	/** Deletes flows through the table's source and logs each deleted one. */
	readonly deleter: (flows: readonly Flow[]) => Promise<DeleteReport>;
	/** Shown in the status line after deletes. */
	readonly deleteLogPath: string;
	/** Cached reverse DNS; undefined while a lookup is pending. */
	readonly resolveName?: (address: string) => string | undefined;
	/** The host clock in ms, the same one the sync stamps the table with. */
	readonly now: () => number;
	/** Individual events for the event pane (`e`); without it the pane says there is no feed. */
	readonly events?: EventFeed;
	/** Default process.stdout / process.stdin. */
	readonly stdout?: NodeJS.WriteStream;
	readonly stdin?: NodeJS.ReadStream;
}
