/**
 * Keys as reads: Ink hands one stdin read over as several `useInput` calls (text runs and
 * escape sequences apart), all before a microtask runs. They are gathered and handed on
 * together, split into typed keys and pasted text, as the one burst they were (see
 * input-batch.ts for why a burst may not delete).
 */
import {useInput} from 'ink';
import {useEffect, useRef} from 'react';
import {PasteTracker, type InputPart, type RawInput} from '../input-batch.js';

/** Calls `onRead` once per read with its parts, in order. */
export function useInputBatch(onRead: (parts: InputPart[]) => void): void {
	const pending = useRef<RawInput[]>([]);
	const pastes = useRef(new PasteTracker());
	const handler = useRef(onRead);
	// Ink registers the input listener in an effect too: the newest handler is in place by then.
	useEffect(() => {
		handler.current = onRead;
	});

	useInput((input, key) => {
		pending.current.push({input, key});
		if (pending.current.length > 1) return;
		queueMicrotask(() => {
			const inputs = pending.current;
			pending.current = [];
			handler.current(pastes.current.split(inputs));
		});
	});
}
