/**
 * Follows the sync: a table change asks for a frame (none while paused: the screen is
 * frozen), a status change re-renders with the new status, and each kernel stats sample goes
 * into the trouble history the header reads.
 */
import {useEffect, useRef, useState, type RefObject} from 'react';
import type {KernelStats} from '../../flow/source.js';
import {recordStats, type TroubleHistory} from '../kernel-rates.js';
import type {SyncFeed, SyncState} from '../types.js';

/** What the sync said last. */
export interface SyncFeedState {
	/** Its status, for the header. */
	readonly status: SyncState;
	/** Its stats samples so far (a ref: samples alone never cause a frame). */
	readonly stats: RefObject<TroubleHistory | undefined>;
}

/**
 * Subscribes to `sync` for as long as the component lives. `request` asks for a frame;
 * `paused` is read at each change, so it may be a new function every render.
 */
export function useSyncFeed(
	sync: SyncFeed,
	now: () => number,
	request: () => void,
	paused: () => boolean,
): SyncFeedState {
	const [status, setStatus] = useState<SyncState>(sync.status);
	const stats = useRef<TroubleHistory | undefined>(undefined);
	const isPaused = useRef(paused);
	useEffect(() => {
		isPaused.current = paused;
	});

	useEffect(() => {
		const onChanged = () => {
			if (!isPaused.current()) request();
		};

		const onStatus = (next: SyncState) => {
			setStatus(next);
		};

		const onStats = (sample: KernelStats) => {
			stats.current = recordStats(stats.current, {stats: sample, time: now()});
		};

		sync.on('changed', onChanged);
		sync.on('status', onStatus);
		sync.on('stats', onStats);
		return () => {
			sync.off('changed', onChanged);
			sync.off('status', onStatus);
			sync.off('stats', onStats);
		};
	}, [sync, now, request]);

	return {status, stats};
}
