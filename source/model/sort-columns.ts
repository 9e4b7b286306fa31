/**
 * The columns a flow view sorts by, named once for the CLI's --sort, the keys that cycle
 * through them and the table, with one bit each for tracking which columns' keys changed.
 */

/** Every column the flow view sorts by. */
export type SortColumn =
	| 'proto'
	| 'src'
	| 'sport'
	| 'dst'
	| 'dport'
	| 'state'
	| 'ttl'
	| 'packets'
	| 'bytes'
	| 'rate'
	| 'age'
	| 'mark'
	| 'zone'
	| 'nat';

/** The columns in display order. */
export const sortColumns: readonly SortColumn[] = [
	'proto',
	'src',
	'sport',
	'dst',
	'dport',
	'state',
	'ttl',
	'packets',
	'bytes',
	'rate',
	'age',
	'mark',
	'zone',
	'nat',
];

/** One bit per column, to track which columns' keys a change touched. */
export const columnBit: Readonly<Record<SortColumn, number>> = Object.fromEntries(
	sortColumns.map((column, index) => [column, 1 << index]),
) as Record<SortColumn, number>;
