/**
 * The contract between the CLI and the TUI: what `runTui` is given. Kept apart from run.tsx
 * so the app's components can name these types without importing the runner.
 */
import type {Flow, FlowEvent} from '../flow/types.js';
import type {GroupBy} from '../model/group.js';
import type {SortColumn} from '../model/sort-keys.js';
import type {FlowTable} from '../model/table.js';
import type {DeleteReport} from '../sync/deleter.js';
import type {TableSync} from '../sync/table-sync.js';

/** How the TUI starts. */
export interface TuiOptions {
	/** Initial filter text (already validated by the CLI). */
	readonly filter?: string;
	/**
	 * Initial sort column. With `group`, a group sort column (`count`, `key`, `packets`,
	 * `bytes`, `rate`) passed here (cast) sorts the groups.
	 */
	readonly sort: SortColumn;
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

/** What the TUI works with. It does no I/O of its own. */
export interface TuiDeps {
	readonly table: FlowTable;
	readonly sync: Pick<TableSync, 'on' | 'off' | 'status' | 'resync' | 'watch'>;
	/** Deletes flows through the kernel and logs each deleted one (source/sync/deleter.ts). */
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
