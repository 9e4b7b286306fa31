/**
 * The one keymap (k9s builds hints from its action map; htop keeps two hand-synced lists and
 * they drift). The input handler, the footer hints and the help screen are all made from
 * `bindings`; a test checks every binding is in the help and no key is bound twice. One idea
 * past the usual length: the table is long because every key is one entry in it.
 */
import {keyLabel} from './key-names.js';

/**
 * Where a binding applies: `table` is the main view (flows or groups, with or without the
 * event pane); `events` the event pane once Tab gave it the keyboard; the others are the
 * overlay or prompt that has the keyboard. `global` keys work everywhere and may not be bound
 * in any other scope.
 */
export type Scope = 'global' | 'table' | 'events' | 'filter' | 'help' | 'detail' | 'confirm';

/**
 * The actions each scope's keys can ask for. The dispatcher keeps a handler for every one of
 * them, typed from this list, so an action added here without a handler does not compile;
 * a binding whose action its scope does not list does not compile either.
 */
export const scopeActions = {
	global: ['interrupt', 'redraw'],
	table: [
		'down',
		'up',
		'pageDown',
		'pageUp',
		'top',
		'bottom',
		'sortNext',
		'sortPrevious',
		'reverse',
		'filter',
		'group',
		'open',
		'counters',
		'names',
		'events',
		'focusEvents',
		'resizeEvents',
		'pause',
		'resync',
		'tag',
		'tagAll',
		'untagAll',
		'delete',
		'deleteTagged',
		'help',
		'quit',
	],
	filter: ['keepFilter', 'clearFilter', 'erase', 'eraseAll', 'down', 'up', 'pageDown', 'pageUp'],
	events: [
		'down',
		'up',
		'pageDown',
		'pageUp',
		'top',
		'bottom',
		'pause',
		'resizeEvents',
		'focusTable',
		'events',
		'filter',
		'help',
		'quit',
	],
	detail: ['close', 'delete', 'down', 'up'],
	confirm: ['confirm', 'confirmAlways', 'close'],
	help: ['close', 'down', 'up'],
} as const satisfies Readonly<Record<Scope, readonly string[]>>;

/** What a key can ask for in `scope`. */
export type ScopeAction<S extends Scope> = (typeof scopeActions)[S][number];

/** Everything a key can ask for. */
export type Action = ScopeAction<Scope>;

/** A binding's fields that do not depend on its scope. */
interface BindingFields {
	/** Key names as `keyNames` makes them: a character (`j`, `G`, `/`) or a name (`enter`, `ctrl+l`). */
	readonly keys: readonly string[];
	/** What it does, for the help screen. */
	readonly description: string;
	/** The help section it is listed under. */
	readonly group: string;
	/** Deletes flows: disabled (and greyed) when read-only or not root. */
	readonly dangerous?: boolean;
	/** A short label for the footer; bindings without one stay out of it. */
	readonly hint?: string;
}

/** A line of the keymap in `scope`: its action is one that scope lists. */
export type BindingIn<S extends Scope> = BindingFields & {
	readonly scope: S;
	readonly action: ScopeAction<S>;
};

/** One line of the keymap. */
export type Binding = {[S in Scope]: BindingIn<S>}[Scope];

/** The keymap, in help order. */
export const bindings: readonly Binding[] = [
	{keys: ['down', 'j'], action: 'down', scope: 'table', group: 'Move', description: 'next row'},
	{keys: ['up', 'k'], action: 'up', scope: 'table', group: 'Move', description: 'previous row'},
	{
		// ^D and ^U page as in iptstate (and less), ^F and ^B as in vi.
		keys: ['pagedown', 'ctrl+f', 'ctrl+d'],
		action: 'pageDown',
		scope: 'table',
		group: 'Move',
		description: 'next page',
	},
	{
		keys: ['pageup', 'ctrl+b', 'ctrl+u'],
		action: 'pageUp',
		scope: 'table',
		group: 'Move',
		description: 'previous page',
	},
	{keys: ['home'], action: 'top', scope: 'table', group: 'Move', description: 'first row'},
	{keys: ['end', 'G'], action: 'bottom', scope: 'table', group: 'Move', description: 'last row'},
	{
		keys: ['b'],
		action: 'sortNext',
		scope: 'table',
		group: 'View',
		description: 'sort by the next column',
		hint: 'sort',
	},
	{
		keys: ['B'],
		action: 'sortPrevious',
		scope: 'table',
		group: 'View',
		description: 'sort by the previous column',
	},
	{
		keys: ['r'],
		action: 'reverse',
		scope: 'table',
		group: 'View',
		description: 'reverse the sort order',
		hint: 'reverse',
	},
	{
		keys: ['/'],
		action: 'filter',
		scope: 'table',
		group: 'View',
		description: 'filter as you type (Enter keeps, Esc clears)',
		hint: 'filter',
	},
	{
		keys: ['g'],
		action: 'group',
		scope: 'table',
		group: 'View',
		description: 'group by source, destination, port, or not',
		hint: 'group',
	},
	{
		keys: ['enter'],
		action: 'open',
		scope: 'table',
		group: 'View',
		description: 'flow details; on a group, filter on it',
		hint: 'details',
	},
	{
		// iptstate's key for counters is C (its c toggles colours); both work here.
		keys: ['c', 'C'],
		action: 'counters',
		scope: 'table',
		group: 'View',
		description: 'show or hide byte and rate counters',
	},
	{
		// iptstate's key for DNS names is l.
		keys: ['n', 'l'],
		action: 'names',
		scope: 'table',
		group: 'View',
		description: 'show DNS names or addresses',
	},
	{
		keys: ['e'],
		action: 'events',
		scope: 'table',
		group: 'View',
		description: 'show or hide the event log (filtered like the table)',
		hint: 'events',
	},
	{
		keys: ['tab'],
		action: 'focusEvents',
		scope: 'table',
		group: 'View',
		description: 'scroll the event log (shows it first)',
	},
	{
		keys: ['E'],
		action: 'resizeEvents',
		scope: 'table',
		group: 'View',
		description: 'event log size: half, most, a third of the screen',
	},
	{
		keys: ['p'],
		action: 'pause',
		scope: 'table',
		group: 'View',
		description: 'pause or resume screen updates',
		hint: 'pause',
	},
	{
		keys: ['R'],
		action: 'resync',
		scope: 'table',
		group: 'View',
		description: 're-read the whole table from the kernel',
	},
	{
		keys: ['space'],
		action: 'tag',
		scope: 'table',
		group: 'Delete',
		description: 'tag or untag the flow',
		hint: 'tag',
	},
	{
		keys: ['a'],
		action: 'tagAll',
		scope: 'table',
		group: 'Delete',
		description: 'tag every flow that matches the filter',
	},
	{keys: ['u'], action: 'untagAll', scope: 'table', group: 'Delete', description: 'untag all'},
	{
		keys: ['x'],
		action: 'delete',
		scope: 'table',
		group: 'Delete',
		description: 'delete the flow at the cursor (asks first, unless --no-confirm)',
		dangerous: true,
		hint: 'delete',
	},
	{
		keys: ['D'],
		action: 'deleteTagged',
		scope: 'table',
		group: 'Delete',
		description: 'delete the tagged flows, or all that match the filter (asks first)',
		dangerous: true,
		hint: 'delete tagged',
	},
	{
		keys: ['h', '?'],
		action: 'help',
		scope: 'table',
		group: 'General',
		description: 'this help',
		hint: 'help',
	},
	{
		keys: ['q'],
		action: 'quit',
		scope: 'table',
		group: 'General',
		description: 'quit',
		hint: 'quit',
	},
	{keys: ['ctrl+c'], action: 'interrupt', scope: 'global', group: 'General', description: 'quit'},
	{
		keys: ['ctrl+l'],
		action: 'redraw',
		scope: 'global',
		group: 'General',
		description: 'redraw the screen',
	},
	{
		keys: ['enter'],
		action: 'keepFilter',
		scope: 'filter',
		group: 'Filter prompt',
		description: 'keep the filter',
	},
	{
		keys: ['escape'],
		action: 'clearFilter',
		scope: 'filter',
		group: 'Filter prompt',
		description: 'clear the filter',
	},
	{
		keys: ['backspace'],
		action: 'erase',
		scope: 'filter',
		group: 'Filter prompt',
		description: 'erase a character',
	},
	{
		keys: ['ctrl+u'],
		action: 'eraseAll',
		scope: 'filter',
		group: 'Filter prompt',
		description: 'erase the whole filter',
	},
	{
		keys: ['down'],
		action: 'down',
		scope: 'filter',
		group: 'Filter prompt',
		description: 'next row of the table, while typing',
	},
	{
		keys: ['up'],
		action: 'up',
		scope: 'filter',
		group: 'Filter prompt',
		description: 'previous row of the table, while typing',
	},
	{
		keys: ['pagedown'],
		action: 'pageDown',
		scope: 'filter',
		group: 'Filter prompt',
		description: 'next page of the table, while typing',
	},
	{
		keys: ['pageup'],
		action: 'pageUp',
		scope: 'filter',
		group: 'Filter prompt',
		description: 'previous page of the table, while typing',
	},
	{
		keys: ['down', 'j'],
		action: 'down',
		scope: 'events',
		group: 'Event log (after Tab)',
		description: 'newer events; past the newest, follow new ones',
	},
	{
		keys: ['up', 'k'],
		action: 'up',
		scope: 'events',
		group: 'Event log (after Tab)',
		description: 'older events (new ones wait below)',
	},
	{
		keys: ['pagedown', 'ctrl+f'],
		action: 'pageDown',
		scope: 'events',
		group: 'Event log (after Tab)',
		description: 'next page',
	},
	{
		keys: ['pageup', 'ctrl+b'],
		action: 'pageUp',
		scope: 'events',
		group: 'Event log (after Tab)',
		description: 'previous page',
	},
	{
		keys: ['home'],
		action: 'top',
		scope: 'events',
		group: 'Event log (after Tab)',
		description: 'oldest event kept',
	},
	{
		keys: ['end', 'G'],
		action: 'bottom',
		scope: 'events',
		group: 'Event log (after Tab)',
		description: 'newest event, and follow new ones',
	},
	{
		keys: ['p', 'space'],
		action: 'pause',
		scope: 'events',
		group: 'Event log (after Tab)',
		description: 'pause or follow the event log',
	},
	{
		keys: ['E'],
		action: 'resizeEvents',
		scope: 'events',
		group: 'Event log (after Tab)',
		description: 'size: half, most, a third of the screen',
	},
	{
		keys: ['tab', 'escape'],
		action: 'focusTable',
		scope: 'events',
		group: 'Event log (after Tab)',
		description: 'back to the table',
	},
	{
		keys: ['e'],
		action: 'events',
		scope: 'events',
		group: 'Event log (after Tab)',
		description: 'hide the event log',
	},
	{
		keys: ['/'],
		action: 'filter',
		scope: 'events',
		group: 'Event log (after Tab)',
		description: 'filter the table and the event log',
	},
	{
		keys: ['h', '?'],
		action: 'help',
		scope: 'events',
		group: 'Event log (after Tab)',
		description: 'this help',
	},
	{
		keys: ['q'],
		action: 'quit',
		scope: 'events',
		group: 'Event log (after Tab)',
		description: 'quit',
	},
	{
		keys: ['escape', 'enter', 'q'],
		action: 'close',
		scope: 'detail',
		group: 'Flow details',
		description: 'back to the table',
	},
	{
		keys: ['x'],
		action: 'delete',
		scope: 'detail',
		group: 'Flow details',
		description: 'delete this flow (asks like x)',
		dangerous: true,
	},
	{
		keys: ['down', 'j'],
		action: 'down',
		scope: 'detail',
		group: 'Flow details',
		description: 'scroll down',
	},
	{
		keys: ['up', 'k'],
		action: 'up',
		scope: 'detail',
		group: 'Flow details',
		description: 'scroll up',
	},
	{
		keys: ['y'],
		action: 'confirm',
		scope: 'confirm',
		group: 'Delete dialog',
		description: 'delete',
		dangerous: true,
	},
	{
		keys: ['a'],
		action: 'confirmAlways',
		scope: 'confirm',
		group: 'Delete dialog',
		description: "x's question: delete, and stop asking until conntop quits",
		dangerous: true,
	},
	{
		keys: ['n', 'escape', 'q'],
		action: 'close',
		scope: 'confirm',
		group: 'Delete dialog',
		description: 'keep them (delete nothing)',
	},
	{
		keys: ['escape', 'h', '?', 'q'],
		action: 'close',
		scope: 'help',
		group: 'Help',
		description: 'close the help',
	},
	{keys: ['down', 'j'], action: 'down', scope: 'help', group: 'Help', description: 'scroll down'},
	{keys: ['up', 'k'], action: 'up', scope: 'help', group: 'Help', description: 'scroll up'},
];

/** The bindings of `scope` by key name. */
function keysIn<S extends Scope>(scope: S): ReadonlyMap<string, BindingIn<S>> {
	const keys = new Map<string, BindingIn<S>>();
	for (const binding of bindings) {
		if (!isIn(binding, scope)) continue;
		for (const key of binding.keys) keys.set(key, binding);
	}

	return keys;
}

function isIn<S extends Scope>(binding: Binding, scope: S): binding is Binding & BindingIn<S> {
	return binding.scope === scope;
}

const byScope: {readonly [S in Scope]: ReadonlyMap<string, BindingIn<S>>} = {
	global: keysIn('global'),
	table: keysIn('table'),
	events: keysIn('events'),
	filter: keysIn('filter'),
	help: keysIn('help'),
	detail: keysIn('detail'),
	confirm: keysIn('confirm'),
};

/** The binding of key `name` in `scope` alone (global keys left out), or undefined. */
export function scopedBinding<S extends Scope>(scope: S, name: string): BindingIn<S> | undefined {
	const keys: ReadonlyMap<string, BindingIn<S>> = byScope[scope];
	return keys.get(name);
}

/** The global binding of key `name` (Ctrl-C, Ctrl-L), or undefined. */
export function globalBinding(name: string): BindingIn<'global'> | undefined {
	return byScope.global.get(name);
}

/** The binding of key `name` in `scope` (global keys first), or undefined. */
export function bindingFor(scope: Exclude<Scope, 'global'>, name: string): Binding | undefined {
	return byScope.global.get(name) ?? byScope[scope].get(name);
}

/** One help section: a group of bindings with their key labels joined (`↓ j`). */
export interface HelpSection {
	readonly title: string;
	readonly entries: ReadonlyArray<{readonly keys: string; readonly binding: Binding}>;
}

/** The help screen's sections, in keymap order, every binding in exactly one. */
export function helpSections(): HelpSection[] {
	const sections: Array<{title: string; entries: Array<{keys: string; binding: Binding}>}> = [];
	for (const binding of bindings) {
		let section = sections.find((s) => s.title === binding.group);
		if (!section) {
			section = {title: binding.group, entries: []};
			sections.push(section);
		}

		section.entries.push({keys: binding.keys.map(keyLabel).join(' '), binding});
	}

	return sections;
}

// The footer is cut at the right edge: the keys a newcomer needs first come first.
const hintOrder: readonly Action[] = [
	'quit',
	'help',
	'filter',
	'sortNext',
	'reverse',
	'group',
	'open',
	'tag',
	'delete',
	'deleteTagged',
	'pause',
	'events',
];

/** The footer's hints, most needed first: key label, short name, binding. */
export function footerHints(): Array<{
	readonly key: string;
	readonly label: string;
	readonly binding: Binding;
}> {
	return bindings
		.filter((b) => b.hint !== undefined && b.scope === 'table')
		.sort((a, b) => hintOrder.indexOf(a.action) - hintOrder.indexOf(b.action))
		.map((binding) => ({key: keyLabel(binding.keys[0]), label: binding.hint!, binding}));
}
