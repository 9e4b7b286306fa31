/**
 * Styles as SGR escapes written into the text, instead of Ink's `color`/`inverse` props:
 * those go through chalk, which turns every style off, inverse and bold included, when
 * `--no-color` is in process.argv or TERM=dumb (its supports-color reads both). The cursor
 * row would vanish under `conntop --no-color`. Here colours follow the `color` option and
 * bold/dim/inverse are always drawn (NO_COLOR allows them).
 */
import type {Tone} from '../view/flow-cells.js';

/** How a run of text is drawn. */
export interface Style {
	readonly color?: Tone;
	readonly bold?: boolean;
	readonly dim?: boolean;
	readonly inverse?: boolean;
}

const colorCodes: Readonly<Record<Exclude<Tone, undefined>, string>> = {
	red: '31',
	green: '32',
	yellow: '33',
	magenta: '35',
	cyan: '36',
	gray: '90',
};

/**
 * `text` wrapped in the SGR sequence of `style` and a reset; unchanged when the style adds
 * nothing. With `color` false no colour code is ever written.
 */
export function paint(text: string, style: Style, color: boolean): string {
	const codes: string[] = [];
	if (style.bold) codes.push('1');
	if (style.dim) codes.push('2');
	if (style.inverse) codes.push('7');
	if (color && style.color) codes.push(colorCodes[style.color]);
	if (codes.length === 0 || text === '') return text;
	return `\u001B[${codes.join(';')}m${text}\u001B[0m`;
}
