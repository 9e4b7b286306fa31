/**
 * Keys while the help or a flow's details cover the table: they scroll and close. (The delete
 * question's keys are in deletes.ts, with the rest of the delete lifecycle.)
 */
import type {DetailOverlay, HelpOverlay} from '../state.js';
import {done, type Handler} from './reaction.js';

type OverlayHandler<O> = Handler<{readonly overlay: O}>;

/** Scrolls an overlay by `step` lines, never above its first. */
function scroll<O extends HelpOverlay | DetailOverlay>(step: number): OverlayHandler<O> {
	return (state, _context, {overlay}) =>
		done({...state, overlay: {...overlay, scroll: Math.max(0, overlay.scroll + step)}});
}

/** The handlers of the help and detail overlays, by action. */
export const overlayActions = {
	openHelp: (state) => done({...state, overlay: {kind: 'help', scroll: 0}}),
	close: (state) => done({...state, overlay: undefined}),
	helpDown: scroll<HelpOverlay>(1),
	helpUp: scroll<HelpOverlay>(-1),
	detailDown: scroll<DetailOverlay>(1),
	detailUp: scroll<DetailOverlay>(-1),
} as const satisfies Record<string, Handler<never>>;
