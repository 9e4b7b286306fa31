/**
 * The TUI's root component: lays out header, table (or an overlay), event pane and footer for
 * the terminal's size, turns keys into state through `applyInput`, and carries out effects.
 * The table is read at render time, only the rows on screen.
 */
import {Box, Text, useInput} from 'ink';
import {useEffect, useRef, useState} from 'react';
import type {KernelStats} from '../flow/source.js';
import {isOffloaded} from '../flow/status.js';
import type {Flow, FlowEvent} from '../flow/types.js';
import {parseFilter} from '../model/filter.js';
import type {TableSecond} from '../model/history.js';
import {
	chooseColumns,
	chooseGroupColumns,
	formatFlowRow,
	formatGroupRow,
	formatHeaderLine,
	widestEndpoint,
} from '../view/columns.js';
import {stateLabel, stateTone} from '../view/flow-cells.js';
import {padCell} from '../view/text.js';
import {
	deleteDisabledReason,
	deleteFinished,
	flowSummary,
	pruneRemoved,
	scopeOf,
	type Effect,
} from './actions.js';
import {
	EventRing,
	formatEventLine,
	paneHeight,
	paneTitle,
	paneView,
	type PaneContext,
} from './event-log.js';
import {applyInput, PasteTracker, type RawInput} from './input-batch.js';
import {headerHeight, headerLines, type HeaderHistory, type Segment} from './header.js';
import {recordStats, troubleFigures, type TroubleHistory} from './kernel-rates.js';
import {bindings, footerHints, keyLabel} from './keymap.js';
import {ConfirmView, DetailView, HelpView} from './overlays.js';
import {SegmentLine} from './segment-line.js';
import {
	activeFilter,
	initialState,
	promoteFilter,
	resolveView,
	viewTime,
	type ResolvedView,
	type UiState,
} from './state.js';
import {paint} from './paint.js';
import type {SyncState, TuiDeps, TuiOptions} from './types.js';
import {useRedraw} from './use-redraw.js';
import {useTerminalSize} from './use-terminal-size.js';

/** The smallest terminal the TUI draws in; below it, it says so instead of garbling. */
export const minimumSize = {columns: 60, rows: 10} as const;

/**
 * How long a status message stays (ms): sticky ones (delete results, errors) twice as long,
 * to be read, but none for good; the screen's tick clears it.
 */
const messageMs = {plain: 5000, sticky: 10_000} as const;

/** Events the pane keeps. */
const eventCapacity = 500;

const eventTones = {new: 'green', update: undefined, destroy: 'gray'} as const;

/** Props of App. */
export interface AppProps {
	readonly deps: TuiDeps;
	readonly options: TuiOptions;
	/** Called once with the exit code when a quit key is pressed. */
	readonly onExit: (code: number) => void;
	/** Ctrl-L: the output layer must forget what it believes is on the terminal. */
	readonly onRedraw?: () => void;
}

function initial(options: TuiOptions): UiState {
	const parsed = options.filter ? parseFilter(options.filter) : undefined;
	const filter = parsed?.ok && parsed.filter.terms.length > 0 ? parsed.filter : undefined;
	return initialState({
		sort: options.sort,
		reverse: options.reverse,
		group: options.group,
		filter,
		names: options.dns,
		confirmDelete: options.confirm,
	});
}

/** The footer's key hints for what has the keyboard, packed into `width`. */
function hintSegments(state: UiState, width: number, disabled: string | undefined): Segment[] {
	const scope = scopeOf(state);
	const hints =
		scope === 'table'
			? footerHints()
			: bindings
					.filter((b) => b.scope === scope)
					.map((binding) => ({
						key: binding.keys.map(keyLabel).join('/'),
						label: binding.description,
						binding,
					}));
	const segments: Segment[] = [];
	let used = 0;
	for (const {key, label, binding} of hints) {
		const text = `${key} ${label}`;
		const gap = segments.length > 0 ? 2 : 0;
		if (used + gap + text.length > width) break;
		const off = binding.dangerous === true && disabled !== undefined;
		if (gap) segments.push({text: '  '});
		segments.push({text: key, bold: !off, dim: off}, {text: ` ${label}`, dim: true});
		used += gap + text.length;
	}

	return segments;
}

function promptSegments(state: UiState, matched: number, width: number): [Segment[], Segment[]] {
	const prompt = state.prompt!;
	const label = 'filter ';
	// The header counts and names the filter in force; with an error, say once what that is.
	const count = !prompt.error
		? `  ${matched} match`
		: prompt.live
			? '  (the table keeps the last valid filter)'
			: '  (the table shows every flow)';
	const first: Segment[] = [
		{text: label, bold: true},
		{text: prompt.text},
		{text: ' ', inverse: true},
		{text: count, dim: true},
	];
	if (!prompt.error) {
		return [
			first,
			[
				{
					text: 'Enter keeps it, Esc clears it.  e.g. dport:443 src:10.0.0.0/8 !state:time_wait',
					dim: true,
				},
			],
		];
	}

	const {message, position, hint} = prompt.error;
	const caret = Math.min(label.length + position, Math.max(0, width - 10));
	const text = `${' '.repeat(caret)}^ ${message}${hint ? ` (${hint})` : ''}`;
	return [first, [{text: padCell(text, width).trimEnd(), color: 'red'}]];
}

/** The TUI. */
export function App({deps, options, onExit, onRedraw}: AppProps) {
	const size = useTerminalSize();
	const [state, setState] = useState(() => initial(options));
	const stateRef = useRef(state);
	stateRef.current = state;
	const paused = state.pausedAt !== undefined;
	const redraw = useRedraw(options.intervalMs, !paused);
	const [syncStatus, setSyncStatus] = useState<SyncState>(deps.sync.status);
	const stats = useRef<TroubleHistory | undefined>(undefined);
	const ring = useRef(new EventRing(eventCapacity));
	const pageRows = useRef(1);
	const paneContext = useRef<PaneContext | undefined>(undefined);
	const watched = useRef<readonly Flow[]>([]);
	const exited = useRef(false);
	const pendingInput = useRef<RawInput[]>([]);
	const pastes = useRef(new PasteTracker());

	useEffect(() => {
		const {sync} = deps;
		const onChanged = () => {
			if (stateRef.current.pausedAt === undefined) redraw.request();
		};

		const onStatus = (status: SyncState) => {
			setSyncStatus(status);
		};

		const onStats = (sample: KernelStats) => {
			stats.current = recordStats(stats.current, {stats: sample, time: deps.now()});
		};

		sync.on('changed', onChanged);
		sync.on('status', onStatus);
		sync.on('stats', onStats);
		return () => {
			sync.off('changed', onChanged);
			sync.off('status', onStatus);
			sync.off('stats', onStats);
		};
	}, [deps, redraw.request]);

	useEffect(() => {
		const feed = deps.events;
		if (!feed) return;
		const onEvent = (event: FlowEvent) => {
			ring.current.push(event);
			const current = stateRef.current;
			if (current.events && current.pausedAt === undefined) redraw.request();
		};

		feed.on('event', onEvent);
		return () => {
			feed.off('event', onEvent);
		};
	}, [deps, redraw.request]);

	// After every frame, tell the sync which flows are on screen: it re-reads exactly those
	// from the kernel each tick (counters and timeouts change without any event).
	useEffect(() => {
		deps.sync.watch(watched.current);
	});

	useEffect(() => {
		if (state.removed.size === 0) return;
		setState((current) => pruneRemoved(current, deps.table, deps.now()));
	});

	useEffect(() => {
		if (!state.prompt?.next) return;
		// After this frame is on the terminal: the key's echo first, the filter pass after.
		const timer = setTimeout(() => {
			setState((current) => promoteFilter(current));
		}, 0);
		return () => {
			clearTimeout(timer);
		};
	}, [state.prompt]);

	const run = (effect: Effect) => {
		switch (effect.kind) {
			case 'quit':
				if (!exited.current) {
					exited.current = true;
					onExit(effect.code);
				}

				break;
			case 'redraw':
				onRedraw?.();
				redraw.now();
				break;
			case 'resync':
				void Promise.resolve(deps.sync.resync('asked for with R')).catch(() => undefined);
				break;
			case 'delete': {
				const {flows, keys, gone} = effect;
				const finish = (result: Parameters<typeof deleteFinished>[1]) => {
					setState((current) => deleteFinished(current, result, deps.deleteLogPath, deps.now()));
				};

				deps.deleter(flows).then(
					(report) => {
						finish({report, gone, keys});
					},
					(error: unknown) => {
						finish({error: error instanceof Error ? error : new Error(String(error))});
					},
				);
				break;
			}
		}
	};

	const applyRead = (inputs: readonly RawInput[]) => {
		const {state: next, effects} = applyInput(
			stateRef.current,
			pastes.current.split(inputs),
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
	};

	useInput((input, key) => {
		pendingInput.current.push({input, key});
		if (pendingInput.current.length > 1) return;
		// Ink hands one read over as several calls (text runs and escape sequences apart), all
		// before this microtask runs: they are judged together, as the one burst they were.
		queueMicrotask(() => {
			const inputs = pendingInput.current;
			pendingInput.current = [];
			applyRead(inputs);
		});
	});

	const {columns: width, rows} = size;
	const frameRows = rows - 1;
	if (width < minimumSize.columns || rows < minimumSize.rows) {
		return (
			<Text wrap="wrap">
				{`too small: ${width}x${rows}, need ${minimumSize.columns}x${minimumSize.rows} (q quits)`}
			</Text>
		);
	}

	const now = deps.now();
	const at = viewTime(state, now);
	const promptRows = state.prompt ? 2 : 0;
	const available = frameRows - headerHeight - promptRows - 1 - 2;
	const paneRows = state.events ? paneHeight(state.eventPane.size, available) : 0;
	const bodyRows = Math.max(1, available - paneRows);
	pageRows.current = bodyRows;
	const view: ResolvedView = resolveView(state, deps.table, at, bodyRows);
	const {page} = view;
	const totals = deps.table.totals(at);
	const resolveName = state.names ? deps.resolveName : undefined;
	const color = options.color;
	const disabled = deleteDisabledReason(options);

	const flowRows = page.kind === 'flows' ? page.rows : [];
	const onScreen = flowRows.filter((row) => !row.closed).map((row) => row.flow);
	if (state.overlay?.kind === 'detail') {
		const open = deps.table.row(state.overlay.key, at);
		if (open && !open.closed && !onScreen.includes(open.flow)) onScreen.push(open.flow);
	}

	watched.current = onScreen;
	const lastStats = stats.current?.last.stats;
	const header = headerLines(
		{
			hostname: options.hostname,
			netns: options.netns,
			matched: page.kind === 'flows' ? page.total : page.flows,
			total: totals.total,
			closed: totals.closed,
			groups: page.kind === 'groups' ? page.total : undefined,
			count: lastStats?.count,
			max: lastStats?.max,
			byProtocol: totals.byProtocol,
			eventsPerSecond: totals.eventsPerSecond,
			trouble: troubleFigures(stats.current, now),
			sort: state.group === undefined ? state.sort : state.groupSort,
			reverse: state.group === undefined ? state.reverse : state.groupReverse,
			group: state.group,
			// While typing, the filter the rows are selected by: the count beside it is its count.
			filter: activeFilter(state)?.text,
			paused,
			tagged: state.tagged.size,
			// A source without events has only periodic re-reads, whatever the sync was given.
			sync: options.source?.events === false ? {...syncStatus, eventsDown: true} : syncStatus,
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
	const overlay = state.overlay;
	if (overlay?.kind === 'help') {
		body = (
			<HelpView
				width={width}
				height={bodyRows + 1}
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
				height={bodyRows + 1}
				resolveName={resolveName}
				scroll={overlay.scroll}
				color={color}
				history={live ? {samples: deps.table.rateHistory(overlay.key, at), now: at} : undefined}
			/>
		);
	} else if (overlay?.kind === 'confirm') {
		const first: string[] = [];
		for (const key of overlay.keys.slice(0, 8)) {
			const row = deps.table.row(key, at);
			first.push(row ? `${flowSummary(row.flow)} ${stateLabel(row.flow)}` : '(already gone)');
		}

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
				height={bodyRows + 1}
				color={color}
			/>
		);
	} else if (page.kind === 'flows') {
		const columns = chooseColumns(width, {
			counters: state.counters,
			endpoints: widestEndpoint(page.rows),
		});
		const titles = formatHeaderLine(columns, width, {column: state.sort, reverse: state.reverse});
		const empty = state.filter || state.prompt ? 'no flow matches the filter' : 'no flows';
		body = (
			<>
				<Text wrap="truncate-end">{paint(titles, {bold: true}, color)}</Text>
				{page.rows.map((row, i) => {
					const removed = state.removed.has(row.key);
					const line = formatFlowRow(row, columns, width, {
						resolveName,
						tagged: state.tagged.has(row.key),
						removed,
					});
					const gone = row.closed || removed;
					const style = {
						color: gone ? undefined : stateTone(stateLabel(row.flow)),
						inverse: view.top + i === view.index,
						bold: row.isNew && !gone,
						dim: gone,
					};
					return (
						// Rows are positional: the text node is reused as rows scroll through it.
						// eslint-disable-next-line react/no-array-index-key
						<Text key={i} wrap="truncate-end">
							{paint(line, style, color)}
						</Text>
					);
				})}
				{page.total === 0 ? <Text>{paint(empty, {dim: true}, color)}</Text> : null}
			</>
		);
	} else {
		const columns = chooseGroupColumns(width, state.group!);
		const titles = formatHeaderLine(columns, width, {
			column: state.groupSort,
			reverse: state.groupReverse,
		});
		body = (
			<>
				<Text wrap="truncate-end">{paint(titles, {bold: true}, color)}</Text>
				{page.rows.map((row, i) => (
					// eslint-disable-next-line react/no-array-index-key
					<Text key={i} wrap="truncate-end">
						{paint(
							formatGroupRow(row, columns, width),
							{inverse: view.top + i === view.index},
							color,
						)}
					</Text>
				))}
				{page.total === 0 ? <Text>{paint('no flows to group', {dim: true}, color)}</Text> : null}
			</>
		);
	}

	const filter = activeFilter(state);
	const events =
		paneRows > 0 ? paneView(ring.current, state.eventPane, filter, at, paneRows - 1) : undefined;
	paneContext.current = events && {
		total: events.total,
		rows: paneRows - 1,
		pushes: ring.current.pushes,
	};
	const title = !events
		? ''
		: deps.events
			? paneTitle(state.eventPane, events, filter, ring.current.size)
			: 'Events: no event feed was given to the UI (e hides)';
	const pane = events ? (
		<Box flexDirection="column" height={paneRows}>
			<Text wrap="truncate-end">
				{paint(
					padCell(title, width),
					{bold: true, inverse: true, color: state.eventPane.focused ? 'cyan' : undefined},
					color,
				)}
			</Text>
			{events.events.map((event, i) => (
				// eslint-disable-next-line react/no-array-index-key
				<Text key={i} wrap="truncate-end">
					{paint(
						formatEventLine(event, width, resolveName),
						{color: eventTones[event.type]},
						color,
					)}
				</Text>
			))}
		</Box>
	) : null;

	const message = state.message;
	const showMessage =
		message && now - message.time < (message.sticky ? messageMs.sticky : messageMs.plain);
	const status: Segment[] = showMessage
		? [
				{
					text: message.text,
					color:
						message.tone === 'error' ? 'red' : message.tone === 'warning' ? 'yellow' : undefined,
					bold: message.tone !== 'info',
				},
			]
		: state.deleting
			? [{text: 'deleting…'}]
			: [];

	const matched = page.kind === 'flows' ? page.total : page.flows;
	const [promptLine, promptHelp] = state.prompt ? promptSegments(state, matched, width) : [[], []];

	return (
		<Box flexDirection="column" width={width}>
			{header.map((line, i) => (
				// eslint-disable-next-line react/no-array-index-key
				<SegmentLine key={i} segments={line} color={color} />
			))}
			{state.prompt ? (
				<>
					<SegmentLine segments={promptLine} color={color} />
					<SegmentLine segments={promptHelp} color={color} />
				</>
			) : null}
			<Box flexDirection="column" height={bodyRows + 1}>
				{body}
			</Box>
			{pane}
			<SegmentLine segments={hintSegments(state, width, disabled)} color={color} />
			<SegmentLine segments={status} color={color} />
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
