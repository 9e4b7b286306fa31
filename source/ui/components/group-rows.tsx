/**
 * The grouped table: its title line and one text line per group, the cursor's inverse.
 */
import {Text} from 'ink';
import type {GroupBy, GroupRow} from '../../model/group.js';
import {chooseGroupColumns} from '../../view/column-layout.js';
import {formatGroupRow, formatHeaderLine, type SortMark} from '../../view/row-format.js';
import {paint} from '../paint.js';

/** Props of GroupRows. */
export interface GroupRowsProps {
	/** The groups on screen, top first. */
	readonly rows: readonly GroupRow[];
	/** What the flows are grouped by (it titles the group column). */
	readonly by: GroupBy;
	/** Index in `rows` of the cursor's row; -1 when it is not on screen. */
	readonly cursor: number;
	/** Columns the lines span. */
	readonly width: number;
	/** The sorted column and direction, for the title's arrow. */
	readonly sort: SortMark;
	/** There are no groups at all (the view is empty). */
	readonly empty: boolean;
	/** False draws no colours. */
	readonly color: boolean;
}

/** The title line and the groups. */
export function GroupRows({rows, by, cursor, width, sort, empty, color}: GroupRowsProps) {
	const columns = chooseGroupColumns(width, by);
	const titles = formatHeaderLine(columns, width, sort);
	return (
		<>
			<Text wrap="truncate-end">{paint(titles, {bold: true}, color)}</Text>
			{rows.map((row, i) => (
				<Text key={i} wrap="truncate-end">
					{paint(formatGroupRow(row, columns, width), {inverse: i === cursor}, color)}
				</Text>
			))}
			{empty ? <Text>{paint('no flows to group', {dim: true}, color)}</Text> : null}
		</>
	);
}
