/**
 * What the table hands the UI: query shapes, visible rows and pages, totals. Types only.
 */
import type {Flow} from '../flow/types.js';
import type {Filter} from './filter.js';
import type {GroupBy, GroupRow, GroupSortColumn} from './group.js';
import type {SortColumn} from './sort-columns.js';

/** Tuning of a table; every field has a default. */
export interface FlowTableOptions {
	/** How long a destroyed flow stays as a tombstone, in ms (default 3000). */
	readonly closedMs?: number;
	/** How long a new flow is marked new, in ms (default 2000). */
	readonly newMs?: number;
	/** Time constant of the rate EWMA, in ms (default 2000). */
	readonly rateTimeConstantMs?: number;
	/** Window of `eventsPerSecond`, whole seconds (default 5). */
	readonly eventWindowSeconds?: number;
}

/** Smoothed per-second rates of one flow, per direction. */
export interface FlowRates {
	readonly originalBytes: number;
	readonly originalPackets: number;
	readonly replyBytes: number;
	readonly replyPackets: number;
}

/** One visible flow row, computed at query time. */
export interface FlowRow {
	readonly key: string;
	/** The flow as it was at the query: a plain copy, the caller's to keep. */
	readonly flow: Flow;
	/** Seconds left (fractional, >= 0; 0 once closed; Infinity when no timeout is known). */
	readonly ttl: number;
	/** Seconds since the kernel's start time, else since conntop first saw the flow. */
	readonly age: number;
	readonly rates: FlowRates;
	/** Bytes and packets per second, both directions. */
	readonly bytesPerSecond: number;
	readonly packetsPerSecond: number;
	/** Destroyed, shown dimmed until the tombstone expires. */
	readonly closed: boolean;
	/** Appeared within the last `newMs`, for the UI to flash. */
	readonly isNew: boolean;
}

interface QueryBase {
	/** A compiled filter; undefined or an empty one matches everything. */
	readonly filter?: Filter;
	/** Descending instead of ascending; ties still follow the fixed tie-breaker. */
	readonly reverse?: boolean;
	/** First row wanted (default 0). */
	readonly offset?: number;
	/** How many rows fit on screen. */
	readonly rows: number;
}

/** A flow view: every matching flow, sorted, ties broken by flow identity. */
export interface FlowQuery extends QueryBase {
	readonly sort: SortColumn;
	readonly group?: undefined;
}

/** A grouped view: matching flows aggregated by `group`. */
export interface GroupQuery extends QueryBase {
	readonly group: GroupBy;
	readonly sort: GroupSortColumn;
}

/** Either kind of view query. */
export type ViewQuery = FlowQuery | GroupQuery;

/** The visible part of a flow view. */
export interface FlowPage {
	readonly kind: 'flows';
	readonly rows: FlowRow[];
	/** Flows matching the filter, tombstones included. */
	readonly total: number;
	readonly offset: number;
}

/** The visible part of a grouped view. */
export interface GroupPage {
	readonly kind: 'groups';
	readonly rows: GroupRow[];
	/** Number of groups. */
	readonly total: number;
	/** Flows matching the filter, over all groups. */
	readonly flows: number;
	readonly offset: number;
}

/** Table-wide counts for the header. */
export interface Totals {
	/** Live flows. */
	readonly total: number;
	/** Tombstones, not counted anywhere else. */
	readonly closed: number;
	/** Live flows by protocol name. */
	readonly byProtocol: Readonly<Record<string, number>>;
	/** Live TCP flows by state name. */
	readonly byState: Readonly<Record<string, number>>;
	/** Live flows with any NAT. */
	readonly nat: number;
	/** Bytes per second over every live flow, both directions, from their counters' deltas. */
	readonly bytesPerSecond: number;
	/** Events applied per second over the last `eventWindowSeconds` whole seconds. */
	readonly eventsPerSecond: number;
}

/** What `applySnapshot` did. */
export interface SnapshotResult {
	readonly added: number;
	readonly updated: number;
	readonly closed: number;
}

/** Work counters, for tests that check caching (e.g. that a 1 Hz redraw does not re-sort). */
export interface TableStats {
	/** Full sorts of the flow order. */
	readonly sorts: number;
	/** Filter evaluations over the whole table. */
	readonly filterPasses: number;
	/** Group aggregations. */
	readonly groupings: number;
	/** Full builds of the text index bare words search. */
	readonly textIndexBuilds: number;
}
