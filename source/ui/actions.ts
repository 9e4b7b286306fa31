/**
 * What each key does to the UI state. Pure like htop's Action functions: the table is read,
 * never written, and whatever needs I/O (deleting, re-reading, quitting, repainting) comes
 * back as an effect for the app to carry out.
 */
import {flowKey} from '../flow/key.js';
import {hasPorts} from '../flow/protocols.js';
import type {Flow} from '../flow/types.js';
import {parseFilter} from '../model/filter.js';
import {groupSortColumns, type GroupBy} from '../model/group.js';
import {sortColumns} from '../model/sort-columns.js';
import type {FlowTable} from '../model/table.js';
import {movePane, paneSizes, type PaneContext, type PaneMove} from './event-log.js';
import {endpointText} from '../view/flow-cells.js';
import {bindingFor, type Action, type Binding, type Scope} from './keymap.js';
import type {DeleteReport, SourceLimits} from './types.js';
import {
	activeFilter,
	keyAt,
	viewTime,
	type Message,
	type ResolvedView,
	type UiState,
} from './state.js';

/** Something the app must do after a key. */
export type Effect =
	| {readonly kind: 'quit'; readonly code: number}
	/** Delete `flows`; `gone` more were already gone when the batch was made. */
	| {
			readonly kind: 'delete';
			readonly flows: readonly Flow[];
			/** `flows`' keys, in the same order. */
			readonly keys: readonly string[];
			readonly gone: number;
	  }
	| {readonly kind: 'resync'}
	| {readonly kind: 'redraw'};

/** What a key handler reads besides the state. */
export interface KeyContext {
	readonly table: FlowTable;
	/** The host clock now (ms); the view may be frozen at an earlier time. */
	readonly now: number;
	/** The view as last drawn: the cursor moves from there. */
	readonly view: ResolvedView;
	readonly readOnly: boolean;
	readonly canDelete: boolean;
	/** The table source's limits (see TuiOptions.source). */
	readonly source?: SourceLimits;
	/** Whether a name resolver was given at all. */
	readonly hasNames: boolean;
	/** The event pane as last drawn; absent while it is hidden. */
	readonly pane?: PaneContext;
}

/** The new state and what to do. */
export interface KeyResult {
	readonly state: UiState;
	readonly effects: readonly Effect[];
}

/** Group-by choices `g` steps through (the model has more; they can be asked for at start). */
export const groupCycle: ReadonlyArray<GroupBy | undefined> = [undefined, 'src', 'dst', 'dport'];

/** Exit code after Ctrl-C, as a shell reports a process ended by SIGINT. */
export const interruptExitCode = 130;

/** The scope keys go to in `state`. */
export function scopeOf(state: UiState): Exclude<Scope, 'global'> {
	if (state.overlay) return state.overlay.kind;
	if (state.prompt) return 'filter';
	return state.events && state.eventPane.focused ? 'events' : 'table';
}

/** Why the deleting keys are off, or undefined when they work. */
export function deleteDisabledReason(options: {
	readonly readOnly: boolean;
	readonly canDelete: boolean;
	readonly source?: SourceLimits;
}): string | undefined {
	if (options.readOnly) return 'read-only: deleting is disabled';
	if (options.source && !options.source.delete)
		return options.source.note ?? 'this table source cannot delete';
	if (!options.canDelete) return 'needs root: deleting is disabled';
	return undefined;
}

function message(
	state: UiState,
	text: string,
	now: number,
	tone: Message['tone'] = 'info',
	sticky = false,
): UiState {
	return {...state, message: {text, tone, time: now, sticky}};
}

function moveTo(state: UiState, context: KeyContext, index: number): UiState {
	const {view, table} = context;
	const last = Math.max(0, view.total - 1);
	const target = Math.max(0, Math.min(last, index));
	const onPage = target - view.top;
	const key =
		onPage >= 0 && onPage < view.page.rows.length
			? view.page.rows[onPage].key
			: keyAt(state, table, viewTime(state, context.now), target);
	let {top} = view;
	if (target < top) top = target;
	if (target >= top + view.rows) top = target - view.rows + 1;
	return {...state, cursorKey: key, cursorIndex: target, top: Math.max(0, top)};
}

function resetCursor(state: UiState): UiState {
	return {...state, cursorKey: undefined, cursorIndex: 0, top: 0};
}

function cycle<T>(items: readonly T[], current: T, step: number): T {
	const index = items.indexOf(current);
	return items[(index + step + items.length) % items.length];
}

/** The filter term that selects a group's flows (`src:10.0.0.1`, `dport:443 proto:tcp`). */
export function groupFilterTerm(by: GroupBy, label: string): string {
	switch (by) {
		case 'src':
		case 'dst':
		case 'src24':
			return `${by === 'dst' ? 'dst' : 'src'}:${label}`;
		case 'dport': {
			const [port, proto] = label.split('/');
			return proto === undefined ? `proto:${port}` : `dport:${port} proto:${proto}`;
		}

		case 'proto':
			return `proto:${label}`;
		case 'state':
			return label === '-' ? '' : `state:${label.toLowerCase()}`;
		case 'nat':
			return label === '-' ? 'nat:none' : `nat:${label}`;
	}
}

function withFilterText(state: UiState, text: string, now: number): UiState {
	const parsed = parseFilter(text);
	if (!parsed.ok) return message(state, `filter: ${parsed.error.message}`, now, 'error', true);
	const filter = parsed.filter.terms.length > 0 ? parsed.filter : undefined;
	return {...state, filter};
}

/** The row under the cursor when it is a flow row. */
function cursorFlowRow(state: UiState, context: KeyContext) {
	const {page, index, top} = context.view;
	if (state.group !== undefined || page.kind !== 'flows') return undefined;
	return page.rows[index - top];
}

function guardDelete(state: UiState, context: KeyContext): UiState | undefined {
	const reason = deleteDisabledReason(context);
	if (reason) return message(state, reason, context.now, 'warning');
	if (state.deleting) return message(state, 'a delete is still running', context.now, 'warning');
	return undefined;
}

function tableAction(state: UiState, action: Action, context: KeyContext): KeyResult {
	const {view, table, now} = context;
	const at = viewTime(state, now);
	const done = (next: UiState, ...effects: Effect[]): KeyResult => ({state: next, effects});
	switch (action) {
		case 'down':
			return done(moveTo(state, context, view.index + 1));
		case 'up':
			return done(moveTo(state, context, view.index - 1));
		case 'pageDown':
			return done(moveTo(state, context, view.index + Math.max(1, view.rows - 1)));
		case 'pageUp':
			return done(moveTo(state, context, view.index - Math.max(1, view.rows - 1)));
		case 'top':
			return done(moveTo(state, context, 0));
		case 'bottom':
			return done(moveTo(state, context, view.total - 1));
		case 'sortNext':
		case 'sortPrevious': {
			const step = action === 'sortNext' ? 1 : -1;
			// The cursor keeps its key: the same flow stays highlighted wherever it lands.
			return done(
				state.group === undefined
					? {...state, sort: cycle(sortColumns, state.sort, step)}
					: {...state, groupSort: cycle(groupSortColumns, state.groupSort, step)},
			);
		}

		case 'reverse':
			return done(
				state.group === undefined
					? {...state, reverse: !state.reverse}
					: {...state, groupReverse: !state.groupReverse},
			);
		case 'filter':
			return done({
				...state,
				prompt: {text: state.filter?.text ?? '', live: state.filter},
			});
		case 'group': {
			const group = cycle(groupCycle, state.group, 1);
			return done(resetCursor({...state, group}));
		}

		case 'open': {
			if (state.group !== undefined) {
				if (view.key === undefined) return done(state);
				const term = groupFilterTerm(state.group, view.key);
				const text = [state.filter?.text ?? '', term].filter(Boolean).join(' ');
				const next = withFilterText(resetCursor({...state, group: undefined}), text, now);
				return done(message(next, `filter: ${text}  (g groups again)`, now));
			}

			const row = cursorFlowRow(state, context);
			if (!row) return done(state);
			return done({...state, overlay: {kind: 'detail', key: row.key, last: row, scroll: 0}});
		}

		case 'tag': {
			const row = cursorFlowRow(state, context);
			if (!row) {
				const why =
					state.group === undefined ? 'no flow here' : 'tags are for flows: Enter opens the group';
				return done(message(state, why, now));
			}

			const tagged = new Set(state.tagged);
			if (tagged.has(row.key)) tagged.delete(row.key);
			else tagged.add(row.key);
			// Like htop: Space tags and moves on, so a run of rows takes a run of presses.
			return done(moveTo({...state, tagged}, context, view.index + 1));
		}

		case 'tagAll': {
			const keys = table.keysMatching(activeFilter(state), at);
			const tagged = new Set(state.tagged);
			for (const key of keys) tagged.add(key);
			const what = activeFilter(state) ? 'that match the filter' : '';
			return done(message({...state, tagged}, `tagged ${keys.length} flows ${what}`.trim(), now));
		}

		case 'untagAll':
			return done(message({...state, tagged: new Set()}, 'untagged all', now));
		case 'delete': {
			const blocked = guardDelete(state, context);
			if (blocked) return done(blocked);
			const row = cursorFlowRow(state, context);
			if (!row) {
				const why =
					state.group === undefined ? 'no flow here' : 'x deletes a flow: Enter opens the group';
				return done(message(state, why, now));
			}

			return askOrDelete(state, row.key, context);
		}

		case 'deleteTagged': {
			const blocked = guardDelete(state, context);
			if (blocked) return done(blocked);
			if (state.tagged.size > 0) {
				return done({
					...state,
					overlay: {kind: 'confirm', keys: [...state.tagged], from: 'tagged'},
				});
			}

			const filter = activeFilter(state);
			if (!filter) {
				return done(
					message(
						state,
						'nothing tagged and no filter: tag flows (Space, a) or filter (/) first',
						now,
						'warning',
					),
				);
			}

			const keys = table.keysMatching(filter, at);
			if (keys.length === 0) return done(message(state, 'no flow matches the filter', now));
			return done({...state, overlay: {kind: 'confirm', keys, from: 'filter'}});
		}

		case 'pause':
			return done(
				state.pausedAt === undefined
					? {...state, pausedAt: now}
					: message({...state, pausedAt: undefined}, 'resumed', now),
			);
		case 'names':
			if (!context.hasNames) return done(message(state, 'DNS names are not available', now));
			return done(
				message({...state, names: !state.names}, state.names ? 'addresses' : 'DNS names', now),
			);
		case 'counters':
			return done({...state, counters: !state.counters});
		case 'events':
			return done({
				...state,
				events: !state.events,
				eventPane: {...state.eventPane, focused: false},
			});
		case 'focusEvents':
		case 'focusTable':
			return done({
				...state,
				events: state.events || action === 'focusEvents',
				eventPane: {...state.eventPane, focused: action === 'focusEvents'},
			});
		case 'resizeEvents': {
			const size = state.events ? cycle(paneSizes, state.eventPane.size, 1) : state.eventPane.size;
			return done({...state, events: true, eventPane: {...state.eventPane, size}});
		}

		case 'resync':
			return done(message(state, 're-reading the table', now), {kind: 'resync'});
		case 'help':
			return done({...state, overlay: {kind: 'help', scroll: 0}});
		case 'quit':
			return done(state, {kind: 'quit', code: 0});
		default:
			return done(state);
	}
}

/** `x`: the question about one flow, or (with asking turned off) the delete itself. */
function askOrDelete(state: UiState, key: string, context: KeyContext): KeyResult {
	if (!state.confirmDelete) return deleteNow(state, [key], context, false);
	return {state: {...state, overlay: {kind: 'confirm', keys: [key], from: 'cursor'}}, effects: []};
}

function deleteNow(
	state: UiState,
	keys: readonly string[],
	context: KeyContext,
	clearTags: boolean,
): KeyResult {
	const at = viewTime(state, context.now);
	const flows: Flow[] = [];
	const sent: string[] = [];
	let gone = 0;
	for (const key of keys) {
		const row = context.table.row(key, at);
		if (row && !row.closed) {
			flows.push(row.flow);
			sent.push(key);
		} else {
			gone++;
		}
	}

	const tagged = new Set(state.tagged);
	for (const key of keys) tagged.delete(key);
	const next: UiState = {
		...state,
		tagged: clearTags ? new Set() : tagged,
		overlay: undefined,
		deleting: flows.length > 0,
	};
	if (flows.length === 0) {
		return {state: message(next, `already gone: ${gone}`, context.now, 'info', true), effects: []};
	}

	const what = flows.length === 1 ? 'deleting 1 flow' : `deleting ${flows.length} flows`;
	return {
		state: message(next, what, context.now, 'info', true),
		effects: [{kind: 'delete', flows, keys: sent, gone}],
	};
}

function filterKey(
	state: UiState,
	name: string,
	binding: Binding | undefined,
	now: number,
): UiState {
	const prompt = state.prompt!;
	let text = prompt.text;
	switch (binding?.action) {
		case 'keepFilter': {
			if (prompt.error) {
				return message(state, 'the filter has an error: fix it, or Esc to clear', now, 'warning');
			}

			const newest = prompt.next ? prompt.next.filter : prompt.live;
			const filter = newest && newest.terms.length > 0 ? newest : undefined;
			return {...state, filter, prompt: undefined};
		}

		case 'clearFilter':
			return {...state, filter: undefined, prompt: undefined};
		case 'erase':
			text = [...text].slice(0, -1).join('');
			break;
		case 'eraseAll':
			text = '';
			break;
		default:
			if (name === 'space') text += ' ';
			else if ([...name].length === 1) text += name;
			else return state;
	}

	const parsed = parseFilter(text);
	return {
		...state,
		prompt: parsed.ok
			? {
					text,
					live: prompt.live,
					next: {filter: parsed.filter.terms.length > 0 ? parsed.filter : undefined},
				}
			: {text, error: parsed.error, live: prompt.live, next: prompt.next},
	};
}

function isMove(action: Action): action is Exclude<PaneMove, 'pause'> {
	return ['down', 'up', 'pageDown', 'pageUp', 'top', 'bottom'].includes(action);
}

/**
 * Applies key `name` (as `keyNames` makes it) to `state`. Global keys (Ctrl-C, Ctrl-L) work
 * in every scope; other keys go to the scope of what is on top (overlay, prompt, table).
 */
export function handleKey(state: UiState, name: string, context: KeyContext): KeyResult {
	const scope = scopeOf(state);
	const binding = bindingFor(scope, name);
	if (binding?.action === 'interrupt')
		return {state, effects: [{kind: 'quit', code: interruptExitCode}]};
	if (binding?.action === 'redraw') return {state, effects: [{kind: 'redraw'}]};
	switch (scope) {
		case 'filter':
			// Arrows and pages scroll the table while typing: the matches are what is being read.
			if (binding && isMove(binding.action)) return tableAction(state, binding.action, context);
			return {state: filterKey(state, name, binding, context.now), effects: []};
		case 'events': {
			if (!binding) return {state, effects: []};
			if (!isMove(binding.action) && binding.action !== 'pause') {
				return tableAction(state, binding.action, context);
			}

			const pane = context.pane ?? {total: 0, rows: 1, pushes: 0};
			return {
				state: {...state, eventPane: movePane(state.eventPane, binding.action, pane)},
				effects: [],
			};
		}

		case 'help': {
			const overlay = state.overlay as Extract<UiState['overlay'], {kind: 'help'}>;
			if (binding?.action === 'close') return {state: {...state, overlay: undefined}, effects: []};
			const step = binding?.action === 'down' ? 1 : binding?.action === 'up' ? -1 : 0;
			return {
				state: {...state, overlay: {kind: 'help', scroll: Math.max(0, overlay.scroll + step)}},
				effects: [],
			};
		}

		case 'detail': {
			const overlay = state.overlay as Extract<UiState['overlay'], {kind: 'detail'}>;
			if (binding?.action === 'close') return {state: {...state, overlay: undefined}, effects: []};
			if (binding?.action === 'delete') {
				const blocked = guardDelete(state, context);
				if (blocked) return {state: blocked, effects: []};
				return askOrDelete(state, overlay.key, context);
			}

			const step = binding?.action === 'down' ? 1 : binding?.action === 'up' ? -1 : 0;
			if (step === 0) return {state, effects: []};
			return {
				state: {...state, overlay: {...overlay, scroll: Math.max(0, overlay.scroll + step)}},
				effects: [],
			};
		}

		case 'confirm': {
			const overlay = state.overlay as Extract<UiState['overlay'], {kind: 'confirm'}>;
			if (binding?.action === 'close') {
				return {
					state: message({...state, overlay: undefined}, 'nothing deleted', context.now),
					effects: [],
				};
			}

			if (binding?.action === 'confirmAlways' && overlay.from !== 'cursor') {
				// Only x's question can be turned off: a batch from D is always asked about.
				return {
					state: message(state, 'a only stops x asking: y deletes these', context.now),
					effects: [],
				};
			}

			if (binding?.action === 'confirm' || binding?.action === 'confirmAlways') {
				const blocked = guardDelete(state, context);
				if (blocked) return {state: {...blocked, overlay: undefined}, effects: []};
				const always = binding.action === 'confirmAlways';
				const result = deleteNow(
					always ? {...state, confirmDelete: false} : state,
					overlay.keys,
					context,
					overlay.from === 'tagged',
				);
				if (!always) return result;
				return {
					state: message(
						result.state,
						`${result.state.message?.text ?? ''}; x deletes without asking until conntop quits`,
						context.now,
						'info',
						true,
					),
					effects: result.effects,
				};
			}

			return {state, effects: []};
		}

		default:
			if (!binding) return {state, effects: []};
			return tableAction(state, binding.action, context);
	}
}

/** A flow in a few words for status lines: `tcp 10.0.0.1:1234 → 10.0.0.2:80`. */
export function flowSummary(flow: Flow): string {
	const o = flow.original;
	const ports = hasPorts(flow.protonum);
	return `${flow.proto} ${endpointText(o.src, o.sport, ports)} → ${endpointText(o.dst, o.dport, ports)}`;
}

/**
 * The status line after a delete batch: what was deleted, what was already gone, each
 * failure's reason (the first few), and where the log is.
 */
export function describeDeleteReport(
	report: DeleteReport,
	goneBefore: number,
	logPath: string,
): {readonly text: string; readonly tone: Message['tone']} {
	const parts = [`deleted ${report.deleted}`];
	const gone = report.gone + goneBefore;
	if (gone > 0) parts.push(`already gone ${gone}`);
	if (report.failed.length > 0) {
		const first = report.failed[0];
		const more = report.failed.length > 1 ? ` (+${report.failed.length - 1} more)` : '';
		parts.push(
			`failed ${report.failed.length}: ${first.reason} for ${flowSummary(first.flow)}${more}`,
		);
	}

	if (report.logError) parts.push(report.logError);
	else if (report.deleted > 0) parts.push(`log: ${logPath}`);
	const tone = report.failed.length > 0 || report.logError ? 'error' : 'info';
	return {text: parts.join(', '), tone};
}

/**
 * The state after a delete batch finished (or threw): the report in the status line, and
 * the flows the kernel no longer has (deleted or already gone: all but the failed ones)
 * marked `removed` until the table drops them.
 */
export function deleteFinished(
	state: UiState,
	result:
		| {
				readonly report: DeleteReport;
				readonly gone: number;
				/** The keys of the flows the batch was given. */
				readonly keys: readonly string[];
		  }
		| {readonly error: Error},
	logPath: string,
	now: number,
): UiState {
	const next = {...state, deleting: false};
	if ('error' in result) {
		return message(next, `delete failed: ${result.error.message}`, now, 'error', true);
	}

	const failed = new Set(result.report.failed.map((failure) => flowKey(failure.flow)));
	const removed = new Set(state.removed);
	for (const key of result.keys) if (!failed.has(key)) removed.add(key);
	const {text, tone} = describeDeleteReport(result.report, result.gone, logPath);
	return message({...next, removed}, text, now, tone, true);
}

/**
 * Forgets removed flows the table no longer shows as live (a destroy event or a re-read
 * caught up); the same state when nothing changed.
 */
export function pruneRemoved(state: UiState, table: FlowTable, now: number): UiState {
	if (state.removed.size === 0) return state;
	const removed = new Set<string>();
	for (const key of state.removed) {
		const row = table.row(key, now);
		if (row && !row.closed) removed.add(key);
	}

	return removed.size === state.removed.size ? state : {...state, removed};
}
