/**
 * The terminal's size, following resizes at once.
 */
import {useStdout} from 'ink';
import {useEffect, useState} from 'react';

/** Columns and rows of the terminal. */
export interface TerminalSize {
	readonly columns: number;
	readonly rows: number;
}

/**
 * The size of Ink's stdout (80x24 when it does not say, as with a pipe), re-read on every
 * 'resize' so the next frame is laid out for the new size.
 */
export function useTerminalSize(): TerminalSize {
	const {stdout} = useStdout();
	const [size, setSize] = useState(() => sizeOf(stdout));
	useEffect(() => {
		const onResize = () => {
			setSize((previous) => {
				const next = sizeOf(stdout);
				return next.columns === previous.columns && next.rows === previous.rows ? previous : next;
			});
		};

		stdout.on('resize', onResize);
		// A resize between the first render and this effect would otherwise be missed.
		onResize();
		return () => {
			stdout.off('resize', onResize);
		};
	}, [stdout]);
	return size;
}

function sizeOf(stdout: NodeJS.WriteStream): TerminalSize {
	return {columns: stdout.columns || 80, rows: stdout.rows || 24};
}
