import assert from 'node:assert/strict';
import {afterEach, describe, test} from 'node:test';
import type {Flow} from '../../source/flow/types.js';
import {pasteIgnoredMessage} from '../../source/ui/input-batch.js';
import {makeFlow} from '../helpers/ui-flows.js';
import {keys, renderApp} from '../helpers/ui-render.js';

const flows: Flow[] = [
	makeFlow({id: 1, src: '10.0.0.1', dst: '8.8.8.8', sport: 5001, dport: 443}),
	makeFlow({id: 2, src: '10.0.0.2', dst: '1.1.1.1', sport: 5002, dport: 80}),
	makeFlow({id: 3, src: '10.0.0.3', dst: '9.9.9.9', sport: 5003, dport: 443}),
];

/** How a terminal in bracketed-paste mode sends pasted text. */
function pasted(text: string): string {
	return `\u001B[200~${text}\u001B[201~`;
}

let app: ReturnType<typeof renderApp> | undefined;
function start(...args: Parameters<typeof renderApp>) {
	app = renderApp(...args);
	return app;
}

afterEach(() => {
	app?.unmount();
	app = undefined;
});

describe("x's question", () => {
	test('x asks with the flow in the question; n and Esc keep it, y deletes it', async () => {
		const ui = start(flows);
		await ui.frame('10.0.0.3:5003');
		ui.press('x');
		const dialog = await ui.frame('Delete tcp 10.0.0.1:5001 → 8.8.8.8:443 ESTABLISHED?');
		assert.match(dialog, /y deletes it, a deletes and stops asking, n or Esc keeps it/);
		ui.press('n');
		await ui.frame('nothing deleted');
		ui.press('x');
		await ui.frame('Delete tcp 10.0.0.1:5001');
		ui.press(keys.escape);
		await ui.frame((t) => !t.includes('Delete tcp'), 'the question closed');
		assert.equal(ui.calls.length, 0);
		ui.press('x');
		await ui.frame('Delete tcp 10.0.0.1:5001');
		ui.press('y');
		await ui.frame('deleted 1, log: /var/log/conntop-test.jsonl');
		assert.deepEqual(
			ui.calls.map((batch) => batch.map((flow) => flow.id)),
			[[1]],
		);
	});

	test('a deletes and stops x asking for the rest of the session; D still asks', async () => {
		const ui = start(flows);
		await ui.frame('10.0.0.3:5003');
		ui.press('x');
		await ui.frame('Delete tcp 10.0.0.1:5001');
		ui.press('a');
		await ui.frame('deleted 1');
		assert.equal(ui.calls.length, 1);
		ui.press('j');
		await ui.frame(() => /10\.0\.0\.2/.test(ui.cursorLine() ?? ''), 'on row 2');
		ui.press('x');
		await ui.frame(() => ui.calls.length === 2, 'the second delete, unasked');
		assert.equal(ui.calls[1][0].id, 2);
		assert.doesNotMatch(ui.text(), /Delete tcp/);
		ui.press(keys.space);
		await ui.frame('1 tagged');
		ui.press('D');
		await ui.frame('Delete 1 flow (the tagged ones)?');
		ui.press('a');
		await ui.frame('a only stops x asking: y deletes these');
		assert.equal(ui.calls.length, 2, 'a is not a yes in the D dialog');
	});

	test('--no-confirm: x deletes at once', async () => {
		const ui = start(flows, {options: {confirm: false}});
		await ui.frame('10.0.0.3:5003');
		ui.press('x');
		await ui.frame('deleted 1');
		assert.equal(ui.calls[0][0].id, 1);
	});
});

describe('pasted input and bursts', () => {
	test('a pasted block deletes, tags and re-sorts nothing, and says it was ignored', async () => {
		const ui = start(flows);
		const before = await ui.frame('10.0.0.3:5003');
		ui.press(pasted('ab xy\r'));
		const after = await ui.frame(pasteIgnoredMessage);
		assert.equal(ui.calls.length, 0);
		assert.doesNotMatch(after, /tagged|Delete /);
		const titles = (text: string) => text.split('\n').find((line) => line.includes('Proto'));
		assert.equal(titles(after), titles(before), 'the sort did not change');
	});

	test('several keys in one read, like send-keys -l "ab x", are ignored when one of them deletes or tags all', async () => {
		const ui = start(flows, {options: {confirm: false}});
		await ui.frame('10.0.0.3:5003');
		ui.press('ab x');
		await ui.frame(pasteIgnoredMessage);
		ui.press('Dy');
		await ui.frame(pasteIgnoredMessage);
		// Ink hands a read over in pieces (text, then each escape sequence): still one read.
		ui.press(`x${keys.down}`);
		await ui.frame(pasteIgnoredMessage);
		assert.equal(ui.calls.length, 0);
		assert.doesNotMatch(ui.text(), /tagged|Delete /);
		assert.match(ui.cursorLine()!, /10\.0\.0\.1/, 'the cursor did not move either');
	});

	test('a burst of harmless keys still goes through, and a lone x after it works', async () => {
		const ui = start(flows);
		await ui.frame('10.0.0.3:5003');
		ui.press('jj');
		await ui.frame(() => /10\.0\.0\.3/.test(ui.cursorLine() ?? ''), 'on row 3');
		ui.press('x');
		await ui.frame('Delete tcp 10.0.0.3:5003');
	});

	test('a paste that spans two reads is ignored whole, and typing works after it', async () => {
		const ui = start(flows);
		await ui.frame('10.0.0.3:5003');
		ui.press('\u001B[200~a');
		await ui.frame(pasteIgnoredMessage);
		ui.press('x\u001B[201~');
		// Writes in one synchronous run are one read to the app: let this one be handled first.
		await new Promise((resolve) => {
			setImmediate(resolve);
		});
		ui.press('j');
		await ui.frame(() => /10\.0\.0\.2/.test(ui.cursorLine() ?? ''), 'on row 2');
		assert.doesNotMatch(ui.text(), /tagged|Delete /);
		assert.equal(ui.calls.length, 0);
	});

	test('text pasted into the filter prompt is typed into it', async () => {
		const ui = start(flows);
		await ui.frame('10.0.0.3:5003');
		ui.press('/');
		await ui.frame('filter ');
		ui.press(pasted('dport:443\n'));
		const text = await ui.frame('2 match');
		assert.match(text, /^filter dport:443 /m, 'the newline is dropped, the prompt stays open');
	});
});
