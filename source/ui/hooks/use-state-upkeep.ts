/**
 * What the UI state needs after each frame, apart from keys: the sync told which flows are on
 * screen, and deleted rows forgotten once the table agrees.
 */
import {useEffect, type Dispatch, type RefObject, type SetStateAction} from 'react';
import type {Flow} from '../../flow/types.js';
import type {FlowTable} from '../../model/table.js';
import {pruneRemoved} from '../actions/deletes.js';
import type {UiState} from '../state.js';
import type {SyncFeed} from '../types.js';

/** What the upkeep reads and writes. */
export interface Upkeep {
	readonly sync: SyncFeed;
	readonly table: FlowTable;
	readonly now: () => number;
	/** The flows the last full frame showed (rows and the open detail view). */
	readonly watched: RefObject<readonly Flow[]>;
	readonly setState: Dispatch<SetStateAction<UiState>>;
}

/** Runs after every frame of `state`. */
export function useStateUpkeep(state: UiState, upkeep: Upkeep): void {
	const {sync, table, now, watched, setState} = upkeep;

	// After every frame, tell the sync which flows are on screen: it re-reads exactly those
	// from the kernel each tick (counters and timeouts change without any event).
	useEffect(() => {
		sync.watch(watched.current);
	});

	useEffect(() => {
		if (state.removed.size === 0) return;
		setState((current) => pruneRemoved(current, table, now()));
	});
}
