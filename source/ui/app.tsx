/**
 * The TUI's root component: composes the header, the filter prompt, the table (or an overlay
 * in its place), the event pane and the footer in the rows `screenLayout` gives them; turns
 * reads of keys into state through `applyInput` and carries out what they ask for. The table
 * is read at render time, only the rows on screen. Subscriptions, key batching and upkeep are
 * hooks (hooks/), drawing is components (components/).
 */
import {Box, Text} from 'ink';
import {useRef, useState} from 'react';
import {isOffloaded} from '../flow/status.js';
import type {Flow} from '../flow/types.js';
import type {TableSecond} from '../model/history.js';
import {stateLabel} from '../view/flow-cells.js';
import {deleteDisabledReason, flowSummary} from './actions/deletes.js';
import {scopeOf} from './actions/dispatch.js';
import {filterInForce} from './actions/prompt.js';
import {ConfirmView} from './components/confirm-view.js';
import {DetailView} from './components/detail-view.js';
import {EventPane} from './components/event-pane.js';
import {FlowRows} from './components/flow-rows.js';
import {Footer} from './components/footer.js';
import {GroupRows} from './components/group-rows.js';
import {HelpView} from './components/help-view.js';
import {PromptLine} from './components/prompt-line.js';
import {SegmentLine} from './components/segment-line.js';
import {paneTitle, paneView, type PaneContext} from './event-log.js';
import {headerLines, type HeaderHistory} from './header.js';
import {useEventFeed} from './hooks/use-event-feed.js';
import {useInputBatch} from './hooks/use-input-batch.js';
import {useKeyEffects} from './hooks/use-key-effects.js';
import {useRedraw} from './hooks/use-redraw.js';
import {useStateUpkeep} from './hooks/use-state-upkeep.js';
import {useSyncFeed} from './hooks/use-sync-feed.js';
import {useTerminalSize} from './hooks/use-terminal-size.js';
import {useTextSearch} from './hooks/use-text-search.js';
import {applyInput, type InputPart} from './input-batch.js';
import {troubleFigures} from './kernel-rates.js';
import {minimumSize, screenLayout} from './layout.js';
import {activeFilter, initialState, resolveView, viewTime, type UiState} from './state.js';
import type {TuiDeps, TuiOptions} from './types.js';

export {minimumSize} from './layout.js';

/** Props of App. */
export interface AppProps {
	/** The table, the sync, the deleter and the clock it works with. */
	readonly deps: TuiDeps;
	/** How it starts and what it may do. */
	readonly options: TuiOptions;
	/** Called once with the exit code when a quit key is pressed. */
	readonly onExit: (code: number) => void;
	/** Ctrl-L: the output layer must forget what it believes is on the terminal. */
	readonly onRedraw?: () => void;
}

function initial(options: TuiOptions): UiState {
	return initialState({
		sort: options.sort,
		reverse: options.reverse,
		group: options.group,
		filter: filterInForce(options.filter),
		names: options.dns,
		confirmDelete: options.confirm,
	});
}

/** The TUI. */
export function App({deps, options, onExit, onRedraw}: AppProps) {
	const size = useTerminalSize();
	const [state, setState] = useState(() => initial(options));
	const stateRef = useRef(state);
	// Refs written during render hand this render's values to handlers and effects. The refs rule
	// guards against renders React throws away; Ink renders on a legacy root, so every one commits.
	// eslint-disable-next-line react-hooks/refs -- every render commits (see above)
	stateRef.current = state;
	const paused = state.pausedAt !== undefined;
	const redraw = useRedraw(options.intervalMs, !paused);
	const sync = useSyncFeed(
		deps.sync,
		deps.now,
		redraw.request,
		() => stateRef.current.pausedAt !== undefined,
	);
	const ring = useEventFeed(deps.events, redraw.request, () => {
		const current = stateRef.current;
		return current.events && current.pausedAt === undefined;
	});
	const pageRows = useRef(1);
	const paneContext = useRef<PaneContext | undefined>(undefined);
	const watched = useRef<readonly Flow[]>([]);
	useStateUpkeep(state, {
		sync: deps.sync,
		table: deps.table,
		now: deps.now,
		watched,
		setState,
	});
	useTextSearch(state.prompt !== undefined, deps.table);
	const run = useKeyEffects({
		deps,
		onExit,
		onRedraw,
		redrawNow: redraw.now,
		update: setState,
	});

	useInputBatch((parts: InputPart[]) => {
		const {state: next, effects} = applyInput(
			stateRef.current,
			parts,
			(current) => {
				const now = deps.now();
				return {
					table: deps.table,
					now,
					view: resolveView(current, deps.table, viewTime(current, now), pageRows.current),
					readOnly: options.readOnly,
					canDelete: options.canDelete,
					source: options.source,
					hasNames: deps.resolveName !== undefined,
					pane: paneContext.current,
				};
			},
			deps.now(),
		);
		if (next !== stateRef.current) {
			stateRef.current = next;
			setState(next);
		}

		for (const effect of effects) run(effect);
	});

	const {columns: width, rows} = size;
	const layout = screenLayout({
		columns: width,
		rows,
		prompt: state.prompt !== undefined,
		pane: state.events ? state.eventPane.size : undefined,
	});
	if (layout.tooSmall) {
		return (
			<Text wrap="wrap">
				{`too small: ${width}x${rows}, need ${minimumSize.columns}x${minimumSize.rows} (q quits)`}
			</Text>
		);
	}

	const {bodyRows, bodyHeight, paneRows} = layout;
	const now = deps.now();
	const at = viewTime(state, now);
	// eslint-disable-next-line react-hooks/refs -- every render commits (see stateRef)
	pageRows.current = bodyRows;
	const view = resolveView(state, deps.table, at, bodyRows);
	const {page} = view;
	const totals = deps.table.totals(at);
	const resolveName = state.names ? deps.resolveName : undefined;
	const color = options.color;
	const disabled = deleteDisabledReason(options);
	const filter = activeFilter(state);
	const matched = page.kind === 'flows' ? page.total : page.flows;

	const flowRows = page.kind === 'flows' ? page.rows : [];
	const onScreen = flowRows.filter((row) => !row.closed).map((row) => row.flow);
	const overlay = state.overlay;
	if (overlay?.kind === 'detail') {
		const open = deps.table.row(overlay.key, at);
		if (open && !open.closed && !onScreen.includes(open.flow)) onScreen.push(open.flow);
	}

	// eslint-disable-next-line react-hooks/refs -- every render commits (see stateRef)
	watched.current = onScreen;
	const lastStats = sync.stats.current?.last.stats;
	const header = headerLines(
		{
			hostname: options.hostname,
			netns: options.netns,
			matched,
			total: totals.total,
			closed: totals.closed,
			groups: page.kind === 'groups' ? page.total : undefined,
			count: lastStats?.count,
			max: lastStats?.max,
			byProtocol: totals.byProtocol,
			eventsPerSecond: totals.eventsPerSecond,
			trouble: troubleFigures(sync.stats.current, now),
			sort: state.group === undefined ? state.sort : state.groupSort,
			reverse: state.group === undefined ? state.reverse : state.groupReverse,
			group: state.group,
			// While typing, the filter the rows are selected by: the count beside it is its count.
			filter: filter?.text,
			paused,
			tagged: state.tagged.size,
			// A source without events has only periodic re-reads, whatever the sync was given.
			sync: options.source?.events === false ? {...sync.status, eventsDown: true} : sync.status,
			sourceNote: options.source?.note,
			now,
			// From the namespace's sysctls, not the rows: flows that came by NEW event carry no
			// counters even with accounting on.
			accounting: lastStats?.settings?.accounting,
			timestamps: lastStats?.settings?.timestamps,
			offloaded: flowRows.filter((row) => isOffloaded(row.flow)).length,
			bytesPerSecond: totals.bytesPerSecond,
			history: headerHistory(deps.table.tableHistory(at)),
		},
		width,
	);

	let body: React.ReactNode;
	if (overlay?.kind === 'help') {
		body = (
			<HelpView
				width={width}
				height={bodyHeight}
				scroll={overlay.scroll}
				disabled={disabled}
				color={color}
			/>
		);
	} else if (overlay?.kind === 'detail') {
		const live = deps.table.row(overlay.key, at);
		body = (
			<DetailView
				row={live ?? overlay.last}
				gone={live === undefined}
				width={width}
				height={bodyHeight}
				resolveName={resolveName}
				scroll={overlay.scroll}
				color={color}
				history={live ? {samples: deps.table.rateHistory(overlay.key, at), now: at} : undefined}
			/>
		);
	} else if (overlay?.kind === 'confirm') {
		const first = overlay.keys.slice(0, 8).map((key) => {
			const row = deps.table.row(key, at);
			return row ? `${flowSummary(row.flow)} ${stateLabel(row.flow)}` : '(already gone)';
		});
		body = (
			<ConfirmView
				count={overlay.keys.length}
				first={first}
				source={
					overlay.from === 'filter'
						? {from: 'filter', filter: state.filter?.text ?? ''}
						: {from: overlay.from}
				}
				width={width}
				height={bodyHeight}
				color={color}
			/>
		);
	} else if (page.kind === 'groups') {
		body =
			state.group === undefined ? null : (
				<GroupRows
					rows={page.rows}
					by={state.group}
					cursor={view.index - view.top}
					width={width}
					sort={{column: state.groupSort, reverse: state.groupReverse}}
					empty={page.total === 0}
					color={color}
				/>
			);
	} else {
		const nothing = state.filter || state.prompt ? 'no flow matches the filter' : 'no flows';
		body = (
			<FlowRows
				rows={page.rows}
				cursor={view.index - view.top}
				width={width}
				counters={state.counters}
				sort={{column: state.sort, reverse: state.reverse}}
				tagged={state.tagged}
				removed={state.removed}
				resolveName={resolveName}
				empty={page.total === 0 ? nothing : undefined}
				color={color}
			/>
		);
	}

	const events =
		paneRows > 0 ? paneView(ring, state.eventPane, filter, at, paneRows - 1) : undefined;
	// eslint-disable-next-line react-hooks/refs -- every render commits (see stateRef)
	paneContext.current = events && {total: events.total, rows: paneRows - 1, pushes: ring.pushes};
	const pane = events ? (
		<EventPane
			title={
				deps.events
					? paneTitle(state.eventPane, events, filter, ring.size)
					: 'Events: no event feed was given to the UI (e hides)'
			}
			events={events.events}
			height={paneRows}
			width={width}
			focused={state.eventPane.focused}
			resolveName={resolveName}
			color={color}
		/>
	) : null;

	return (
		<Box flexDirection="column" width={width}>
			{header.map((line, i) => (
				<SegmentLine key={i} segments={line} color={color} />
			))}
			{state.prompt ? (
				<PromptLine prompt={state.prompt} matched={matched} width={width} color={color} />
			) : null}
			<Box flexDirection="column" height={bodyHeight}>
				{body}
			</Box>
			{pane}
			<Footer
				scope={scopeOf(state)}
				width={width}
				disabled={disabled}
				message={state.message}
				deleting={state.deleting}
				now={now}
				color={color}
			/>
		</Box>
	);
}

/** The table's last minute as the header's sparklines take it. */
function headerHistory(seconds: readonly TableSecond[]): HeaderHistory {
	return {
		flows: seconds.map((second) => second.flows),
		opened: seconds.map((second) => second.opened),
		closed: seconds.map((second) => second.closed),
	};
}
