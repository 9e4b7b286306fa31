/**
 * The filter prompt: `/` opens it on the filter in force, typed characters and Backspace edit
 * the text, each valid text's filter in force in the same frame that echoes the key, Enter
 * keeps the newest valid filter and Esc clears it. Each text is parsed once, here; the state
 * keeps the parsed Filter.
 */
import {parseFilter, type Filter} from '../../model/filter.js';
import type {GroupBy} from '../../model/group.js';
import type {Prompt, UiState} from '../state.js';
import {done, withMessage, type Handler} from './reaction.js';

/** A parsed filter in force: undefined when it has no terms (it matches every flow). */
export function filterInForce(filter: Filter | undefined): Filter | undefined {
	return filter && filter.terms.length > 0 ? filter : undefined;
}

/** The filter term that selects a group's flows (`src:10.0.0.1`, `dport:443 proto:tcp`). */
export function groupFilterTerm(by: GroupBy, label: string): string {
	switch (by) {
		case 'src':
		case 'dst':
		case 'src24':
			return `${by === 'dst' ? 'dst' : 'src'}:${label}`;
		case 'dport': {
			const [port, proto] = label.split('/');
			return proto === undefined ? `proto:${port}` : `dport:${port} proto:${proto}`;
		}

		case 'proto':
			return `proto:${label}`;
		case 'state':
			return label === '-' ? '' : `state:${label.toLowerCase()}`;
		case 'nat':
			return label === '-' ? 'nat:none' : `nat:${label}`;
	}
}

/** `state` filtered by `text`, or with the parse error in the status line. */
export function withFilterText(state: UiState, text: string, now: number): UiState {
	const parsed = parseFilter(text);
	if (!parsed.ok) return withMessage(state, `filter: ${parsed.error.message}`, now, 'error', true);
	return {...state, filter: filterInForce(parsed.filter)};
}

/**
 * The prompt after its text became `text`: parsed, and in force at once if valid. One frame
 * then shows both the typed key and the rows it selects: drawing the echo first and filtering
 * in a frame after it made each keystroke cost two frames (issue 12).
 */
function edited(state: UiState, prompt: Prompt, text: string): UiState {
	const parsed = parseFilter(text);
	return {
		...state,
		prompt: parsed.ok
			? {text, live: filterInForce(parsed.filter)}
			: {text, error: parsed.error, live: prompt.live},
	};
}

type PromptHandler = Handler<{readonly prompt: Prompt}>;

/** Enter: keeps the newest valid filter (refused while the text has an error). */
const keepFilter: PromptHandler = (state, context, {prompt}) => {
	if (prompt.error) {
		return done(
			withMessage(
				state,
				'the filter has an error: fix it, or Esc to clear',
				context.now,
				'warning',
			),
		);
	}

	return done({...state, filter: filterInForce(prompt.live), prompt: undefined});
};

/** A typed key that has no binding in the prompt: a character goes into the text. */
export function typeKey(state: UiState, prompt: Prompt, name: string): UiState {
	if (name === 'space') return edited(state, prompt, `${prompt.text} `);
	if ([...name].length === 1) return edited(state, prompt, prompt.text + name);
	return state;
}

/** The prompt's handlers, by action; `open` is `/` in the table and the event pane. */
export const promptActions = {
	open: (state) => done({...state, prompt: {text: state.filter?.text ?? '', live: state.filter}}),
	keepFilter,
	clearFilter: (state) => done({...state, filter: undefined, prompt: undefined}),
	erase: (state, _context, {prompt}) =>
		done(edited(state, prompt, [...prompt.text].slice(0, -1).join(''))),
	eraseAll: (state, _context, {prompt}) => done(edited(state, prompt, '')),
} as const satisfies Record<string, PromptHandler>;
