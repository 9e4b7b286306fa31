/**
 * What a key handler is given and what it gives back. Handlers are pure like htop's Action
 * functions: the table is read, never written, and whatever needs I/O (deleting, re-reading,
 * quitting, repainting) comes back as an effect for the app to carry out (htop's
 * `Htop_Reaction`).
 */
import type {Flow} from '../../flow/types.js';
import type {FlowTable} from '../../model/table.js';
import type {PaneContext} from '../event-log.js';
import type {Message, ResolvedView, UiState} from '../state.js';
import type {SourceLimits} from '../types.js';

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

/**
 * One action's handler. `focus` is what has the keyboard, narrowed to the scope the action was
 * bound in (the open overlay, the prompt); handlers that need none leave it out.
 */
export type Handler<F> = (state: UiState, context: KeyContext, focus: F) => KeyResult;

/** `state` with nothing to do. */
export function done(state: UiState, ...effects: Effect[]): KeyResult {
	return {state, effects};
}

/** `state` with a status-line message stamped `now`. */
export function withMessage(
	state: UiState,
	text: string,
	now: number,
	tone: Message['tone'] = 'info',
	sticky = false,
): UiState {
	return {...state, message: {text, tone, time: now, sticky}};
}

/** The item `step` places after `current` in `items`, wrapping round. */
export function cycle<T>(items: readonly T[], current: T, step: number): T {
	const index = items.indexOf(current);
	return items[(index + step + items.length) % items.length];
}
