/**
 * The help screen's text, made from the keymap (so it cannot drift from the keys), the row
 * legend and filter examples; pure, so tests read it without Ink.
 */
import {rowLegend} from '../view/row-marks.js';
import {padCell} from '../view/text.js';
import {helpSections} from './keymap.js';

/** A line of the help screen with its style. */
export interface HelpLine {
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
export function helpLines(disabled: string | undefined): HelpLine[] {
	const lines: HelpLine[] = [];
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
