/**
 * What each key does, dispatched through one table of handlers keyed by scope and action
 * (htop's `Action_setBindings`). The table's type is made from the keymap's `scopeActions`, so
 * an action without a handler does not compile, and no `default:` swallows a key: a key with
 * no binding does nothing, except in the filter prompt, where it is typed.
 */
import {globalBinding, scopedBinding, type Scope, type ScopeAction} from '../keymap.js';
import {focusOf, type Focus, type UiState} from '../state.js';
import {cursorMoves} from './cursor.js';
import {deleteActions} from './deletes.js';
import {paneActions} from './event-pane.js';
import {overlayActions} from './overlays.js';
import {promptActions, typeKey} from './prompt.js';
import {done, type Handler, type KeyContext, type KeyResult} from './reaction.js';
import {tableActions} from './table.js';

/** Exit code after Ctrl-C, as a shell reports a process ended by SIGINT. */
export const interruptExitCode = 130;

/** A scope that can have the keyboard (global keys work in each of them). */
export type KeyScope = Exclude<Scope, 'global'>;

/** What has the keyboard in `scope`. */
export type FocusIn<S extends KeyScope> = Extract<Focus, {readonly scope: S}>;

/** A handler for every action of `S`, given what has the keyboard there. */
export type ScopeHandlers<S extends KeyScope> = {
	readonly [A in ScopeAction<S>]: Handler<FocusIn<S>>;
};

/** The global keys' handlers: they work whatever has the keyboard. */
export const globalHandlers: {readonly [A in ScopeAction<'global'>]: Handler<unknown>} = {
	interrupt: (state) => done(state, {kind: 'quit', code: interruptExitCode}),
	redraw: (state) => done(state, {kind: 'redraw'}),
};

/** Every scope's handlers, by action. */
export const handlers: {readonly [S in KeyScope]: ScopeHandlers<S>} = {
	table: {
		...cursorMoves,
		...tableActions,
		filter: promptActions.open,
		events: paneActions.toggle,
		focusEvents: paneActions.focusEvents,
		resizeEvents: paneActions.resize,
		delete: deleteActions.deleteAtCursor,
		deleteTagged: deleteActions.deleteTagged,
		help: overlayActions.openHelp,
	},
	// Arrows and pages scroll the table while typing: the matches are what is being read.
	filter: {
		down: cursorMoves.down,
		up: cursorMoves.up,
		pageDown: cursorMoves.pageDown,
		pageUp: cursorMoves.pageUp,
		keepFilter: promptActions.keepFilter,
		clearFilter: promptActions.clearFilter,
		erase: promptActions.erase,
		eraseAll: promptActions.eraseAll,
	},
	events: {
		down: paneActions.down,
		up: paneActions.up,
		pageDown: paneActions.pageDown,
		pageUp: paneActions.pageUp,
		top: paneActions.top,
		bottom: paneActions.bottom,
		pause: paneActions.pause,
		resizeEvents: paneActions.resize,
		focusTable: paneActions.focusTable,
		events: paneActions.toggle,
		filter: promptActions.open,
		help: overlayActions.openHelp,
		quit: tableActions.quit,
	},
	help: {
		close: overlayActions.close,
		down: overlayActions.helpDown,
		up: overlayActions.helpUp,
	},
	detail: {
		close: overlayActions.close,
		delete: deleteActions.deleteShown,
		down: overlayActions.detailDown,
		up: overlayActions.detailUp,
	},
	confirm: {
		confirm: deleteActions.confirm,
		confirmAlways: deleteActions.confirmAlways,
		close: deleteActions.keepAll,
	},
};

/** The scope keys go to in `state`. */
export function scopeOf(state: UiState): KeyScope {
	return focusOf(state).scope;
}

/** Runs the handler `name` is bound to in `focus`'s scope; `unbound` takes any other key. */
function dispatch<S extends KeyScope>(
	state: UiState,
	name: string,
	context: KeyContext,
	focus: FocusIn<S>,
	table: ScopeHandlers<S>,
	scope: S,
	unbound: (state: UiState) => KeyResult = done,
): KeyResult {
	const binding = scopedBinding(scope, name);
	if (!binding) return unbound(state);
	const handler: Handler<FocusIn<S>> = table[binding.action];
	return handler(state, context, focus);
}

/**
 * Applies key `name` (as `keyNames` makes it) to `state`. Global keys (Ctrl-C, Ctrl-L) work
 * in every scope; other keys go to the scope of what is on top (overlay, prompt, table).
 */
export function handleKey(state: UiState, name: string, context: KeyContext): KeyResult {
	const global = globalBinding(name);
	if (global) return globalHandlers[global.action](state, context, undefined);
	const focus = focusOf(state);
	switch (focus.scope) {
		case 'table':
			return dispatch(state, name, context, focus, handlers.table, 'table');
		case 'events':
			return dispatch(state, name, context, focus, handlers.events, 'events');
		case 'filter':
			return dispatch(state, name, context, focus, handlers.filter, 'filter', (current) =>
				done(typeKey(current, focus.prompt, name)),
			);
		case 'help':
			return dispatch(state, name, context, focus, handlers.help, 'help');
		case 'detail':
			return dispatch(state, name, context, focus, handlers.detail, 'detail');
		case 'confirm':
			return dispatch(state, name, context, focus, handlers.confirm, 'confirm');
	}
}
