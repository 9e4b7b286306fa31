/**
 * The UI's state, and the view it selects from the table. Pure: time and the table are
 * arguments. The cursor follows a flow by key (htop's `following`): after a re-sort or a
 * change, the row under the cursor is found again with `indexOfKey`.
 */
import type {Filter, FilterError} from '../model/filter.js';
import type {GroupBy, GroupSortColumn} from '../model/group.js';
import {isGroupSortColumn, isSortColumn, type SortChoice} from '../model/sort-choice.js';
import type {SortColumn} from '../model/sort-columns.js';
import type {FlowPage, FlowRow, FlowTable, GroupPage, ViewQuery} from '../model/table.js';
import {initialEventPane, type EventPane} from './event-log.js';

/** The filter prompt while it is open. */
export interface Prompt {
	/** The text as typed. */
	readonly text: string;
	/** Why `text` does not parse; undefined when it does. */
	readonly error?: FilterError;
	/** The filter in force while typing: the last valid text's. */
	readonly live: Filter | undefined;
}

/** The help screen over the table. */
export interface HelpOverlay {
	readonly kind: 'help';
	readonly scroll: number;
}

/** One flow's details; `last` is the row as it was when opened, shown (as closed) once gone. */
export interface DetailOverlay {
	readonly kind: 'detail';
	readonly key: string;
	readonly last: FlowRow;
	readonly scroll: number;
}

/** The question before a delete. */
export interface ConfirmOverlay {
	readonly kind: 'confirm';
	readonly keys: readonly string[];
	/**
	 * Where the keys come from: the flow at the cursor (`x`), the tagged flows (cleared
	 * after), or the filter's matches.
	 */
	readonly from: 'cursor' | 'tagged' | 'filter';
}

/** What covers the table, if anything. */
export type Overlay = HelpOverlay | DetailOverlay | ConfirmOverlay;

/** A line for the status bar. */
export interface Message {
	readonly text: string;
	readonly tone: 'info' | 'warning' | 'error';
	/** When it was set (ms); messages fade after a few seconds. */
	readonly time: number;
	/** Kept longer (delete reports, errors): about ten seconds instead of five. */
	readonly sticky: boolean;
}

/** Everything the UI remembers between frames. */
export interface UiState {
	readonly sort: SortColumn;
	readonly reverse: boolean;
	readonly group: GroupBy | undefined;
	readonly groupSort: GroupSortColumn;
	readonly groupReverse: boolean;
	/** The filter in force (when no prompt is open). */
	readonly filter: Filter | undefined;
	readonly prompt: Prompt | undefined;
	/** Key of the flow (or label of the group) under the cursor. */
	readonly cursorKey: string | undefined;
	/** Where the cursor was; used when its key is gone. */
	readonly cursorIndex: number;
	/** First row on screen. */
	readonly top: number;
	readonly tagged: ReadonlySet<string>;
	/** The time the screen froze at; undefined when live. */
	readonly pausedAt: number | undefined;
	readonly names: boolean;
	readonly counters: boolean;
	/** Whether the event pane is shown. */
	readonly events: boolean;
	/** The event pane's focus, size and scroll (kept while it is hidden). */
	readonly eventPane: EventPane;
	readonly overlay: Overlay | undefined;
	readonly message: Message | undefined;
	/** A delete batch is running. */
	readonly deleting: boolean;
	/** Whether `x` asks first; `a` in its question turns this off for the session. */
	readonly confirmDelete: boolean;
	/**
	 * Flows this UI deleted that the table still lists as live. The kernel sends no DESTROY
	 * event for entries created while nobody listened (with nf_conntrack_events=2 they get no
	 * event cache), so such rows stay until the next re-read; they are drawn as deleted.
	 */
	readonly removed: ReadonlySet<string>;
}

/** What the initial state is made from. */
export interface InitialOptions {
	/**
	 * The sort column. With `group`, a group sort column (`count`, `key`, `bytes`, ...) sorts
	 * the groups; the flows then sort by it when it is also a flow column, else by source.
	 */
	readonly sort: SortChoice;
	readonly reverse: boolean;
	readonly group?: GroupBy;
	/** An already valid filter (the CLI checked the text). */
	readonly filter?: Filter;
	readonly names: boolean;
	/** Whether `x` asks first (default true). */
	readonly confirmDelete?: boolean;
}

/**
 * The state at startup. Grouped views start with the biggest groups first unless a group
 * sort column was asked for.
 */
export function initialState(options: InitialOptions): UiState {
	const {sort} = options;
	const flowSort = isSortColumn(sort);
	const groupSort = options.group !== undefined && isGroupSortColumn(sort);
	return {
		sort: isSortColumn(sort) ? sort : 'src',
		reverse: flowSort ? options.reverse : false,
		group: options.group,
		groupSort: options.group !== undefined && isGroupSortColumn(sort) ? sort : 'count',
		groupReverse: groupSort ? options.reverse : true,
		filter: options.filter,
		prompt: undefined,
		cursorKey: undefined,
		cursorIndex: 0,
		top: 0,
		tagged: new Set(),
		pausedAt: undefined,
		names: options.names,
		counters: false,
		events: false,
		eventPane: initialEventPane,
		overlay: undefined,
		message: undefined,
		deleting: false,
		confirmDelete: options.confirmDelete ?? true,
		removed: new Set(),
	};
}

/**
 * What has the keyboard, with what it works on: the overlay on top, else the filter prompt,
 * else the event pane when Tab gave it focus, else the table. Its `scope` names the keymap
 * scope keys are looked up in; handlers get the overlay or prompt already narrowed.
 */
export type Focus =
	| {readonly scope: 'table'}
	| {readonly scope: 'events'}
	| {readonly scope: 'filter'; readonly prompt: Prompt}
	| {readonly scope: 'help'; readonly overlay: HelpOverlay}
	| {readonly scope: 'detail'; readonly overlay: DetailOverlay}
	| {readonly scope: 'confirm'; readonly overlay: ConfirmOverlay};

/** What has the keyboard in `state` (see Focus). */
export function focusOf(state: UiState): Focus {
	const {overlay, prompt} = state;
	if (overlay) {
		switch (overlay.kind) {
			case 'help':
				return {scope: 'help', overlay};
			case 'detail':
				return {scope: 'detail', overlay};
			case 'confirm':
				return {scope: 'confirm', overlay};
		}
	}

	if (prompt) return {scope: 'filter', prompt};
	return state.events && state.eventPane.focused ? {scope: 'events'} : {scope: 'table'};
}

/** The filter rows are selected by now: the prompt's live one while typing. */
export function activeFilter(state: UiState): Filter | undefined {
	return state.prompt ? state.prompt.live : state.filter;
}

/** The table query of the current view, without offset and rows. */
export function viewQuery(state: UiState): ViewQuery {
	const filter = activeFilter(state);
	return state.group === undefined
		? {sort: state.sort, reverse: state.reverse, filter, rows: 0}
		: {group: state.group, sort: state.groupSort, reverse: state.groupReverse, filter, rows: 0};
}

/** The clock the view is drawn at: frozen while paused. */
export function viewTime(state: UiState, now: number): number {
	return state.pausedAt ?? now;
}

/** The rows on screen and where the cursor is among all rows of the view. */
export interface ResolvedView {
	readonly page: FlowPage | GroupPage;
	/** Rows in the whole view. */
	readonly total: number;
	/** Cursor position in the view; 0 when the view is empty. */
	readonly index: number;
	/** First row on screen. */
	readonly top: number;
	/** Key of the row under the cursor; undefined when the view is empty. */
	readonly key: string | undefined;
	/** How many rows fit. */
	readonly rows: number;
}

/**
 * Finds the cursor (by key when the flow is still there, else at its old index, clamped),
 * scrolls the least to keep it on screen, and queries the page of `rows` rows at `now`.
 */
export function resolveView(
	state: UiState,
	table: FlowTable,
	now: number,
	rows: number,
): ResolvedView {
	const base = viewQuery(state);
	const {total} = table.query({...base, rows: 0}, now);
	let index = state.cursorKey === undefined ? -1 : table.indexOfKey(base, state.cursorKey, now);
	if (index < 0) index = Math.min(state.cursorIndex, total - 1);
	index = Math.max(0, index);
	let top = Math.min(state.top, Math.max(0, total - rows));
	if (index < top) top = index;
	if (index >= top + rows) top = index - rows + 1;
	top = Math.max(0, top);
	const page = table.query({...base, offset: top, rows: Math.max(0, rows)}, now);
	const key = page.rows[index - top]?.key;
	return {page, total, index, top, key, rows};
}

/** The key of the row at `index` of the current view, or undefined past the end. */
export function keyAt(
	state: UiState,
	table: FlowTable,
	now: number,
	index: number,
): string | undefined {
	if (index < 0) return undefined;
	return table.query({...viewQuery(state), offset: index, rows: 1}, now).rows[0]?.key;
}
