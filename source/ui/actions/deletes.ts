/**
 * The delete lifecycle: `x` (the flow at the cursor or in the detail view) and `D` (the tagged
 * flows, else the filter's matches) ask first, the question's `y` and `a` turn the keys into a
 * delete effect, and the finished batch's report marks what the kernel no longer has until the
 * table catches up. Every step refuses when deleting is off or a batch is still running.
 */
import {flowKey} from '../../flow/key.js';
import {hasPorts} from '../../flow/protocols.js';
import type {Flow} from '../../flow/types.js';
import type {FlowTable} from '../../model/table.js';
import {endpointText} from '../../view/flow-cells.js';
import {
	activeFilter,
	viewTime,
	type ConfirmOverlay,
	type DetailOverlay,
	type Message,
	type UiState,
} from '../state.js';
import type {DeleteReport, SourceLimits} from '../types.js';
import {cursorFlowRow} from './cursor.js';
import {done, withMessage, type Handler, type KeyContext, type KeyResult} from './reaction.js';

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

/** The state saying why no delete may start now, or undefined when one may. */
function guardDelete(state: UiState, context: KeyContext): UiState | undefined {
	const reason = deleteDisabledReason(context);
	if (reason) return withMessage(state, reason, context.now, 'warning');
	if (state.deleting) {
		return withMessage(state, 'a delete is still running', context.now, 'warning');
	}

	return undefined;
}

/** `x`: the question about one flow, or (with asking turned off) the delete itself. */
function askOrDelete(state: UiState, key: string, context: KeyContext): KeyResult {
	if (!state.confirmDelete) return deleteNow(state, [key], context, false);
	return done({...state, overlay: {kind: 'confirm', keys: [key], from: 'cursor'}});
}

/** The delete effect for the flows of `keys` still live; the rest are counted as gone. */
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
		return done(withMessage(next, `already gone: ${gone}`, context.now, 'info', true));
	}

	const what = flows.length === 1 ? 'deleting 1 flow' : `deleting ${flows.length} flows`;
	return done(withMessage(next, what, context.now, 'info', true), {
		kind: 'delete',
		flows,
		keys: sent,
		gone,
	});
}

/** `x` in the table: the flow at the cursor. */
const deleteAtCursor: Handler<unknown> = (state, context) => {
	const blocked = guardDelete(state, context);
	if (blocked) return done(blocked);
	const row = cursorFlowRow(state, context);
	if (!row) {
		const why =
			state.group === undefined ? 'no flow here' : 'x deletes a flow: Enter opens the group';
		return done(withMessage(state, why, context.now));
	}

	return askOrDelete(state, row.key, context);
};

/** `D`: the tagged flows, else every flow the filter matches; always asked about. */
const deleteTagged: Handler<unknown> = (state, context) => {
	const {now, table} = context;
	const blocked = guardDelete(state, context);
	if (blocked) return done(blocked);
	if (state.tagged.size > 0) {
		return done({...state, overlay: {kind: 'confirm', keys: [...state.tagged], from: 'tagged'}});
	}

	const filter = activeFilter(state);
	if (!filter) {
		return done(
			withMessage(
				state,
				'nothing tagged and no filter: tag flows (Space, a) or filter (/) first',
				now,
				'warning',
			),
		);
	}

	const keys = table.keysMatching(filter, viewTime(state, now));
	if (keys.length === 0) return done(withMessage(state, 'no flow matches the filter', now));
	return done({...state, overlay: {kind: 'confirm', keys, from: 'filter'}});
};

/** `x` in the detail view: the flow shown. */
const deleteShown: Handler<{readonly overlay: DetailOverlay}> = (state, context, {overlay}) => {
	const blocked = guardDelete(state, context);
	if (blocked) return done(blocked);
	return askOrDelete(state, overlay.key, context);
};

/** The question's `y`, or `a` (x stops asking for the rest of the session). */
function confirm(always: boolean): Handler<{readonly overlay: ConfirmOverlay}> {
	return (state, context, {overlay}) => {
		if (always && overlay.from !== 'cursor') {
			// Only x's question can be turned off: a batch from D is always asked about.
			return done(withMessage(state, 'a only stops x asking: y deletes these', context.now));
		}

		const blocked = guardDelete(state, context);
		if (blocked) return done({...blocked, overlay: undefined});
		const result = deleteNow(
			always ? {...state, confirmDelete: false} : state,
			overlay.keys,
			context,
			overlay.from === 'tagged',
		);
		if (!always) return result;
		return {
			state: withMessage(
				result.state,
				`${result.state.message?.text ?? ''}; x deletes without asking until conntop quits`,
				context.now,
				'info',
				true,
			),
			effects: result.effects,
		};
	};
}

/** The question's `n`/Esc: nothing happens, and the status line says so. */
const keepAll: Handler<unknown> = (state, context) =>
	done(withMessage({...state, overlay: undefined}, 'nothing deleted', context.now));

/** The deleting keys' handlers, by action. */
export const deleteActions = {
	deleteAtCursor,
	deleteTagged,
	deleteShown,
	confirm: confirm(false),
	confirmAlways: confirm(true),
	keepAll,
} as const;

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

/** How a delete batch ended: its report, or the error it threw. */
export type DeleteOutcome =
	| {
			readonly report: DeleteReport;
			readonly gone: number;
			/** The keys of the flows the batch was given. */
			readonly keys: readonly string[];
	  }
	| {readonly error: Error};

/**
 * The state after a delete batch finished (or threw): the report in the status line, and
 * the flows the kernel no longer has (deleted or already gone: all but the failed ones)
 * marked `removed` until the table drops them.
 */
export function deleteFinished(
	state: UiState,
	result: DeleteOutcome,
	logPath: string,
	now: number,
): UiState {
	const next = {...state, deleting: false};
	if ('error' in result) {
		return withMessage(next, `delete failed: ${result.error.message}`, now, 'error', true);
	}

	const failed = new Set(result.report.failed.map((failure) => flowKey(failure.flow)));
	const removed = new Set(state.removed);
	for (const key of result.keys) if (!failed.has(key)) removed.add(key);
	const {text, tone} = describeDeleteReport(result.report, result.gone, logPath);
	return withMessage({...next, removed}, text, now, tone, true);
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
