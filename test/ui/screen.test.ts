import assert from 'node:assert/strict';
import {EventEmitter} from 'node:events';
import {describe, test} from 'node:test';
import {
	Screen,
	diffLine,
	enterSequence,
	leaveSequence,
	parseCells,
} from '../../source/ui/screen.js';

class FakeTerminal extends EventEmitter {
	output = '';
	constructor(
		public columns = 40,
		public rows = 10,
	) {
		super();
	}

	write(chunk: string): boolean {
		this.output += chunk;
		return true;
	}

	take(): string {
		const out = this.output;
		this.output = '';
		return out;
	}
}

/** A tiny terminal emulator: enough of CUP, EL, ED and SGR to check what the screen shows. */
function emulate(output: string, columns: number, rows: number): string[] {
	const grid = Array.from({length: rows}, () => Array.from({length: columns}, () => ' '));
	let row = 0;
	let col = 0;
	// eslint-disable-next-line no-control-regex -- CSI sequences, which start with ESC, and the text between
	const pattern = /\u001B\[([\d;?]*)([A-Za-z])|([^\u001B])/g;
	for (const match of output.matchAll(pattern)) {
		if (match[3] !== undefined) {
			if (row < rows && col < columns) grid[row][col] = match[3];
			col++;
			continue;
		}

		const [, parameters, command] = match;
		if (command === 'H') {
			const [r, c] = parameters.split(';').map(Number);
			row = (r || 1) - 1;
			col = (c || 1) - 1;
		} else if (command === 'K') {
			for (let c = col; c < columns; c++) grid[row][c] = ' ';
		} else if (command === 'J' && parameters === '2') {
			for (const line of grid) line.fill(' ');
		}
	}

	return grid.map((line) => line.join('').trimEnd());
}

describe('Screen', () => {
	test('enter switches to the alternate screen and leave restores it and the cursor', () => {
		const terminal = new FakeTerminal();
		const screen = new Screen(terminal);
		screen.enter();
		assert.ok(terminal.take().startsWith(enterSequence));
		screen.leave();
		assert.equal(terminal.take(), leaveSequence);
		assert.match(leaveSequence, /\?1049l/);
		assert.match(leaveSequence, /\?25h/);
	});

	test('a frame that did not change writes nothing', () => {
		const terminal = new FakeTerminal();
		const screen = new Screen(terminal);
		screen.enter();
		screen.write('hello\nworld');
		terminal.take();
		screen.write('hello\nworld');
		assert.equal(terminal.take(), '');
	});

	test('only the changed characters are written, after a cursor move', () => {
		const terminal = new FakeTerminal();
		const screen = new Screen(terminal, {synchronized: false});
		screen.enter();
		screen.write('tcp 10.0.0.1:443  4:59\nudp 10.0.0.2:53   0:30');
		terminal.take();
		screen.write('tcp 10.0.0.1:443  4:58\nudp 10.0.0.2:53   0:29');
		const out = terminal.take();
		assert.equal(out, '\u001B[1;22H8\u001B[2;21H29');
	});

	test('what the terminal shows after many diffs equals the last frame', () => {
		const terminal = new FakeTerminal(30, 6);
		const screen = new Screen(terminal, {synchronized: false});
		screen.enter();
		let all = terminal.take();
		const frames = [
			'alpha\nbeta\ngamma delta',
			'alpha!\nbet\ngamma DELTA\nnew line',
			'\u001B[7mALPHA\u001B[27m\n\nga\nnew line longer',
			'x',
		];
		for (const frame of frames) {
			screen.write(frame);
			all += terminal.take();
			const shown = emulate(all, 30, 6);
			// eslint-disable-next-line no-control-regex -- SGR escapes start with ESC
			const expected = frame.replace(/\u001B\[[\d;]*m/g, '').split('\n');
			for (let r = 0; r < 6; r++) assert.equal(shown[r], expected[r] ?? '', `row ${r} of ${frame}`);
		}
	});

	test('a style change alone repaints the cells with their new style', () => {
		const before = parseCells('ab', 10);
		const after = parseCells('\u001B[7mab\u001B[27m', 10);
		assert.deepEqual(diffLine(0, before, after), {
			out: '\u001B[1;1H\u001B[0;7mab',
			style: '\u001B[0;7m',
		});
	});

	test('rows of one style share one SGR sequence', () => {
		const terminal = new FakeTerminal();
		const screen = new Screen(terminal, {synchronized: false});
		screen.enter();
		screen.write('\u001B[32mrow 1 4:59\u001B[39m\n\u001B[32mrow 2 4:59\u001B[39m');
		terminal.take();
		screen.write('\u001B[32mrow 1 4:58\u001B[39m\n\u001B[32mrow 2 4:58\u001B[39m');
		assert.equal(terminal.take(), '\u001B[1;10H\u001B[0;32m8\u001B[2;10H8\u001B[0m');
	});

	test('after a resize the next frame repaints everything and resize is passed on', () => {
		const terminal = new FakeTerminal();
		const screen = new Screen(terminal);
		screen.enter();
		screen.write('abc');
		terminal.take();
		let resized = 0;
		screen.on('resize', () => resized++);
		terminal.columns = 50;
		terminal.emit('resize');
		assert.equal(resized, 1);
		assert.equal(screen.columns, 50);
		screen.write('abc');
		// eslint-disable-next-line no-control-regex -- ED 2 (clear screen) starts with ESC
		assert.match(terminal.take(), /\u001B\[2J.*abc/);
	});

	test('frames after leave are dropped so the main screen stays clean', () => {
		const terminal = new FakeTerminal();
		const screen = new Screen(terminal);
		screen.enter();
		screen.leave();
		terminal.take();
		screen.write('last frame');
		assert.equal(terminal.take(), '');
	});

	test('lines are cut at the terminal width and frames at its height', () => {
		const terminal = new FakeTerminal(5, 2);
		const screen = new Screen(terminal, {synchronized: false});
		screen.enter();
		terminal.take();
		screen.write('abcdefgh\nij\nkl');
		const shown = emulate(terminal.take(), 5, 2);
		assert.deepEqual(shown, ['abcde', 'ij']);
	});

	test('wide characters take two cells', () => {
		const cells = parseCells('a中b', 10);
		assert.deepEqual(cells.chars, ['a', '中', '', 'b']);
	});
});
