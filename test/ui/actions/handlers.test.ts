import assert from 'node:assert/strict';
import {test} from 'node:test';
import {
	globalHandlers,
	handlers,
	type KeyScope,
	type ScopeHandlers,
} from '../../../source/ui/actions/dispatch.js';
import {overlayActions} from '../../../source/ui/actions/overlays.js';
import {bindings, scopeActions, type Scope} from '../../../source/ui/keymap.js';

const scopes = Object.keys(scopeActions) as Scope[];

function handlersOf(scope: Scope): Readonly<Record<string, unknown>> {
	return scope === 'global' ? globalHandlers : handlers[scope];
}

test('every action of every scope has a handler, and no handler is for an action the scope lacks', () => {
	for (const scope of scopes) {
		assert.deepEqual(
			Object.keys(handlersOf(scope)).sort(),
			[...scopeActions[scope]].sort(),
			`handlers of ${scope}`,
		);
		for (const action of scopeActions[scope]) {
			assert.equal(typeof handlersOf(scope)[action], 'function', `${scope}: ${action}`);
		}
	}
});

test("every binding's action is one its scope lists, so it reaches a handler", () => {
	for (const binding of bindings) {
		const listed: readonly string[] = scopeActions[binding.scope];
		assert.ok(listed.includes(binding.action), `${binding.scope}: ${binding.action}`);
		assert.equal(typeof handlersOf(binding.scope)[binding.action], 'function');
	}
});

test('every action a scope lists is bound to a key in that scope', () => {
	for (const scope of scopes) {
		for (const action of scopeActions[scope]) {
			assert.ok(
				bindings.some((binding) => binding.scope === scope && binding.action === action),
				`${scope}: ${action} has no key`,
			);
		}
	}
});

test('a scope whose table leaves out one of its actions does not compile', () => {
	// @ts-expect-error: `up` is one of the help scope's actions and has no handler here.
	const missing: ScopeHandlers<'help'> = {
		close: overlayActions.close,
		down: overlayActions.helpDown,
	};
	const scope: KeyScope = 'help';
	assert.notDeepEqual(Object.keys(missing).sort(), [...scopeActions[scope]].sort());
});
