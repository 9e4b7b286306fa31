/**
 * The header as styled segments, pure: what the table is, how full it is, how fast it moves,
 * whether the kernel is in trouble, what the view shows, and every reason the numbers might
 * mislead. Each line is built by its own function from `HeaderInfo`; a line is a list of items
 * packed into the width, least important last. One idea (the four header lines), a little
 * past the usual length; it was not split in issue 13.
 */
import type {GroupBy} from '../model/group.js';
import type {Tone} from '../view/flow-cells.js';
import {formatCount} from '../view/format.js';
import {groupDigits, shortDuration, textWidth, truncateEnd} from '../view/text.js';
import type {TroubleFigure} from './kernel-rates.js';
import {sparkline} from './sparkline.js';
import type {SyncState} from './types.js';

/** A run of text in one style. */
export interface Segment {
	readonly text: string;
	readonly color?: Tone;
	readonly bold?: boolean;
	readonly inverse?: boolean;
	readonly dim?: boolean;
}

/** What the header reports. */
export interface HeaderInfo {
	readonly hostname: string;
	readonly netns?: string;
	/**
	 * Rows matching the filter, closed flows still shown (tombstones) included; over all groups
	 * in a grouped view.
	 */
	readonly matched: number;
	/** Live flows in the table. */
	readonly total: number;
	/** Closed flows still shown: `matched` counts them, so the header adds them to `total`. */
	readonly closed: number;
	/** Groups in a grouped view. */
	readonly groups?: number;
	/** The kernel's entry count and limit, from the last stats sample. */
	readonly count?: number;
	readonly max?: number;
	readonly byProtocol: Readonly<Record<string, number>>;
	readonly eventsPerSecond: number;
	/** The kernel's trouble counters since conntop started; undefined before the first sample. */
	readonly trouble?: readonly TroubleFigure[];
	readonly sort: string;
	readonly reverse: boolean;
	readonly group?: GroupBy;
	/** The filter in force, as text. */
	readonly filter?: string;
	readonly paused: boolean;
	readonly tagged: number;
	readonly sync: SyncState;
	/** What the table source cannot do, e.g. "read-only: no conntrack on the router". */
	readonly sourceNote?: string;
	readonly now: number;
	/** nf_conntrack_acct of the namespace shown; undefined until read. */
	readonly accounting?: boolean;
	/** nf_conntrack_timestamp of the namespace shown; undefined until read. */
	readonly timestamps?: boolean;
	/** Offloaded flows on screen. */
	readonly offloaded: number;
	/** Bytes per second through every live flow (both directions), from counter deltas. */
	readonly bytesPerSecond?: number;
	/** The last minute per second, oldest first, for the sparklines. */
	readonly history?: HeaderHistory;
}

/** The table's last minute, one entry a second, oldest first. */
export interface HeaderHistory {
	/** Flows in the table at the end of each second. */
	readonly flows: readonly number[];
	/** Flows that appeared in each second. */
	readonly opened: readonly number[];
	/** Flows that left in each second. */
	readonly closed: readonly number[];
}

type Item = readonly Segment[];

function itemWidth(item: Item): number {
	let width = 0;
	for (const segment of item) width += textWidth(segment.text);
	return width;
}

/**
 * Packs items into one line with two spaces between. Past the first item that does not fit,
 * `prefix` stops, so figures whose width changes can only cut the line's end and never let a
 * later, narrower item take their place (the line would flicker between them); `skip` goes on
 * with the items that fit, for warnings where each one matters.
 */
function pack(items: readonly Item[], width: number, mode: 'prefix' | 'skip'): Segment[] {
	const line: Segment[] = [];
	let used = 0;
	for (const item of items) {
		const gap = line.length > 0 ? 2 : 0;
		const w = itemWidth(item);
		if (used + gap + w > width) {
			if (line.length > 0) {
				if (mode === 'prefix') break;
				continue;
			}

			// A first item wider than the line is cut rather than lost (a long error).
			let room = width;
			for (const segment of item) {
				const text = truncateEnd(segment.text, room);
				room -= textWidth(text);
				if (text) line.push({...segment, text});
			}

			used = width;
			continue;
		}

		if (gap) line.push({text: '  '});
		line.push(...item);
		used += gap + w;
	}

	return line;
}

/** The fill bar's colour: warning from 80%, alarm from 95%. */
export function fillTone(count: number, max: number): Tone {
	const ratio = count / max;
	if (ratio >= 0.95) return 'red';
	if (ratio >= 0.8) return 'yellow';
	return undefined;
}

function fillItem(count: number, max: number | undefined): Item {
	if (max === undefined || max <= 0) return [{text: `entries ${groupDigits(count)}`}];
	const cells = 10;
	const filled = Math.min(cells, Math.round((count / max) * cells));
	const percent = Math.floor((count / max) * 100);
	const tone = fillTone(count, max);
	// The marker keeps the warning readable without colour.
	const marker = tone === 'red' ? ' FULL' : tone === 'yellow' ? ' !' : '';
	return [
		{text: '['},
		{text: '#'.repeat(filled), color: tone ?? 'green'},
		{text: '-'.repeat(cells - filled), dim: true},
		{text: `] ${groupDigits(count)}/${groupDigits(max)} ${percent}%`},
		...(marker ? [{text: marker, color: tone, bold: true}] : []),
	];
}

function rate(value: number): string {
	if (value === 0) return '0';
	if (value < 10) return value.toFixed(1).replace(/\.0$/, '');
	return groupDigits(value);
}

/** The status line of the sync: resyncs, how long ago and why. */
function resyncItem(sync: SyncState, now: number): Item | undefined {
	if (sync.resyncs === 0 || !sync.lastResync) return undefined;
	const ago = shortDuration((now - sync.lastResync.time) / 1000);
	return [{text: `resyncs ${sync.resyncs}, last ${ago} ago (${sync.lastResync.reason})`}];
}

/**
 * How fresh the figures are: the rows on screen are re-read every tick, the rest only by the
 * background re-read, whose age and period this says.
 */
function syncNote(sync: SyncState, now: number): Item {
	const parts: string[] = [];
	if (sync.reading) parts.push('reading the table');
	if (sync.lastDump !== undefined) {
		const age = `counters ${shortDuration((now - sync.lastDump) / 1000)} old`;
		const every = sync.refreshEveryMs;
		parts.push(
			every === undefined
				? `${age}, background re-read off`
				: `${age}, refreshed every ${shortDuration(every / 1000)}${sync.refreshAuto ? '' : ' (--resync)'}`,
		);
	}

	if (sync.lastReread !== undefined && now - sync.lastReread < 5000)
		parts.push('rows on screen live');

	if (!sync.eventsDown) parts.push('following events');
	if (sync.skipped > 0) parts.push(`${sync.skipped} malformed messages skipped`);
	return [{text: parts.join(', '), dim: true}];
}

/** How many lines `headerLines` returns, whatever the content: the table never jumps. */
export const headerHeight = 4;

/**
 * Line 1, what is shown and how full the table is: name, host and namespace, flows matching
 * over flows in the table (both counting closed flows still shown), the kernel's fill bar, and
 * how many of the flows are closed.
 */
function identityLine(info: HeaderInfo): Item[] {
	const count = info.count ?? info.total;
	const host = info.netns ? `${info.hostname} [netns ${info.netns}]` : info.hostname;
	const rows = info.total + info.closed;
	const flows =
		info.groups === undefined
			? `flows ${groupDigits(info.matched)}/${groupDigits(rows)}`
			: `groups ${groupDigits(info.groups)} of ${groupDigits(info.matched)} flows`;
	const items: Item[] = [
		[{text: 'conntop', bold: true}],
		[{text: host}],
		[{text: flows}],
		fillItem(count, info.max),
	];
	if (info.history && info.history.flows.length > 1) {
		// Scaled to the table's limit when known: a flat line at the top would say "full".
		const fill = sparkline(squeeze(info.history.flows, historyWidth), info.max);
		items.push([{text: fill.padStart(historyWidth), color: 'green'}]);
	}

	if (info.closed > 0) items.push([{text: `${groupDigits(info.closed)} closed`, dim: true}]);
	return items;
}

/** Protocols in the order the header lists them; others follow by name. */
const protocolOrder = ['tcp', 'udp', 'icmp', 'icmpv6', 'sctp', 'dccp', 'udplite', 'gre'];

/** Columns of the header's sparklines: the last minute, four seconds a column. */
const historyWidth = 15;

/**
 * The last minute's seconds as `width` columns, each the mean of its share (4 s at 15), the
 * newest column last; fewer seconds than that leave fewer columns.
 */
function squeeze(values: readonly number[], width: number): number[] {
	const per = Math.max(1, Math.ceil(60 / width));
	const out: number[] = [];
	for (let end = values.length; end > 0 && out.length < width; end -= per) {
		const slice = values.slice(Math.max(0, end - per), end);
		out.unshift(slice.reduce((sum, value) => sum + value, 0) / slice.length);
	}

	return out;
}

/** The table's byte rate is padded to this many columns, as the events rate is. */
const bytesWidth = '999.9MB/s'.length;

/** The events rate is padded to this many columns so its changing width moves nothing after it. */
const eventsWidth = 'events/s 99,999'.length;

/**
 * The kernel's trouble counters as one item: the totals since conntop started (a burst stays
 * readable after the rate falls to 0, and matches a `conntrack -S` delta), with the rate beside
 * them while they rise, red while a rise is recent.
 */
function troubleItem(figures: readonly TroubleFigure[]): Item {
	const risen = figures.filter((figure) => figure.sinceStart > 0);
	if (risen.length === 0) return [{text: 'no drops or invalid since start', dim: true}];
	const item: Segment[] = [{text: 'since start:', dim: true}];
	for (const figure of risen) {
		const now = figure.perSecond ? ` +${rate(figure.perSecond)}/s` : '';
		item.push({
			text: ` ${figure.name} ${groupDigits(figure.sinceStart)}${now}`,
			color: figure.burst ? 'red' : 'yellow',
			bold: figure.burst,
		});
	}

	return item;
}

/**
 * Line 2, how the table moves: events per second, kernel trouble, then live flows per
 * protocol in a fixed order (tcp and udp always), so at any width the same items show.
 */
function activityLine(info: HeaderInfo): Item[] {
	const events = `events/s ${rate(info.eventsPerSecond)}`;
	const items: Item[] = [[{text: events.padEnd(eventsWidth)}]];
	if (info.trouble) items.push(troubleItem(info.trouble));
	if (info.bytesPerSecond !== undefined) {
		items.push([{text: `${formatCount(info.bytesPerSecond)}B/s`.padEnd(bytesWidth)}]);
	}

	if (info.history && info.history.opened.length > 1) {
		const opened = squeeze(info.history.opened, historyWidth);
		const closed = squeeze(info.history.closed, historyWidth);
		// One scale for both, so a minute of churn reads as balanced or not at a glance; padded so
		// the first minute's growing lines move nothing after them.
		const top = Math.max(1, ...opened, ...closed);
		items.push([
			{text: 'new ', dim: true},
			{text: sparkline(opened, top).padStart(historyWidth), color: 'green'},
			{text: ' closed ', dim: true},
			{text: sparkline(closed, top).padStart(historyWidth), color: 'red'},
		]);
	}

	const names = new Set(['tcp', 'udp', ...Object.keys(info.byProtocol)]);
	const ordered = [
		...protocolOrder.filter((name) => names.has(name)),
		...[...names].filter((name) => !protocolOrder.includes(name)).sort(),
	];
	for (const name of ordered) {
		items.push([{text: `${name} ${groupDigits(info.byProtocol[name] ?? 0)}`, dim: true}]);
	}

	return items;
}

/** Line 3, the view: PAUSED first, sort, filter, group, tags, resyncs. */
function viewLine(info: HeaderInfo): Item[] {
	const items: Item[] = [];
	if (info.paused) items.push([{text: 'PAUSED', inverse: true, bold: true, color: 'yellow'}]);
	items.push([{text: `sort ${info.sort}${info.reverse ? '↓' : '↑'}`}]);
	items.push(
		info.filter
			? [{text: `filter ${info.filter}`, color: 'cyan'}]
			: [{text: 'no filter', dim: true}],
	);
	if (info.group) items.push([{text: `grouped by ${info.group}`, color: 'cyan'}]);
	if (info.tagged > 0) items.push([{text: `${groupDigits(info.tagged)} tagged`, bold: true}]);
	const resyncs = resyncItem(info.sync, info.now);
	if (resyncs) items.push(resyncs);
	return items;
}

/**
 * Line 4, every reason the numbers might mislead, most serious first, each once: stale table
 * and its error, events not followed, accounting or timestamps off in the namespace (with the
 * sysctl that turns each on), offloaded flows whose counters stop. Empty when all is well.
 */
function warningItems(info: HeaderInfo): Item[] {
	const warnings: Item[] = [];
	if (info.sync.error) {
		warnings.push([
			{text: 'STALE', inverse: true, bold: true, color: 'red'},
			{text: ` ${info.sync.error}`, color: 'red'},
		]);
	}

	if (info.sourceNote) warnings.push([{text: info.sourceNote, color: 'yellow'}]);
	if (info.sync.eventsDown) {
		warnings.push([{text: 'events not followed: only periodic re-reads update', color: 'yellow'}]);
	}

	if (info.accounting === false) {
		warnings.push([
			{text: 'accounting off: sysctl -w net.netfilter.nf_conntrack_acct=1', color: 'yellow'},
		]);
	}

	if (info.timestamps === false) {
		warnings.push([
			{
				text: 'timestamps off: sysctl -w net.netfilter.nf_conntrack_timestamp=1',
				color: 'yellow',
			},
		]);
	}

	if (info.offloaded > 0) {
		warnings.push([{text: `[OFFLOAD] ${info.offloaded} shown: counters stop`, color: 'yellow'}]);
	}

	return warnings;
}

/**
 * The header lines for `info` at `width` columns, always `headerHeight` of them: identity and
 * table fill; event rate, kernel trouble and protocol counts; the view; then the warnings or,
 * when all is well, how fresh the table is.
 */
export function headerLines(info: HeaderInfo, width: number): Segment[][] {
	const warnings = warningItems(info);
	return [
		pack(identityLine(info), width, 'prefix'),
		pack(activityLine(info), width, 'prefix'),
		pack(viewLine(info), width, 'skip'),
		pack(warnings.length > 0 ? warnings : [syncNote(info.sync, info.now)], width, 'skip'),
	];
}
