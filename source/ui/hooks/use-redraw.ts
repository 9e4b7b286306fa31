/**
 * When the screen redraws: a steady tick for the TTL countdown, and bursts of table changes
 * folded to a bounded frame rate.
 */
import {useCallback, useEffect, useReducer, useRef} from 'react';

/** Interaction and change redraws are at most this often (~20 fps). */
export const minFrameMs = 50;

/** A redraw trigger: `frame` counts redraws; `request()` asks for one, throttled. */
export interface Redraw {
	readonly frame: number;
	/** Redraw soon: at once when the last redraw is older than `minFrameMs`, else after it. */
	readonly request: () => void;
	/** Redraw now (keys: a keypress shows its effect in the next frame). */
	readonly now: () => void;
}

/**
 * Ticks every `intervalMs` while `running` and throttles `request()` to one frame per
 * `minFrameMs`. Timers use the real clock: they pace the terminal, not the table.
 */
export function useRedraw(intervalMs: number, running: boolean): Redraw {
	const [frame, bump] = useReducer((n: number) => n + 1, 0);
	const last = useRef(0);
	const pending = useRef<NodeJS.Timeout | undefined>(undefined);

	const now = useCallback(() => {
		last.current = performance.now();
		bump();
	}, []);

	const request = useCallback(() => {
		if (pending.current) return;
		const wait = last.current + minFrameMs - performance.now();
		if (wait <= 0) {
			now();
			return;
		}

		pending.current = setTimeout(() => {
			pending.current = undefined;
			now();
		}, wait);
	}, [now]);

	useEffect(() => {
		if (!running) return;
		// The sync re-reads the rows on screen every interval and asks for a frame when it has:
		// a tick right after such a frame would draw the same screen again (a 200x50 frame costs
		// tens of ms), so the tick only draws when nothing else has for most of an interval.
		const timer = setInterval(() => {
			if (performance.now() - last.current >= intervalMs * 0.75) now();
		}, intervalMs);
		return () => {
			clearInterval(timer);
		};
	}, [intervalMs, running, now]);

	useEffect(
		() => () => {
			if (pending.current) clearTimeout(pending.current);
		},
		[],
	);

	return {frame, request, now};
}
