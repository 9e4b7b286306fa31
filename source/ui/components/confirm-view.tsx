/**
 * The delete question over the table, in a box within the table's area.
 */
import {Box, Text} from 'ink';
import {truncateEnd} from '../../view/text.js';
import {paint} from '../paint.js';

/** Props of ConfirmView. */
export interface ConfirmViewProps {
	/** How many flows would be deleted. */
	readonly count: number;
	/** One-line summaries of the first few. */
	readonly first: readonly string[];
	/** Where they come from: the flow at the cursor (`x`), the tags, or the filter's text. */
	readonly source:
		{readonly from: 'cursor' | 'tagged'} | {readonly from: 'filter'; readonly filter: string};
	/** Columns it may span (the box is at most 100 wide). */
	readonly width: number;
	/** Lines it fills. */
	readonly height: number;
	/** False draws no colours. */
	readonly color: boolean;
}

/**
 * The delete dialog: for `x`, the flow itself in the question (as iptstate asks "Are you
 * sure?"); for `D`, how many and the first few. Then which key does what.
 */
export function ConfirmView({count, first, source, width, height, color}: ConfirmViewProps) {
	const what = count === 1 ? '1 flow' : `${count} flows`;
	const single = source.from === 'cursor';
	const from =
		source.from === 'filter'
			? `all that match "${source.filter}"`
			: source.from === 'tagged'
				? 'the tagged ones'
				: '';
	const question = single ? `Delete ${first[0] ?? 'this flow'}?` : `Delete ${what} (${from})?`;
	const inner = Math.max(10, Math.min(width, 100) - 4);
	const shown = single ? [] : first.slice(0, Math.max(1, height - 6));
	const key = (name: string, tone?: 'red') => paint(name, {bold: true, color: tone}, color);
	const keys = single
		? `${key('y', 'red')} deletes it, ${key('a', 'red')} deletes and stops asking, ${key('n')} or ${key('Esc')} keeps it`
		: `${key('y', 'red')} deletes them, ${key('n')} or ${key('Esc')} keeps them`;
	return (
		<Box flexDirection="column" height={height}>
			<Box flexDirection="column" borderStyle="round" width={inner + 4} paddingX={1}>
				<Text wrap="truncate-end">{paint(truncateEnd(question, inner), {bold: true}, color)}</Text>
				{shown.map((line, index) => (
					<Text key={index} wrap="truncate-end">
						{truncateEnd(`  ${line}`, inner)}
					</Text>
				))}
				{!single && count > shown.length ? (
					<Text>{paint(`  …and ${count - shown.length} more`, {dim: true}, color)}</Text>
				) : null}
				<Text wrap="truncate-end">{keys}</Text>
			</Box>
		</Box>
	);
}
