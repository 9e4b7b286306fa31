/**
 * Keys as they arrive. One stdin read may carry several (typed fast, pasted, sent by `tmux
 * send-keys`), and a terminal in bracketed-paste mode marks pasted text. Neither may delete:
 * a clipboard holding "ab x" would otherwise tag every flow, re-sort and delete one. Pure
 * apart from the open-paste flag the tracker carries from one read to the next.
 */
import type {Key} from 'ink';
import {handleKey, scopeOf} from './actions/dispatch.js';
import type {Effect, KeyContext, KeyResult} from './actions/reaction.js';
import {keyNames} from './key-names.js';
import {bindingFor, type Binding} from './keymap.js';
import type {UiState} from './state.js';

/** One call of Ink's `useInput` handler. */
export interface RawInput {
	readonly input: string;
	readonly key: Key;
}

/** Asks the terminal to wrap pasted text in ESC[200~ … ESC[201~ (xterm's bracketed paste). */
export const bracketedPasteOn = '\u001B[?2004h';
/** Gives the terminal's paste behaviour back; written on every way out. */
export const bracketedPasteOff = '\u001B[?2004l';

// Ink has no name for these sequences, so useInput hands them over with the ESC stripped.
const pasteStart = '[200~';
const pasteEnd = '[201~';

/** What one read carried, in order: typed keys (named as `keyNames` names them) and pasted text. */
export type InputPart =
	| {readonly kind: 'keys'; readonly names: readonly string[]}
	| {readonly kind: 'paste'; readonly text: string};

/** Splits reads into typed keys and pasted text; a paste left open goes on in the next read. */
export class PasteTracker {
	private pasting = false;

	/** The parts of one read (every `useInput` call it caused, in order). */
	split(inputs: readonly RawInput[]): InputPart[] {
		const parts: InputPart[] = [];
		for (const {input, key} of inputs) {
			const plain = !key.ctrl && !key.meta;
			if (plain && input === pasteStart) {
				this.pasting = true;
				parts.push({kind: 'paste', text: ''});
				continue;
			}

			if (plain && input === pasteEnd) {
				this.pasting = false;
				continue;
			}

			const last = parts.at(-1);
			if (this.pasting) {
				if (last?.kind === 'paste')
					parts[parts.length - 1] = {kind: 'paste', text: last.text + input};
				else parts.push({kind: 'paste', text: input});
				continue;
			}

			const names = keyNames(input, key);
			if (names.length === 0) continue;
			if (last?.kind === 'keys')
				parts[parts.length - 1] = {kind: 'keys', names: [...last.names, ...names]};
			else parts.push({kind: 'keys', names});
		}

		return parts;
	}
}

/**
 * Whether a binding must be typed on its own: the deleting keys (and the dialog's yes), and
 * tag-all, which makes the next `D` take every flow.
 */
export function typedOnly(binding: Binding | undefined): boolean {
	return binding !== undefined && (binding.dangerous === true || binding.action === 'tagAll');
}

/** The status line when a read was dropped. */
export const pasteIgnoredMessage =
	'pasted input ignored: deleting and tag-all keys work only typed one at a time';

/**
 * Applies one read to `state`. One typed key goes through as it is. Several keys go through in
 * order, unless one of them would reach a `typedOnly` binding in the scope it meets: then none
 * does, and the status line says so. Pasted text goes into the open filter prompt (control
 * characters dropped) and makes the whole read ignored anywhere else. A read that leaves the
 * prompt with an error keeps the filter in force when it began. `contextFor` gives the
 * context a key needs in the state it meets; `now` stamps the message.
 */
export function applyInput(
	state: UiState,
	parts: readonly InputPart[],
	contextFor: (state: UiState) => KeyContext,
	now: number,
): KeyResult {
	let keys = 0;
	for (const part of parts) if (part.kind === 'keys') keys += part.names.length;
	const burst = keys > 1 || parts.some((part) => part.kind === 'paste');
	const ignored: KeyResult = {
		state: {
			...state,
			message: {text: pasteIgnoredMessage, tone: 'warning', time: now, sticky: false},
		},
		effects: [],
	};

	let next = state;
	const effects: Effect[] = [];
	// The filter the prompt had in force when this read reached it: texts typed past within one
	// read were never drawn, so a text that ends the read with an error keeps this one.
	let drawn = state.prompt?.live;
	const apply = (name: string) => {
		const opened = next.prompt === undefined;
		const result = handleKey(next, name, contextFor(next));
		next = result.state;
		if (opened) drawn = next.prompt?.live;
		effects.push(...result.effects);
	};

	for (const part of parts) {
		if (part.kind === 'paste') {
			if (scopeOf(next) !== 'filter') return ignored;
			for (const char of part.text) {
				if (char < ' ' || char === '\u007F') continue;
				apply(char === ' ' ? 'space' : char);
			}

			continue;
		}

		for (const name of part.names) {
			if (burst && typedOnly(bindingFor(scopeOf(next), name))) return ignored;
			apply(name);
		}
	}

	const {prompt} = next;
	if (prompt?.error && prompt.live !== drawn) next = {...next, prompt: {...prompt, live: drawn}};
	return {state: next, effects};
}
