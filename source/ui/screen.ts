/**
 * The output layer between Ink and the terminal, an ncurses-style screen: it keeps the frame
 * on the terminal as cells (character + style) and writes only the cells that changed, each
 * run after an absolute cursor move.
 *
 * Why: Ink 6.8 writes every frame whole (~2 KB/s idle at 80x24, ~6.5 KB/s at 200x50, since
 * the TTL column changes every second), and a frame as tall as the terminal makes it clear the
 * screen with ESC[3J each time (docs/facts.md#ink-output-cost, #full-height-frames). Ink is
 * run in `debug` mode, where it hands each frame whole to `write()` with no erase sequences to
 * undo, unthrottled (the app bounds its own redraw rate) and the same with or without `CI`
 * set; this layer diffs the frames.
 * Measured with test/bench/ui.ts at 100k flows: an idle 80x24 screen costs 0.21 KB/s instead
 * of 2.15 KB/s, 200x50 1.0 KB/s instead of 9.8 KB/s (TTL and age both tick there), for the
 * same CPU (~2-4% of a core).
 *
 * It also owns the terminal modes: alternate screen, cursor visibility, and the full repaint
 * after a resize or Ctrl-L. One idea past 350 lines: parsing a frame into cells, diffing it
 * against the last one and writing the runs share one cell buffer and one cursor.
 */
import {EventEmitter} from 'node:events';
import stringWidth from 'string-width';

/** What the screen writes to: a TTY stream, or a fake with `columns` and `rows` in tests. */
export interface ScreenTarget {
	write(chunk: string): unknown;
	readonly columns?: number;
	readonly rows?: number;
	on?(event: 'resize', listener: () => void): unknown;
	off?(event: 'resize', listener: () => void): unknown;
}

const esc = '\u001B[';
/** Alternate screen on, cursor hidden, cleared. */
export const enterSequence = `${esc}?1049h${esc}?25l${esc}H${esc}2J`;
/** Attributes reset, cursor shown, back to the main screen with its scrollback intact. */
export const leaveSequence = `${esc}0m${esc}?25h${esc}?1049l`;
const syncBegin = `${esc}?2026h`;
const syncEnd = `${esc}?2026l`;

// Unchanged cells between two changed runs that are cheaper to rewrite than to skip with a
// cursor move (`ESC[r;cH` is 6-8 bytes).
const mergeGap = 4;

interface Style {
	fg: string;
	bg: string;
	bold: boolean;
	dim: boolean;
	italic: boolean;
	underline: boolean;
	inverse: boolean;
	strike: boolean;
}

function plainStyle(): Style {
	return {
		fg: '',
		bg: '',
		bold: false,
		dim: false,
		italic: false,
		underline: false,
		inverse: false,
		strike: false,
	};
}

/** Applies the parameters of one SGR sequence to `style`. */
function applySgr(style: Style, parameters: string): void {
	const p = parameters === '' ? ['0'] : parameters.split(/[;:]/);
	for (let i = 0; i < p.length; i++) {
		const n = Number(p[i] || '0');
		if (n === 0) Object.assign(style, plainStyle());
		else if (n === 1) style.bold = true;
		else if (n === 2) style.dim = true;
		else if (n === 3) style.italic = true;
		else if (n === 4) style.underline = true;
		else if (n === 7) style.inverse = true;
		else if (n === 9) style.strike = true;
		else if (n === 22) style.bold = style.dim = false;
		else if (n === 23) style.italic = false;
		else if (n === 24) style.underline = false;
		else if (n === 27) style.inverse = false;
		else if (n === 29) style.strike = false;
		else if ((n >= 30 && n <= 37) || (n >= 90 && n <= 97)) style.fg = String(n);
		else if (n === 39) style.fg = '';
		else if ((n >= 40 && n <= 47) || (n >= 100 && n <= 107)) style.bg = String(n);
		else if (n === 49) style.bg = '';
		else if (n === 38 || n === 48) {
			// 38;5;N or 38;2;R;G;B
			const extra = p[i + 1] === '5' ? 2 : p[i + 1] === '2' ? 4 : 0;
			const value = p.slice(i, i + 1 + extra).join(';');
			if (n === 38) style.fg = value;
			else style.bg = value;
			i += extra;
		}
	}
}

/** The one SGR sequence that sets `style` from any state ('' for the default style). */
function sgrOf(style: Style): string {
	const codes: string[] = [];
	if (style.bold) codes.push('1');
	if (style.dim) codes.push('2');
	if (style.italic) codes.push('3');
	if (style.underline) codes.push('4');
	if (style.inverse) codes.push('7');
	if (style.strike) codes.push('9');
	if (style.fg) codes.push(style.fg);
	if (style.bg) codes.push(style.bg);
	return codes.length === 0 ? '' : `${esc}0;${codes.join(';')}m`;
}

/** A line as cells: a character (empty for the right half of a wide one) and its style. */
interface Cells {
	readonly chars: string[];
	readonly styles: string[];
}

// eslint-disable-next-line no-control-regex -- an SGR sequence starts with ESC
const sgrPattern = /\u001B\[([\d;:]*)m/y;
// eslint-disable-next-line no-control-regex -- CSI and OSC sequences: ESC, ended by BEL or ST
const otherEscape = /\u001B(?:\[[\d;:?]*[ -/]*[@-~]|\][^\u0007\u001B]*(?:\u0007|\u001B\\)|.)/y;

/** Splits a rendered line into cells, following its SGR sequences; other escapes are dropped. */
export function parseCells(line: string, width: number): Cells {
	const chars: string[] = [];
	const styles: string[] = [];
	const style = plainStyle();
	let current = '';
	let i = 0;
	while (i < line.length && chars.length < width) {
		const code = line.charCodeAt(i);
		if (code === 0x1b) {
			sgrPattern.lastIndex = i;
			const sgr = sgrPattern.exec(line);
			if (sgr) {
				applySgr(style, sgr[1]);
				current = sgrOf(style);
				i = sgrPattern.lastIndex;
				continue;
			}

			otherEscape.lastIndex = i;
			i = otherEscape.exec(line) ? otherEscape.lastIndex : i + 1;
			continue;
		}

		if (code >= 0x20 && code < 0x7f) {
			chars.push(line[i]);
			styles.push(current);
			i++;
			continue;
		}

		const char = String.fromCodePoint(line.codePointAt(i)!);
		i += char.length;
		const w = stringWidth(char);
		if (w === 0) continue;
		if (w === 2 && chars.length + 2 > width) break;
		chars.push(char);
		styles.push(current);
		if (w === 2) {
			chars.push('');
			styles.push(current);
		}
	}

	return {chars, styles};
}

const noCells: Cells = {chars: [], styles: []};

/** What `diffLine` writes, and the style the terminal is left in. */
export interface LineDiff {
	readonly out: string;
	readonly style: string;
}

/**
 * The escape sequences that turn terminal row `row` (0-based) from `before` into `after`:
 * changed runs (merged across short unchanged gaps), each after a cursor move, styles set
 * only where they change, and the old tail erased when the line got shorter. `style` is the
 * SGR state the terminal is in (cursor moves keep it), so rows of one colour share one SGR.
 */
export function diffLine(row: number, before: Cells, after: Cells, style = ''): LineDiff {
	let out = '';
	const a = after.chars;
	const b = before.chars;
	let i = 0;
	while (i < a.length) {
		if (i < b.length && a[i] === b[i] && after.styles[i] === before.styles[i]) {
			i++;
			continue;
		}

		// A run starts here; back up onto a wide character whose right half changed.
		let start = i;
		if (a[start] === '' && start > 0) start--;
		let end = i + 1;
		let same = 0;
		for (let j = end; j < a.length && same < mergeGap; j++) {
			if (j < b.length && a[j] === b[j] && after.styles[j] === before.styles[j]) {
				same++;
			} else {
				same = 0;
				end = j + 1;
			}
		}

		out += `${esc}${row + 1};${start + 1}H`;
		for (let j = start; j < end; j++) {
			if (a[j] === '') continue;
			if (after.styles[j] !== style) {
				style = after.styles[j];
				out += style || `${esc}0m`;
			}

			out += a[j];
		}

		i = end;
	}

	if (b.length > a.length) {
		// Erasing paints with the current attributes: start from plain ones.
		if (style) out += `${esc}0m`;
		style = '';
		out += `${esc}${row + 1};${a.length + 1}H${esc}K`;
	}

	return {out, style};
}

/**
 * A write stream for Ink (`render(tree, {stdout: screen, debug: true})`) that draws each
 * frame by difference onto `target`. Sizes and 'resize' come from the target. Frames written
 * before `enter()` or after `leave()` are dropped, so Ink's last frame on unmount never lands
 * on the main screen.
 */
export class Screen extends EventEmitter {
	/** Ink checks this to treat the stream as a terminal. */
	readonly isTTY = true;
	/** Bytes handed to the target so far. */
	bytesWritten = 0;
	/** Frames received and frames that changed something. */
	frames = 0;
	private lines: string[] = [];
	private cells: Cells[] = [];
	private active = false;
	private dirty = true;
	private lastFrame = '';

	constructor(
		private readonly target: ScreenTarget,
		private readonly options: {readonly synchronized?: boolean} = {},
	) {
		super();
	}

	/** Terminal width (80 when the target does not say). */
	get columns(): number {
		return this.target.columns || 80;
	}

	/** Terminal height (24 when the target does not say). */
	get rows(): number {
		return this.target.rows || 24;
	}

	/** Switches to the alternate screen, hides the cursor, and starts following resizes. */
	enter(): void {
		if (this.active) return;
		this.active = true;
		this.dirty = true;
		this.emitToTarget(enterSequence);
		this.target.on?.('resize', this.onResize);
	}

	/** Restores the main screen and the cursor. Safe to call more than once. */
	leave(): void {
		if (!this.active) return;
		this.active = false;
		this.target.off?.('resize', this.onResize);
		this.emitToTarget(leaveSequence);
	}

	/** Makes the next frame repaint everything (Ctrl-L, or after something else wrote). */
	invalidate(): void {
		this.dirty = true;
	}

	/** Repaints the last frame now, whole. */
	redraw(): void {
		this.dirty = true;
		if (this.lastFrame) this.draw(this.lastFrame);
	}

	/** Ink's frame output: one whole frame per call (debug mode). */
	write(chunk: string | Uint8Array, ...rest: unknown[]): boolean {
		const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
		const frame = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
		// Ink's resize handler may "clear" an empty log: nothing to draw.
		if (frame !== '') {
			this.lastFrame = frame;
			if (this.active) this.draw(frame);
		}

		callback?.();
		return true;
	}

	private readonly onResize = (): void => {
		this.dirty = true;
		this.emit('resize');
	};

	private draw(frame: string): void {
		this.frames++;
		const width = this.columns;
		const height = this.rows;
		const lines = frame.split('\n');
		if (lines.length > height) lines.length = height;
		let out = '';
		if (this.dirty) {
			out += `${esc}H${esc}2J`;
			this.lines = [];
			this.cells = [];
			this.dirty = false;
		}

		let style = '';
		for (let row = 0; row < Math.max(lines.length, this.lines.length); row++) {
			const line = lines[row];
			if (line === this.lines[row]) continue;
			const after = line === undefined ? noCells : parseCells(line, width);
			const diff = diffLine(row, this.cells[row] ?? noCells, after, style);
			out += diff.out;
			style = diff.style;
			this.cells[row] = after;
		}

		if (style) out += `${esc}0m`;
		this.lines = lines;
		this.cells.length = lines.length;
		if (out === '') return;
		this.emitToTarget(this.options.synchronized === false ? out : syncBegin + out + syncEnd);
	}

	private emitToTarget(text: string): void {
		this.bytesWritten += Buffer.byteLength(text);
		this.target.write(text);
	}
}
