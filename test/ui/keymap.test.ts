import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {Key} from 'ink';
import {keyNames} from '../../source/ui/key-names.js';
import {
	bindingFor,
	bindings,
	footerHints,
	helpSections,
	type Scope,
} from '../../source/ui/keymap.js';
import {helpLines} from '../../source/ui/help-lines.js';

const noKey: Key = {
	upArrow: false,
	downArrow: false,
	leftArrow: false,
	rightArrow: false,
	pageDown: false,
	pageUp: false,
	home: false,
	end: false,
	return: false,
	escape: false,
	ctrl: false,
	shift: false,
	tab: false,
	backspace: false,
	delete: false,
	meta: false,
	super: false,
	hyper: false,
	capsLock: false,
	numLock: false,
};

test('no key is bound twice in one scope, and global keys are bound nowhere else', () => {
	const seen = new Map<string, string>();
	for (const binding of bindings) {
		for (const key of binding.keys) {
			const id = `${binding.scope}:${key}`;
			assert.ok(
				!seen.has(id),
				`${key} is bound to ${seen.get(id)} and ${binding.action} in ${binding.scope}`,
			);
			seen.set(id, binding.action);
		}
	}

	const globals = bindings.filter((b) => b.scope === 'global').flatMap((b) => b.keys);
	for (const binding of bindings.filter((b) => b.scope !== 'global')) {
		for (const key of binding.keys) assert.ok(!globals.includes(key), `${key} is global`);
	}
});

test('every binding is on the help screen with its description', () => {
	const sections = helpSections();
	const listed = sections.flatMap((section) => section.entries.map((entry) => entry.binding));
	assert.deepEqual(new Set(listed), new Set(bindings));
	const text = helpLines(undefined)
		.map((line) => line.text)
		.join('\n');
	for (const binding of bindings)
		assert.ok(text.includes(binding.description), binding.description);
});

test('deleting bindings are greyed in the help when deleting is disabled', () => {
	const lines = helpLines('read-only: deleting is disabled');
	const dangerous = bindings.filter((b) => b.dangerous);
	assert.ok(dangerous.length >= 3);
	for (const binding of dangerous) {
		const line = lines.find((l) => l.text.includes(binding.description))!;
		assert.equal(line.dim, true, binding.description);
		assert.match(line.text, /read-only/);
	}

	const quiet = lines.find((l) => l.text.includes('sort by the next column'))!;
	assert.notEqual(quiet.dim, true);
});

test('the iptstate keys are where iptstate users expect them', () => {
	const expect: Array<[string, string]> = [
		['b', 'sortNext'],
		['B', 'sortPrevious'],
		['r', 'reverse'],
		['x', 'delete'],
		['p', 'pause'],
		['h', 'help'],
		['?', 'help'],
		['q', 'quit'],
		['n', 'names'],
		['c', 'counters'],
		['/', 'filter'],
		['space', 'tag'],
		['D', 'deleteTagged'],
		['g', 'group'],
		['e', 'events'],
		['enter', 'open'],
		['j', 'down'],
		['k', 'up'],
	];
	for (const [key, action] of expect) assert.equal(bindingFor('table', key)?.action, action, key);
	const scopes: Array<Exclude<Scope, 'global'>> = ['table', 'filter', 'help', 'detail', 'confirm'];
	for (const scope of scopes) assert.equal(bindingFor(scope, 'ctrl+c')?.action, 'interrupt');
	for (const scope of ['help', 'detail', 'confirm'] as const) {
		assert.equal(bindingFor(scope, 'escape')?.action, 'close', scope);
	}
});

test('every footer hint is ordered and quit and help come first', () => {
	const hints = footerHints();
	assert.deepEqual(
		hints.slice(0, 2).map((h) => h.binding.action),
		['quit', 'help'],
	);
	assert.equal(hints.length, bindings.filter((b) => b.hint && b.scope === 'table').length);
});

test('keyNames splits fast typing into keys and names the special ones', () => {
	assert.deepEqual(keyNames('jjk', noKey), ['j', 'j', 'k']);
	assert.deepEqual(keyNames('', {...noKey, downArrow: true}), ['down']);
	assert.deepEqual(keyNames('', {...noKey, delete: true}), ['backspace']);
	assert.deepEqual(keyNames('l', {...noKey, ctrl: true}), ['ctrl+l']);
	assert.deepEqual(keyNames('ab\r', noKey), ['a', 'b', 'enter']);
	assert.deepEqual(keyNames(' ', noKey), ['space']);
	assert.deepEqual(keyNames('x', {...noKey, meta: true}), []);
});

test("iptstate's own keys for counters, DNS names and paging work in the table too", () => {
	const iptstate: Array<[string, string]> = [
		['C', 'counters'],
		['l', 'names'],
		['ctrl+d', 'pageDown'],
		['ctrl+u', 'pageUp'],
	];
	for (const [key, action] of iptstate) assert.equal(bindingFor('table', key)?.action, action, key);
});
