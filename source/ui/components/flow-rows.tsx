/**
 * The flow table: its title line and one pre-formatted text line per row, coloured by state,
 * the cursor's row inverse, new rows bold, closed and deleted ones dim.
 */
import {Text} from 'ink';
import type {FlowRow} from '../../model/table.js';
import {chooseColumns, widestEndpoint} from '../../view/column-layout.js';
import {stateLabel, stateTone, type NameResolver} from '../../view/flow-cells.js';
import {formatFlowRow, formatHeaderLine, type SortMark} from '../../view/row-format.js';
import {paint} from '../paint.js';

/** Props of FlowRows. */
export interface FlowRowsProps {
	/** The rows on screen, top first. */
	readonly rows: readonly FlowRow[];
	/** Index in `rows` of the cursor's row; -1 when it is not on screen. */
	readonly cursor: number;
	/** Columns the lines span. */
	readonly width: number;
	/** Bytes, rate and packet columns (the `c` key). */
	readonly counters: boolean;
	/** The sorted column and direction, for the title's arrow. */
	readonly sort: SortMark;
	/** Keys of tagged flows. */
	readonly tagged: ReadonlySet<string>;
	/** Keys of flows this UI deleted that the table still lists. */
	readonly removed: ReadonlySet<string>;
	/** Cached reverse DNS, while names are on. */
	readonly resolveName?: NameResolver;
	/** What to say when there are no rows (nothing matches, or no flows at all). */
	readonly empty: string | undefined;
	/** False draws no colours. */
	readonly color: boolean;
}

/** The title line and the rows. */
export function FlowRows(props: FlowRowsProps) {
	const {rows, cursor, width, sort, tagged, removed, resolveName, empty, color} = props;
	const columns = chooseColumns(width, {
		counters: props.counters,
		endpoints: widestEndpoint(rows),
	});
	const titles = formatHeaderLine(columns, width, sort);
	return (
		<>
			<Text wrap="truncate-end">{paint(titles, {bold: true}, color)}</Text>
			{rows.map((row, i) => {
				const isRemoved = removed.has(row.key);
				const line = formatFlowRow(row, columns, width, {
					resolveName,
					tagged: tagged.has(row.key),
					removed: isRemoved,
				});
				const gone = row.closed || isRemoved;
				const style = {
					color: gone ? undefined : stateTone(stateLabel(row.flow)),
					inverse: i === cursor,
					bold: row.isNew && !gone,
					dim: gone,
				};
				return (
					// Rows are positional: the text node is reused as rows scroll through it.
					<Text key={i} wrap="truncate-end">
						{paint(line, style, color)}
					</Text>
				);
			})}
			{empty === undefined ? null : <Text>{paint(empty, {dim: true}, color)}</Text>}
		</>
	);
}
