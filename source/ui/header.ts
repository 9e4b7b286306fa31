/**
 * The header as styled segments, pure: what the table is, how full it is, how fast it moves,
 * whether the kernel is in trouble, what the view shows, and every reason the numbers might
 * mislead. Items that do not fit a line are left out, least important last on each line.
 */
import type {GroupBy} from '../model/group.js';
import type {SyncStatus} from '../sync/table-sync.js';
import type {Tone} from './flow-cells.js';
import {troubleCounters} from './kernel-rates.js';
import {groupDigits, shortDuration, textWidth, truncateEnd} from './text.js';

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
	/** Flows matching the filter (tombstones included), over all groups in a grouped view. */
	readonly matched: number;
	/** Live flows in the table. */
	readonly total: number;
	/** Groups in a grouped view. */
	readonly groups?: number;
	/** The kernel's entry count and limit, from the last stats sample. */
	readonly count?: number;
	readonly max?: number;
	readonly byProtocol: Readonly<Record<string, number>>;
	readonly eventsPerSecond: number;
	/** Trouble counters per second; undefined until two stats samples came. */
	readonly trouble?: Readonly<Record<string, number>>;
	readonly sort: string;
	readonly reverse: boolean;
	readonly group?: GroupBy;
	/** The filter in force, as text. */
	readonly filter?: string;
	readonly paused: boolean;
	readonly tagged: number;
	readonly sync: SyncStatus;
	readonly now: number;
	/** No flow on screen has counters: accounting is off. */
	readonly accountingOff: boolean;
	/** Offloaded flows on screen. */
	readonly offloaded: number;
}

type Item = readonly Segment[];

function itemWidth(item: Item): number {
	let width = 0;
	for (const segment of item) width += textWidth(segment.text);
	return width;
}

/** Packs items into one line with two spaces between; those that do not fit are skipped. */
function pack(items: readonly Item[], width: number): Segment[] {
	const line: Segment[] = [];
	let used = 0;
	for (const item of items) {
		const gap = line.length > 0 ? 2 : 0;
		const w = itemWidth(item);
		if (used + gap + w > width) {
			if (line.length > 0) continue;
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
function resyncItem(sync: SyncStatus, now: number): Item | undefined {
	if (sync.resyncs === 0 || !sync.lastResync) return undefined;
	const ago = shortDuration((now - sync.lastResync.time) / 1000);
	return [{text: `resyncs ${sync.resyncs}, last ${ago} ago (${sync.lastResync.reason})`}];
}

function syncNote(sync: SyncStatus, now: number): Item {
	const parts: string[] = [];
	if (sync.lastDump !== undefined) {
		parts.push(`table read ${shortDuration((now - sync.lastDump) / 1000)} ago`);
	}

	if (!sync.eventsDown) parts.push('following events');
	if (sync.skipped > 0) parts.push(`${sync.skipped} malformed messages skipped`);
	return [{text: parts.join(', '), dim: true}];
}

/** How many lines `headerLines` returns, whatever the content: the table never jumps. */
export const headerHeight = 4;

/**
 * The header lines for `info` at `width` columns, always `headerHeight` of them: identity and
 * table fill; event rate, kernel trouble counters and protocol counts; the view (PAUSED first,
 * sort, filter, group, tags, resyncs); then the warnings, most serious first: stale table and
 * its error, events not followed, accounting off (with the sysctl that turns it on), offloaded
 * flows whose counters stop; or, when all is well, how fresh the table is.
 */
export function headerLines(info: HeaderInfo, width: number): Segment[][] {
	const count = info.count ?? info.total;
	const host = info.netns ? `${info.hostname} [netns ${info.netns}]` : info.hostname;
	const flows =
		info.groups === undefined
			? `flows ${groupDigits(info.matched)}/${groupDigits(info.total)}`
			: `groups ${groupDigits(info.groups)} of ${groupDigits(info.matched)} flows`;
	const line1: Item[] = [
		[{text: 'conntop', bold: true}],
		[{text: host}],
		[{text: flows}],
		fillItem(count, info.max),
	];

	const line2: Item[] = [[{text: `${rate(info.eventsPerSecond)} events/s`}]];
	if (info.trouble) {
		for (const name of troubleCounters) {
			const value = info.trouble[name] ?? 0;
			line2.push([{text: `${name} ${rate(value)}/s`, color: value > 0 ? 'red' : undefined}]);
		}
	}

	const protocols = Object.entries(info.byProtocol).sort((a, b) => b[1] - a[1]);
	for (const [name, n] of protocols) line2.push([{text: `${name} ${groupDigits(n)}`, dim: true}]);

	const line3: Item[] = [];
	if (info.paused) line3.push([{text: 'PAUSED', inverse: true, bold: true, color: 'yellow'}]);
	line3.push([{text: `sort ${info.sort}${info.reverse ? '↓' : '↑'}`}]);
	line3.push(
		info.filter
			? [{text: `filter ${info.filter}`, color: 'cyan'}]
			: [{text: 'no filter', dim: true}],
	);
	if (info.group) line3.push([{text: `grouped by ${info.group}`, color: 'cyan'}]);
	if (info.tagged > 0) line3.push([{text: `${groupDigits(info.tagged)} tagged`, bold: true}]);
	const resyncs = resyncItem(info.sync, info.now);
	if (resyncs) line3.push(resyncs);

	const warnings: Item[] = [];
	if (info.sync.error) {
		warnings.push([
			{text: 'STALE', inverse: true, bold: true, color: 'red'},
			{text: ` ${info.sync.error}`, color: 'red'},
		]);
	}

	if (info.sync.eventsDown) {
		warnings.push([{text: 'events not followed: only periodic re-reads update', color: 'yellow'}]);
	}

	if (info.accountingOff) {
		warnings.push([
			{
				text: 'accounting off: sysctl -w net.netfilter.nf_conntrack_acct=1',
				color: 'yellow',
			},
		]);
	}

	if (info.offloaded > 0) {
		warnings.push([{text: `[OFFLOAD] ${info.offloaded} shown: counters stop`, color: 'yellow'}]);
	}

	return [
		pack(line1, width),
		pack(line2, width),
		pack(line3, width),
		pack(warnings.length > 0 ? warnings : [syncNote(info.sync, info.now)], width),
	];
}
