/**
 * How the screen's rows are shared, as plain arithmetic: the header's fixed lines, the filter
 * prompt's two while it is open, the table (its title line and rows, or an overlay in its
 * place), the event pane while it shows, and the footer's hint and status lines. The last
 * terminal row stays empty, so a full frame never scrolls the terminal.
 */
import {paneHeight, type PaneSize} from './event-log.js';
import {headerHeight} from './header.js';

/** The smallest terminal the TUI draws in; below it, it says so instead of garbling. */
export const minimumSize = {columns: 60, rows: 10} as const;

/** Lines under the table: the key hints and the status line. */
export const footerHeight = 2;

/** Lines the open filter prompt takes: what is typed, then its help or error. */
export const promptHeight = 2;

/** What shares the screen besides the table. */
export interface LayoutInput {
	/** The terminal's size. */
	readonly columns: number;
	readonly rows: number;
	/** Whether the filter prompt is open. */
	readonly prompt: boolean;
	/** The event pane's size, when it shows. */
	readonly pane: PaneSize | undefined;
}

/** Rows of each part of the screen. */
export interface Layout {
	/** The terminal is under `minimumSize`: nothing else is drawn. */
	readonly tooSmall: boolean;
	/** The prompt's lines (0 while closed). */
	readonly promptRows: number;
	/** Table rows on screen (at least one), not counting its title line. */
	readonly bodyRows: number;
	/** The table's area with its title line: what an overlay fills. */
	readonly bodyHeight: number;
	/** The event pane's lines with its title (0 while hidden). */
	readonly paneRows: number;
}

/** The rows each part gets on a terminal of `input.columns` x `input.rows`. */
export function screenLayout(input: LayoutInput): Layout {
	const {columns, rows} = input;
	const tooSmall = columns < minimumSize.columns || rows < minimumSize.rows;
	const promptRows = input.prompt ? promptHeight : 0;
	// The last row stays empty; the table's title line is not one of its rows.
	const available = rows - 1 - headerHeight - promptRows - 1 - footerHeight;
	const paneRows = input.pane === undefined ? 0 : paneHeight(input.pane, available);
	const bodyRows = Math.max(1, available - paneRows);
	return {tooSmall, promptRows, bodyRows, bodyHeight: bodyRows + 1, paneRows};
}
