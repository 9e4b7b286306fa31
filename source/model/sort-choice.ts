/**
 * What `--sort` may name: a flow sort column, or (with a group-by) a group sort column. The
 * guards narrow a string, or a choice, to one kind without a cast.
 */
import {groupSortColumns, type GroupSortColumn} from './group.js';
import {sortColumns, type SortColumn} from './sort-columns.js';

/** A sort column for flows or for groups (`count`, `key`, `packets`, `bytes`, `rate`). */
export type SortChoice = SortColumn | GroupSortColumn;

/** Whether `value` is a flow sort column. */
export function isSortColumn(value: string): value is SortColumn {
	return sortColumns.some((column) => column === value);
}

/** Whether `value` is a group sort column. */
export function isGroupSortColumn(value: string): value is GroupSortColumn {
	return groupSortColumns.some((column) => column === value);
}
