/**
 * Width-aware string helpers for fixed-width cells. Nearly everything shown is ASCII
 * (addresses, numbers, state names) or one of the view's own one-column marks (the ellipsis,
 * the sort arrows), so the common case never pays for `string-width`; DNS names and other
 * text take the slow path. `string-width` is not even loaded until such text turns up: its
 * load took ~35 ms of a ~150 ms `--once` (docs/facts.md#loading-string-width).
 */
import {createRequire} from 'node:module';

/** The one-column character that marks shortened text. */
export const ellipsis = '…';

// Printable ASCII plus the view's own marks (ellipsis, sort arrows): one column per UTF-16 unit,
// as string-width measures them.
const narrowText = /^[\u0020-\u007e…↑↓]*$/;

/** `string-width`'s measure, once something needed it. */
let stringWidth: ((text: string) => number) | undefined;

/**
 * Resolves once `textWidth` and the helpers can measure any text synchronously. Where Node
 * can `require()` an ES module (20.19+, 22.12+) that is at once: `string-width` loads itself
 * the first time it is needed. Older Node loads it here. Await it before drawing.
 */
export async function textWidthReady(): Promise<void> {
	if (stringWidth || process.features.require_module) return;
	stringWidth = (await import('string-width')).default;
}

/** Columns of text outside `narrowText`, loading `string-width` when first asked. */
function wideWidth(text: string): number {
	if (!stringWidth) {
		if (!process.features.require_module)
			throw new Error('conntop: text width asked before textWidthReady() resolved');
		const require = createRequire(import.meta.url);
		stringWidth = (require('string-width') as {default: (text: string) => number}).default;
	}

	return stringWidth(text);
}

/** Columns `text` takes on a terminal (no escape sequences expected). */
export function textWidth(text: string): number {
	return narrowText.test(text) ? text.length : wideWidth(text);
}

/** The longest prefix of `text` at most `width` columns wide. */
function headByWidth(text: string, width: number): string {
	if (narrowText.test(text)) return text.slice(0, width);
	let used = 0;
	let out = '';
	for (const char of text) {
		const w = wideWidth(char);
		if (used + w > width) break;
		used += w;
		out += char;
	}

	return out;
}

/** The longest suffix of `text` at most `width` columns wide. */
function tailByWidth(text: string, width: number): string {
	if (narrowText.test(text)) return width <= 0 ? '' : text.slice(-width);
	const chars = [...text];
	let used = 0;
	let out = '';
	for (let i = chars.length - 1; i >= 0; i--) {
		const w = wideWidth(chars[i]);
		if (used + w > width) break;
		used += w;
		out = chars[i] + out;
	}

	return out;
}

/** `text` cut to `width` columns, ending in an ellipsis when something was cut. */
export function truncateEnd(text: string, width: number): string {
	if (width <= 0) return '';
	if (textWidth(text) <= width) return text;
	return headByWidth(text, width - 1) + ellipsis;
}

/**
 * `text` cut to `width` columns by dropping its middle (`2001:db8:…:17`): both ends of an
 * address or a host name carry the meaning, the middle rarely does.
 */
export function shortenMiddle(text: string, width: number): string {
	if (width <= 0) return '';
	if (textWidth(text) <= width) return text;
	if (width === 1) return ellipsis;
	const head = Math.ceil((width - 1) / 2);
	return headByWidth(text, head) + ellipsis + tailByWidth(text, width - 1 - head);
}

/** `text` padded with spaces to exactly `width` columns (cut at the end if wider). */
export function padCell(text: string, width: number, align: 'left' | 'right' = 'left'): string {
	// Measured once when it fits (most cells): --once pads a million rows' cells.
	let fitted = text;
	let used = textWidth(text);
	if (used > width) {
		fitted = truncateEnd(text, width);
		used = textWidth(fitted);
	}

	const gap = width - used;
	if (gap <= 0) return fitted;
	return align === 'left' ? fitted + ' '.repeat(gap) : ' '.repeat(gap) + fitted;
}

/** A count with thousands separators (`262,144`), for header figures people compare. */
export function groupDigits(value: number): string {
	const whole = Math.round(value);
	const text = String(Math.abs(whole)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
	return whole < 0 ? `-${text}` : text;
}

/** A duration in seconds as people say it: `5s`, `3m`, `2h`, `4d`. */
export function shortDuration(seconds: number): string {
	const s = Math.max(0, Math.floor(seconds));
	if (s < 60) return `${s}s`;
	if (s < 3600) return `${Math.floor(s / 60)}m`;
	if (s < 86_400) return `${Math.floor(s / 3600)}h`;
	return `${Math.floor(s / 86_400)}d`;
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
