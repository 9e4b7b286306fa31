/**
 * The lines around the table, as styled segments, without Ink: the footer's key hints for
 * what has the keyboard, the status line (the latest message while it lasts, else a running
 * delete), and the filter prompt's two lines (what is typed, then help or the parse error).
 */
import {padCell} from '../view/text.js';
import type {KeyScope} from './actions/dispatch.js';
import type {Segment} from './header.js';
import {keyLabel} from './key-names.js';
import {bindings, footerHints} from './keymap.js';
import type {Message, Prompt} from './state.js';

/**
 * How long a status message stays (ms): sticky ones (delete results, errors) twice as long,
 * to be read, but none for good; the screen's tick clears it.
 */
export const messageMs = {plain: 5000, sticky: 10_000} as const;

/**
 * The footer's key hints for `scope`, packed into `width`; the deleting keys are dimmed when
 * `disabled` says why they are off.
 */
export function hintSegments(
	scope: KeyScope,
	width: number,
	disabled: string | undefined,
): Segment[] {
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

/** The status line at `now`: the message while it lasts, else `deleting…` while one runs. */
export function statusSegments(
	message: Message | undefined,
	deleting: boolean,
	now: number,
): Segment[] {
	const shown =
		message && now - message.time < (message.sticky ? messageMs.sticky : messageMs.plain);
	if (shown) {
		return [
			{
				text: message.text,
				color: message.tone === 'error' ? 'red' : message.tone === 'warning' ? 'yellow' : undefined,
				bold: message.tone !== 'info',
			},
		];
	}

	return deleting ? [{text: 'deleting…'}] : [];
}

/**
 * The prompt's two lines: the typed text with a cursor and the match count, then the help;
 * with a parse error, a caret under where it is and the message in red instead.
 */
export function promptSegments(
	prompt: Prompt,
	matched: number,
	width: number,
): [Segment[], Segment[]] {
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
