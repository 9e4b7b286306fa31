/**
 * Sentences for bad input, shared by the CLI's flags and the UI's filter prompt.
 */
import type {FilterError} from '../model/filter.js';

/**
 * A filter error in three lines: what is wrong, the filter with a caret under the position,
 * and the hint.
 */
export function describeFilterError(text: string, error: FilterError): string {
	const caret = ' '.repeat(Math.max(0, error.position)) + '^';
	return `bad filter: ${error.message}\n  ${text}\n  ${caret}\n  ${error.hint}`;
}
