/**
 * The cursor's moves through the table (flows or groups): it lands on a row by index, keeps
 * that row's key so it follows the flow through re-sorts, and scrolls the least to stay on
 * screen. Moves are the same whether the table or the filter prompt has the keyboard.
 */
import type {FlowRow} from '../../model/table.js';
import {keyAt, viewTime, type UiState} from '../state.js';
import {done, type Handler, type KeyContext} from './reaction.js';

/** The cursor on row `index` of the view (clamped), scrolled into sight. */
export function moveTo(state: UiState, context: KeyContext, index: number): UiState {
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

/** The cursor back on the first row (the view changed under it). */
export function resetCursor(state: UiState): UiState {
	return {...state, cursorKey: undefined, cursorIndex: 0, top: 0};
}

/** The row under the cursor when it is a flow row. */
export function cursorFlowRow(state: UiState, context: KeyContext): FlowRow | undefined {
	const {page, index, top} = context.view;
	if (state.group !== undefined || page.kind !== 'flows') return undefined;
	return page.rows[index - top];
}

/** A page's step: one row less than a page, so the row at the edge stays in sight. */
function pageStep(context: KeyContext): number {
	return Math.max(1, context.view.rows - 1);
}

/** The cursor's moves, by action. */
export const cursorMoves = {
	down: (state, context) => done(moveTo(state, context, context.view.index + 1)),
	up: (state, context) => done(moveTo(state, context, context.view.index - 1)),
	pageDown: (state, context) =>
		done(moveTo(state, context, context.view.index + pageStep(context))),
	pageUp: (state, context) => done(moveTo(state, context, context.view.index - pageStep(context))),
	top: (state, context) => done(moveTo(state, context, 0)),
	bottom: (state, context) => done(moveTo(state, context, context.view.total - 1)),
} as const satisfies Record<string, Handler<unknown>>;
