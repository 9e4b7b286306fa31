/**
 * The help overlay: every key (from the keymap), the row legend and filter examples, filling
 * the table's area and no more, so the header and footer stay.
 */
import {Box, Text} from 'ink';
import {padCell, textWidth} from '../../view/text.js';
import {helpLines} from '../help-lines.js';
import {paint} from '../paint.js';

/** Props of HelpView. */
export interface HelpViewProps {
	/** Columns it spans. */
	readonly width: number;
	/** Lines it fills, its title included. */
	readonly height: number;
	/** First line shown (clamped). */
	readonly scroll: number;
	/** Why deleting is off, if it is. */
	readonly disabled?: string;
	/** False draws no colours. */
	readonly color: boolean;
}

/** The keymap as help, in two columns when the screen is wide enough, scrolled by `scroll`. */
export function HelpView({width, height, scroll, disabled, color}: HelpViewProps) {
	const lines = helpLines(disabled);
	const columnWidth = Math.min(width, Math.max(...lines.map((line) => textWidth(line.text))) + 2);
	const columns = Math.max(1, Math.floor(width / columnWidth));
	const perColumn = Math.ceil(lines.length / columns);
	const visible = Math.max(1, height - 1);
	const top = Math.max(0, Math.min(scroll, perColumn - visible));
	const rows: string[] = [];
	for (let r = 0; r < Math.min(visible, perColumn - top); r++) {
		let row = '';
		for (let c = 0; c < columns; c++) {
			const line = lines[c * perColumn + top + r];
			if (!line) continue;
			const last = c === columns - 1 || !lines[(c + 1) * perColumn + top + r];
			row += paint(padCell(line.text, last ? textWidth(line.text) : columnWidth), line, color);
		}

		rows.push(row);
	}

	const more = top + visible < perColumn ? '  (↓ for more)' : '';
	return (
		<Box flexDirection="column" height={height}>
			<Text>
				{paint(padCell(`conntop keys${more}`, width), {bold: true, inverse: true}, color)}
			</Text>
			{rows.map((row, index) => (
				<Text key={index} wrap="truncate-end">
					{row}
				</Text>
			))}
		</Box>
	);
}
