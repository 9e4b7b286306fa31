/**
 * Keys by name: what `useInput` reports, named as the keymap binds them (`j`, `G`, `enter`,
 * `ctrl+l`), and how a name is written on screen (`↑`, `PgDn`, `^L`).
 */
import type {Key} from 'ink';

const arrows: ReadonlyArray<[keyof Key, string]> = [
	['upArrow', 'up'],
	['downArrow', 'down'],
	['leftArrow', 'left'],
	['rightArrow', 'right'],
	['pageUp', 'pageup'],
	['pageDown', 'pagedown'],
	['home', 'home'],
	['end', 'end'],
	['escape', 'escape'],
	['return', 'enter'],
	['tab', 'tab'],
	// Terminals send DEL (0x7f) for the Backspace key, which Ink reports as `delete`.
	['backspace', 'backspace'],
	['delete', 'backspace'],
];

function charName(char: string): string {
	if (char === ' ') return 'space';
	if (char === '\r' || char === '\n') return 'enter';
	if (char === '\t') return 'tab';
	if (char === '\u007f' || char === '\b') return 'backspace';
	const code = char.charCodeAt(0);
	if (code < 32) return `ctrl+${String.fromCharCode(code + 96)}`;
	return char;
}

/**
 * The key names in one input from Ink's `useInput`. Usually one; several when keys arrive in
 * one read (typed fast, pasted, or sent by `tmux send-keys`), one per character, so none is
 * lost. Alt/Meta with a character gives none: an accidental Alt+x must not delete.
 */
export function keyNames(input: string, key: Key): string[] {
	for (const [flag, name] of arrows) if (key[flag] === true) return [name];
	if (key.ctrl && input.length === 1) return [`ctrl+${input.toLowerCase()}`];
	if (key.meta) return [];
	return [...input].map(charName);
}

const keyLabels: Readonly<Record<string, string>> = {
	up: '↑',
	down: '↓',
	pageup: 'PgUp',
	pagedown: 'PgDn',
	home: 'Home',
	end: 'End',
	enter: 'Enter',
	escape: 'Esc',
	space: 'Space',
	backspace: 'Bksp',
	tab: 'Tab',
};

/** How a key name is written on screen: `↑`, `PgDn`, `Esc`, `^L`, `j`. */
export function keyLabel(name: string): string {
	if (name.startsWith('ctrl+')) return `^${name.slice(5).toUpperCase()}`;
	return keyLabels[name] ?? name;
}
