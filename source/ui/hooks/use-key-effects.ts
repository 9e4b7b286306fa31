/**
 * Carries out what keys asked for (actions/reaction.ts's effects): quitting once, repainting
 * the whole terminal, a re-read of the table, and delete batches, whose outcome comes back as
 * a state update.
 */
import {useRef} from 'react';
import {deleteFinished, type DeleteOutcome} from '../actions/deletes.js';
import type {Effect} from '../actions/reaction.js';
import type {UiState} from '../state.js';
import type {TuiDeps} from '../types.js';

/** What the effects act on. */
export interface EffectTargets {
	readonly deps: TuiDeps;
	/** Called once with the exit code. */
	readonly onExit: (code: number) => void;
	/** The output layer must forget what it believes is on the terminal. */
	readonly onRedraw?: () => void;
	/** A frame now. */
	readonly redrawNow: () => void;
	/** Updates the UI state (a delete's outcome). */
	readonly update: (change: (current: UiState) => UiState) => void;
}

/** A function that carries out one effect. */
export function useKeyEffects(targets: EffectTargets): (effect: Effect) => void {
	const exited = useRef(false);
	const {deps, onExit, onRedraw, redrawNow, update} = targets;
	return (effect: Effect) => {
		switch (effect.kind) {
			case 'quit':
				if (!exited.current) {
					exited.current = true;
					onExit(effect.code);
				}

				break;
			case 'redraw':
				onRedraw?.();
				redrawNow();
				break;
			case 'resync':
				void Promise.resolve(deps.sync.resync('asked for with R')).catch(() => undefined);
				break;
			case 'delete': {
				const {flows, keys, gone} = effect;
				const finish = (result: DeleteOutcome) => {
					update((current) => deleteFinished(current, result, deps.deleteLogPath, deps.now()));
				};

				deps.deleter(flows).then(
					(report) => {
						finish({report, gone, keys});
					},
					(error: unknown) => {
						finish({error: error instanceof Error ? error : new Error(String(error))});
					},
				);
				break;
			}
		}
	};
}
