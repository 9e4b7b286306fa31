/**
 * What covers the table: the help (made from the keymap), a flow's details, and the delete
 * confirmation. Each fills the table's area and no more, so the header and footer stay.
 */
import {Box, Text} from 'ink';
import type {FlowRow} from '../model/table.js';
import type {NameResolver} from '../view/flow-cells.js';
import {rowLegend} from '../view/row-marks.js';
import {padCell, textWidth, truncateEnd} from '../view/text.js';
import {detailLines, type RateHistory} from './detail.js';
import {helpSections} from './keymap.js';
import {paint} from './paint.js';

/** A line of an overlay with its style. */
interface Line {
	readonly text: string;
	readonly bold?: boolean;
	readonly dim?: boolean;
}

const filterExamples: readonly string[] = [
	'src:10.0.0.0/8  src:10.16.3 (is 10.16.3.0/24)  dst:192.168.1.1,192.168.1.2',
	'host:2001:db8::/32  dport:80,443  sport:1024-65535  proto:tcp,udp',
	'state:established  state:unreplied,replied,assured (as the State column shows)',
	'flag:unreplied  nat:snat  nat:203.0.113.1  mark=0x10  zone:1',
	'ttl<30  age>60  bytes>1M  packets>=5  rate>10k  !state:time_wait  any-word',
];

/**
 * The help screen's lines: every binding under its section, its keys and what it does, the
 * deleting ones greyed with `disabled` when they are off; then the row legend; then filter
 * examples.
 */
export function helpLines(disabled: string | undefined): Line[] {
	const lines: Line[] = [];
	for (const section of helpSections()) {
		lines.push({text: section.title, bold: true});
		for (const {keys, binding} of section.entries) {
			const off = binding.dangerous === true && disabled !== undefined;
			const note = off ? `  (${disabled})` : '';
			lines.push({text: `  ${padCell(keys, 16)} ${binding.description}${note}`, dim: off});
		}

		lines.push({text: ''});
	}

	lines.push({text: 'Row marks and colours', bold: true});
	for (const {mark, meaning} of rowLegend())
		lines.push({text: `  ${padCell(mark, 16)} ${meaning}`});
	lines.push({text: ''});
	lines.push({
		text: 'Filter words (all must match; ! negates; a bare word searches the row)',
		bold: true,
	});
	for (const example of filterExamples) lines.push({text: `  ${example}`});
	return lines;
}

/** Props of HelpView. */
export interface HelpViewProps {
	readonly width: number;
	readonly height: number;
	/** First line shown (clamped). */
	readonly scroll: number;
	/** Why deleting is off, if it is. */
	readonly disabled?: string;
	readonly color: boolean;
}

/** The keymap as help, in two columns when the screen is wide enough, scrolled by `scroll`. */
export function HelpView({width, height, scroll, disabled, color}: HelpViewProps) {
	const lines = helpLines(disabled);
	const columnWidth = Math.min(width, Math.max(...lines.map((line) => textWidth(line.text))) + 2);
	const columns = Math.max(1, Math.floor(width / columnWidth));
	const perColumn = Math.ceil(lines.length / columns);
	const visible = Math.max(1, height - 1);
	const top = Math.max(0, Math.min(scroll, perColumn - visible));
	const rows: string[] = [];
	for (let r = 0; r < Math.min(visible, perColumn - top); r++) {
		let row = '';
		for (let c = 0; c < columns; c++) {
			const line = lines[c * perColumn + top + r];
			if (!line) continue;
			const last = c === columns - 1 || !lines[(c + 1) * perColumn + top + r];
			row += paint(padCell(line.text, last ? textWidth(line.text) : columnWidth), line, color);
		}

		rows.push(row);
	}

	const more = top + visible < perColumn ? '  (↓ for more)' : '';
	return (
		<Box flexDirection="column" height={height}>
			<Text>
				{paint(padCell(`conntop keys${more}`, width), {bold: true, inverse: true}, color)}
			</Text>
			{rows.map((row, index) => (
				// eslint-disable-next-line react/no-array-index-key
				<Text key={index} wrap="truncate-end">
					{row}
				</Text>
			))}
		</Box>
	);
}

/** Breaks `text` into lines of at most `width` columns, at spaces where it can. */
export function wrapWords(text: string, width: number): string[] {
	if (width <= 0) return [''];
	const lines: string[] = [];
	let line = '';
	for (const word of text.split(' ')) {
		const candidate = line ? `${line} ${word}` : word;
		if (textWidth(candidate) <= width) {
			line = candidate;
			continue;
		}

		if (line) lines.push(line);
		line = word;
		while (textWidth(line) > width) {
			lines.push(line.slice(0, width));
			line = line.slice(width);
		}
	}

	lines.push(line);
	return lines;
}

/** Props of DetailView. */
export interface DetailViewProps {
	/** The flow's row now, or as last seen when it is gone. */
	readonly row: FlowRow;
	/** The flow left the table (its last known state is shown). */
	readonly gone: boolean;
	readonly width: number;
	readonly height: number;
	readonly resolveName?: NameResolver;
	/** First line shown (clamped). */
	readonly scroll: number;
	readonly color: boolean;
	/** The flow's byte rates over the last minute, for the sparklines; none when gone. */
	readonly history?: RateHistory;
}

/** Every field of one flow, long values wrapped under their label, scrolled by `scroll`. */
export function DetailView({
	row,
	gone,
	width,
	height,
	resolveName,
	scroll,
	color,
	history,
}: DetailViewProps) {
	const labelWidth = 9;
	const lines: string[] = [];
	for (const {label, value} of detailLines(row, resolveName, history)) {
		const wrapped = wrapWords(value, width - labelWidth - 1);
		wrapped.forEach((part, index) => {
			lines.push(`${padCell(index === 0 ? label : '', labelWidth)} ${part}`);
		});
	}

	const visible = Math.max(1, height - 1);
	const top = Math.max(0, Math.min(scroll, lines.length - visible));
	const more = top + visible < lines.length ? '  (↓ for more)' : '';
	const title = `${gone ? 'Flow details: the flow is gone (last seen state)' : 'Flow details'}${more}`;
	return (
		<Box flexDirection="column" height={height}>
			<Text>{paint(padCell(title, width), {bold: true, inverse: true}, color)}</Text>
			{lines.slice(top, top + visible).map((line, index) => (
				// eslint-disable-next-line react/no-array-index-key
				<Text key={index} wrap="truncate-end">
					{paint(line, {dim: gone}, color)}
				</Text>
			))}
		</Box>
	);
}

/** Props of ConfirmView. */
export interface ConfirmViewProps {
	/** How many flows would be deleted. */
	readonly count: number;
	/** One-line summaries of the first few. */
	readonly first: readonly string[];
	/** Where they come from: the flow at the cursor (`x`), the tags, or the filter's text. */
	readonly source:
		{readonly from: 'cursor' | 'tagged'} | {readonly from: 'filter'; readonly filter: string};
	readonly width: number;
	readonly height: number;
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
					// eslint-disable-next-line react/no-array-index-key
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
