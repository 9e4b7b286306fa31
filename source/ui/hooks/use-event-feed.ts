/**
 * Keeps the last events of the feed in a ring for the event pane, and asks for a frame when
 * one arrives while the pane shows and the screen is live.
 */
import {useEffect, useRef, useState} from 'react';
import type {FlowEvent} from '../../flow/types.js';
import {EventRing} from '../event-log.js';
import type {EventFeed} from '../types.js';

/** Events the pane keeps. */
export const eventCapacity = 500;

/**
 * The ring `feed`'s events go into (the same ring every render). `request` asks for a frame;
 * `wanted` says whether the pane shows now, read at each event.
 */
export function useEventFeed(
	feed: EventFeed | undefined,
	request: () => void,
	wanted: () => boolean,
): EventRing {
	const [ring] = useState(() => new EventRing(eventCapacity));
	const isWanted = useRef(wanted);
	useEffect(() => {
		isWanted.current = wanted;
	});

	useEffect(() => {
		if (!feed) return;
		const onEvent = (event: FlowEvent) => {
			ring.push(event);
			if (isWanted.current()) request();
		};

		feed.on('event', onEvent);
		return () => {
			feed.off('event', onEvent);
		};
	}, [feed, request, ring]);

	return ring;
}
