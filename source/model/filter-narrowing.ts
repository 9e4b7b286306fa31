/**
 * When one filter keeps only rows another keeps: typing on at the end of a filter usually
 * narrows it (`7` then `77`, or a term added), and then the new filter need only be tested on
 * the rows the old one kept (issue 12: a keystroke re-tested all 1M rows).
 */
import type {Filter} from './filter.js';
import type {FilterTerm} from './filter-terms.js';

/**
 * Whether every row `narrower` keeps, `wider` keeps too, at the same time over the same rows.
 * Conservative: true only when each term of `wider` is implied by some term of `narrower`,
 * the same term as typed or a bare word it contains (`!` reverses that); false is always safe.
 */
export function narrows(narrower: Filter, wider: Filter): boolean {
	return wider.terms.every((old) => narrower.terms.some((term) => implies(term, old)));
}

/** Whether a row passing `term` always passes `old`. */
function implies(term: FilterTerm, old: FilterTerm): boolean {
	// Terms parse on their own, so the same text means the same test.
	if (term.source === old.source) return true;
	if (term.kind !== 'word' || old.kind !== 'word' || term.negate !== old.negate) return false;
	// Containing "77" means containing "7"; lacking "7" means lacking "77".
	return term.negate ? old.word.includes(term.word) : term.word.includes(old.word);
}
