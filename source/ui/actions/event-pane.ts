/**
 * The event pane's keys: shown or hidden, its size, which of table and pane has the keyboard,
 * and its scroll and pause once it has.
 */
import {movePane, paneSizes, type PaneMove} from '../event-log.js';
import {cycle, done, type Handler} from './reaction.js';

/** A scroll of the focused pane (or its pause), from where it was last drawn. */
function move(action: PaneMove): Handler<unknown> {
	return (state, context) => {
		const pane = context.pane ?? {total: 0, rows: 1, pushes: 0};
		return done({...state, eventPane: movePane(state.eventPane, action, pane)});
	};
}

/** Where the keyboard goes: the pane shows when it gets it. */
function focus(pane: boolean): Handler<unknown> {
	return (state) =>
		done({
			...state,
			events: state.events || pane,
			eventPane: {...state.eventPane, focused: pane},
		});
}

/** The event pane's handlers, by action. */
export const paneActions = {
	toggle: (state) =>
		done({...state, events: !state.events, eventPane: {...state.eventPane, focused: false}}),
	focusEvents: focus(true),
	focusTable: focus(false),
	resize: (state) => {
		const size = state.events ? cycle(paneSizes, state.eventPane.size, 1) : state.eventPane.size;
		return done({...state, events: true, eventPane: {...state.eventPane, size}});
	},
	down: move('down'),
	up: move('up'),
	pageDown: move('pageDown'),
	pageUp: move('pageUp'),
	top: move('top'),
	bottom: move('bottom'),
	pause: move('pause'),
} as const satisfies Record<string, Handler<unknown>>;
