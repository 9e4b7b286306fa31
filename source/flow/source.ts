/**
 * What a table source is: the contracts `kernel/` (ctnetlink) and `remote/` (a router over
 * SSH) implement and `sync/` and the CLI consume, so that none of them imports another. The
 * error they raise is in source-error.ts.
 */
import type {SourceError} from './source-error.js';
import type {Flow, FlowEvent, RereadResult} from './types.js';

/**
 * What a finished dump reports beside the flows it streamed. `Problem` is how the source
 * describes a message it could not read (the kernel's codec errors); the sync only counts them.
 */
export interface DumpSummary<Problem = unknown> {
	/** Flows handed to the callback. */
	readonly flows: number;
	/** Messages that could not be decoded (each skipped). */
	readonly errors: readonly Problem[];
	/** Attributes newer than the decoder, skipped. */
	readonly unknownAttributes: number;
	/** The kernel flagged the dump as interrupted by concurrent changes (NLM_F_DUMP_INTR). */
	readonly interrupted: boolean;
	/**
	 * Lines or messages skipped as malformed when the source counts them itself (a text source
	 * such as the remote one has no codec errors); the sync shows this over `errors.length`.
	 */
	readonly skipped?: number;
	/**
	 * What the dump cost by the source's own measure, ms, when local CPU does not show it (a
	 * remote dump: the wall time of the round trip, the router's work and the transfer). The
	 * sync then chooses the refresh period from this instead.
	 */
	readonly costMs?: number;
	/**
	 * The table's stats, when the source reads them with the dump in the same round trip (a
	 * router over SSH). A source whose dumps carry them is not polled for stats as well: they
	 * are as old as the last dump.
	 */
	readonly stats?: KernelStats;
}

/** The outcome of deleting one flow. */
export type DeleteOutcome =
	| {readonly result: 'deleted'}
	/** ENOENT: already gone, or the tuple now belongs to a flow with another id. */
	| {readonly result: 'gone'}
	| {readonly result: 'error'; readonly reason: string; readonly errno?: number};

/** Per-CPU counters summed over CPUs, by the names `conntrack -S` prints. */
export type CpuCounters = Record<string, number>;

/** Which per-flow extensions the kernel adds to new flows; undefined where a file was unreadable. */
export interface TrackingSettings {
	/** nf_conntrack_acct: new flows count packets and bytes. */
	readonly accounting?: boolean;
	/** nf_conntrack_timestamp: new flows record when they started. */
	readonly timestamps?: boolean;
}

/** Table size and health, as `conntrack -C` and `conntrack -S` report them. */
export interface KernelStats {
	/** Entries in the table now. */
	readonly count: number;
	/** The table's limit (nf_conntrack_max), or undefined when neither the kernel nor /proc says. */
	readonly max: number | undefined;
	/** Per-CPU counters summed: found, invalid, insert, insert_failed, drop, early_drop, error, ... */
	readonly counters: Readonly<CpuCounters>;
	/**
	 * Accounting and timestamp sysctls, read with every sample so a `sysctl -w` shows at the
	 * next one. Optional so hand-made samples (tests) may leave it out.
	 */
	readonly settings?: TrackingSettings;
}

/** The request side of a table: the kernel's ConntrackClient and the RemoteSource satisfy it. */
export interface FlowSource {
	dump(onFlow: (flow: Flow) => void): Promise<DumpSummary>;
	stats(): Promise<KernelStats>;
	delete(flow: Flow): Promise<DeleteOutcome>;
	/** Re-reads flows by tuple and zone; a source without it has only dumps. */
	reread?(flows: readonly Flow[]): Promise<RereadResult[]>;
	close(): void;
}

/** The event side of a table: the kernel's EventStream and the RemoteEvents satisfy it. */
export interface EventSource {
	on(event: 'event', listener: (event: FlowEvent) => void): unknown;
	on(event: 'resync', listener: (reason: string) => void): unknown;
	on(event: 'error', listener: (error: SourceError) => void): unknown;
	on(event: 'ready', listener: (receiveBuffer: number) => void): unknown;
	stop(): void;
}

/**
 * What a source can do. The netlink source can do everything; the remote one without conntrack
 * on the router can only read, and says so.
 */
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
