/**
 * The table's own keys: sort and its direction, group-by and opening a row (a group becomes
 * its filter, a flow its details), tags, and what the rows show (paused, names, counters).
 */
import {groupSortColumns, type GroupBy} from '../../model/group.js';
import {sortColumns} from '../../model/sort-columns.js';
import {activeFilter, viewTime, type UiState} from '../state.js';
import {cursorFlowRow, moveTo, resetCursor} from './cursor.js';
import {groupFilterTerm, withFilterText} from './prompt.js';
import {cycle, done, withMessage, type Handler} from './reaction.js';

/** Group-by choices `g` steps through (the model has more; they can be asked for at start). */
export const groupCycle: ReadonlyArray<GroupBy | undefined> = [undefined, 'src', 'dst', 'dport'];

/** `b`/`B`: the next or previous sort column of the flows or the groups. */
function sortStep(step: number): Handler<unknown> {
	// The cursor keeps its key: the same flow stays highlighted wherever it lands.
	return (state) =>
		done(
			state.group === undefined
				? {...state, sort: cycle(sortColumns, state.sort, step)}
				: {...state, groupSort: cycle(groupSortColumns, state.groupSort, step)},
		);
}

/** Enter: a group becomes the filter that selects its flows; a flow opens its details. */
const open: Handler<unknown> = (state, context) => {
	const {view, now} = context;
	if (state.group !== undefined) {
		if (view.key === undefined) return done(state);
		const term = groupFilterTerm(state.group, view.key);
		const text = [state.filter?.text ?? '', term].filter(Boolean).join(' ');
		const next = withFilterText(resetCursor({...state, group: undefined}), text, now);
		return done(withMessage(next, `filter: ${text}  (g groups again)`, now));
	}

	const row = cursorFlowRow(state, context);
	if (!row) return done(state);
	return done({...state, overlay: {kind: 'detail', key: row.key, last: row, scroll: 0}});
};

/** Space: tags or untags the flow at the cursor and moves on. */
const tag: Handler<unknown> = (state, context) => {
	const row = cursorFlowRow(state, context);
	if (!row) {
		const why =
			state.group === undefined ? 'no flow here' : 'tags are for flows: Enter opens the group';
		return done(withMessage(state, why, context.now));
	}

	const tagged = new Set(state.tagged);
	if (tagged.has(row.key)) tagged.delete(row.key);
	else tagged.add(row.key);
	// Like htop: Space tags and moves on, so a run of rows takes a run of presses.
	return done(moveTo({...state, tagged}, context, context.view.index + 1));
};

/** `a`: tags every flow the filter matches (every flow without one). */
const tagAll: Handler<unknown> = (state, {table, now}) => {
	const keys = table.keysMatching(activeFilter(state), viewTime(state, now));
	const tagged = new Set(state.tagged);
	for (const key of keys) tagged.add(key);
	const what = activeFilter(state) ? 'that match the filter' : '';
	return done(withMessage({...state, tagged}, `tagged ${keys.length} flows ${what}`.trim(), now));
};

/** `p`: freezes the screen at this moment, or lets it run again. */
const pause: Handler<unknown> = (state, {now}) =>
	done(
		state.pausedAt === undefined
			? {...state, pausedAt: now}
			: withMessage({...state, pausedAt: undefined}, 'resumed', now),
	);

/** `n`: DNS names instead of addresses, when a resolver was given. */
const names: Handler<unknown> = (state, {hasNames, now}) => {
	if (!hasNames) return done(withMessage(state, 'DNS names are not available', now));
	return done(
		withMessage({...state, names: !state.names}, state.names ? 'addresses' : 'DNS names', now),
	);
};

/** The table's handlers, by action. */
export const tableActions = {
	sortNext: sortStep(1),
	sortPrevious: sortStep(-1),
	reverse: (state: UiState) =>
		done(
			state.group === undefined
				? {...state, reverse: !state.reverse}
				: {...state, groupReverse: !state.groupReverse},
		),
	group: (state: UiState) =>
		done(resetCursor({...state, group: cycle(groupCycle, state.group, 1)})),
	open,
	tag,
	tagAll,
	untagAll: (state, {now}) => done(withMessage({...state, tagged: new Set()}, 'untagged all', now)),
	pause,
	names,
	counters: (state) => done({...state, counters: !state.counters}),
	resync: (state, {now}) => done(withMessage(state, 're-reading the table', now), {kind: 'resync'}),
	quit: (state) => done(state, {kind: 'quit', code: 0}),
} as const satisfies Record<string, Handler<unknown>>;
