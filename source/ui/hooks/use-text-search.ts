/**
 * Builds the table's text index while the filter prompt is open, a slice at a time: the first
 * bare word typed would otherwise build it on its keystroke (~0.2-0.3 s at 1M flows), and
 * building it before anyone filters would cost its memory (~80 bytes a flow) for nothing.
 */
import {useEffect} from 'react';
import type {FlowTable} from '../../model/table.js';

// Rows a slice writes: ~4 ms at 1M flows, so a key pressed meanwhile waits at most that long.
const sliceRows = 16_384;

/** While `open`, builds `table`'s text index in slices, each in its own turn of the loop. */
export function useTextSearch(open: boolean, table: FlowTable): void {
	useEffect(() => {
		if (!open || table.textSearchReady) return;
		// Slices run after pending I/O (setImmediate), so keys are read between them. A key that
		// arrives before the end searches anyway: the search builds what is left itself.
		let timer: NodeJS.Immediate | undefined;
		const step = () => {
			timer = table.prepareTextSearch(sliceRows) ? undefined : setImmediate(step);
		};

		timer = setImmediate(step);
		return () => {
			if (timer) clearImmediate(timer);
		};
	}, [open, table]);
}
