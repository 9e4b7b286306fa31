/**
 * The detail overlay: every field of one flow, filling the table's area and no more.
 */
import {Box, Text} from 'ink';
import type {FlowRow} from '../../model/table.js';
import type {NameResolver} from '../../view/flow-cells.js';
import {padCell, wrapWords} from '../../view/text.js';
import {detailLines, type RateHistory} from '../detail.js';
import {paint} from '../paint.js';

/** Props of DetailView. */
export interface DetailViewProps {
	/** The flow's row now, or as last seen when it is gone. */
	readonly row: FlowRow;
	/** The flow left the table (its last known state is shown). */
	readonly gone: boolean;
	/** Columns it spans. */
	readonly width: number;
	/** Lines it fills, its title included. */
	readonly height: number;
	/** Cached reverse DNS, while names are on. */
	readonly resolveName?: NameResolver;
	/** First line shown (clamped). */
	readonly scroll: number;
	/** False draws no colours. */
	readonly color: boolean;
	/** The flow's byte rates over the last minute, for the sparklines; none when gone. */
	readonly history?: RateHistory;
}

/** Every field of one flow, long values wrapped under their label, scrolled by `scroll`. */
export function DetailView({
	row,
	gone,
	width,
	height,
	resolveName,
	scroll,
	color,
	history,
}: DetailViewProps) {
	const labelWidth = 9;
	const lines: string[] = [];
	for (const {label, value} of detailLines(row, resolveName, history)) {
		const wrapped = wrapWords(value, width - labelWidth - 1);
		wrapped.forEach((part, index) => {
			lines.push(`${padCell(index === 0 ? label : '', labelWidth)} ${part}`);
		});
	}

	const visible = Math.max(1, height - 1);
	const top = Math.max(0, Math.min(scroll, lines.length - visible));
	const more = top + visible < lines.length ? '  (↓ for more)' : '';
	const title = `${gone ? 'Flow details: the flow is gone (last seen state)' : 'Flow details'}${more}`;
	return (
		<Box flexDirection="column" height={height}>
			<Text>{paint(padCell(title, width), {bold: true, inverse: true}, color)}</Text>
			{lines.slice(top, top + visible).map((line, index) => (
				<Text key={index} wrap="truncate-end">
					{paint(line, {dim: gone}, color)}
				</Text>
			))}
		</Box>
	);
}
