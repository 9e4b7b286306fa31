/**
 * What filter terms mean: each parsed term compiled to a predicate over one flow. This is the
 * reference meaning; `filter-columns.ts` runs the same terms over the whole table at once.
 */
import {natAddressOf, natKindOf} from '../flow/nat.js';
import {statusState} from '../flow/status.js';
import type {Address} from '../flow/types.js';
import {cidrContains, type Cidr} from './cidr.js';
import type {FilterSubject, FilterTerm, NumberField, NumberTest} from './filter-terms.js';
import {flagBits} from './names.js';

/** A compiled term: whether `subject` satisfies it at `now` (ms). */
export type Predicate = (subject: FilterSubject, now: number) => boolean;

type NumberMatcher = (value: number) => boolean;
type AddressMatcher = (address: Address) => boolean;

function numberTest(test: NumberTest): NumberMatcher {
	switch (test.op) {
		case '<': {
			const limit = test.value;
			return (value) => value < limit;
		}

		case '<=': {
			const limit = test.value;
			return (value) => value <= limit;
		}

		case '>': {
			const limit = test.value;
			return (value) => value > limit;
		}

		case '>=': {
			const limit = test.value;
			return (value) => value >= limit;
		}

		case '=': {
			const limit = test.value;
			return (value) => value === limit;
		}

		case '!=': {
			const limit = test.value;
			return (value) => value !== limit;
		}

		case 'range': {
			const {lo, hi} = test;
			return (value) => value >= lo && value <= hi;
		}
	}
}

/**
 * A test of one number against a term's alternatives (OR'ed); one closure per alternative,
 * and a single alternative (the usual case) is returned as is.
 */
export function numberMatcher(tests: readonly NumberTest[]): NumberMatcher {
	const matchers = tests.map((test) => numberTest(test));
	if (matchers.length === 1) return matchers[0];
	return (value) => {
		for (const matcher of matchers) if (matcher(value)) return true;
		return false;
	};
}

/** IPv4 blocks become mask/network pairs compared on the uint32 directly. */
function addressMatcher(cidrs: readonly Cidr[]): AddressMatcher {
	const masks: number[] = [];
	const networks: number[] = [];
	const v6: Cidr[] = [];
	for (const cidr of cidrs) {
		if (typeof cidr.address === 'number') {
			masks.push(cidr.bits === 0 ? 0 : (0xffffffff << (32 - cidr.bits)) >>> 0);
			networks.push(cidr.address);
		} else {
			v6.push(cidr);
		}
	}

	return (address) => {
		if (typeof address === 'number') {
			for (let i = 0; i < masks.length; i++) {
				if ((address & masks[i]) >>> 0 === networks[i]) return true;
			}

			return false;
		}

		for (const cidr of v6) if (cidrContains(cidr, address)) return true;
		return false;
	};
}

/** Seconds until `subject` expires at `now`, whole as displayed; Infinity when unknown. */
export function ttlSeconds(expiresAt: number, now: number): number {
	if (expiresAt === Number.POSITIVE_INFINITY) return expiresAt;
	return Math.floor(Math.max(0, expiresAt - now) / 1000);
}

/** Whole seconds of age at `now`. */
export function ageSeconds(since: number, now: number): number {
	return Math.floor(Math.max(0, now - since) / 1000);
}

function numberPredicate(field: NumberField, tests: readonly NumberTest[]): Predicate {
	const test = numberMatcher(tests);
	switch (field) {
		case 'sport':
			return (s) => test(s.flow.original.sport);
		case 'dport':
			return (s) => {
				const flow = s.flow;
				return test(flow.original.dport) || test(flow.reply.sport);
			};
		case 'port': {
			return (s) => {
				const {original: o, reply: r} = s.flow;
				return test(o.sport) || test(o.dport) || test(r.sport) || test(r.dport);
			};
		}

		case 'mark':
			return (s) => test(s.flow.mark ?? 0);
		case 'zone':
			return (s) => test(s.flow.zone);
		case 'ttl':
			return (s, now) => test(ttlSeconds(s.expiresAt, now));
		case 'age':
			return (s, now) => test(ageSeconds(s.since, now));
		case 'bytes':
			return (s) => {
				const c = s.flow.counters;
				return test(c ? c.original.bytes + c.reply.bytes : 0);
			};
		case 'packets':
			return (s) => {
				const c = s.flow.counters;
				return test(c ? c.original.packets + c.reply.packets : 0);
			};
		case 'rate':
			return (s) => test(s.bytesPerSecond);
	}
}

/** The predicate of one term, its `!` not applied. */
export function termPredicate(term: FilterTerm): Predicate {
	switch (term.kind) {
		case 'address': {
			const match = addressMatcher(term.cidrs);
			if (term.field === 'src') return (s) => match(s.flow.original.src);
			if (term.field === 'dst') {
				return (s) => {
					const flow = s.flow;
					return match(flow.original.dst) || match(flow.reply.src);
				};
			}

			return (s) => {
				const {original: o, reply: r} = s.flow;
				return match(o.src) || match(o.dst) || match(r.src) || match(r.dst);
			};
		}

		case 'number':
			return numberPredicate(term.field, term.tests);
		case 'proto': {
			const {protonums} = term;
			return (s) => protonums.includes(s.flow.protonum);
		}

		case 'state': {
			const {states} = term;
			return (s) => {
				const {state} = s.flow;
				if (typeof state === 'string') return states.includes(state);
				return states.includes(statusState(s.flow.status ?? 0));
			};
		}

		case 'flag': {
			const flags = term.flags.map((name) => flagBits[name]);
			return (s) => {
				const bits = s.flow.status ?? 0;
				for (const flag of flags) if (((bits & flag.bit) !== 0) !== flag.negate) return true;
				return false;
			};
		}

		case 'nat': {
			const {values} = term;
			return (s) => {
				const kind = natKindOf(s.flow) ?? null;
				for (const value of values) {
					if (typeof value === 'object') {
						if (kind === null) continue;
						const {reply} = s.flow;
						const hit =
							kind === 'both'
								? cidrContains(value, reply.src) || cidrContains(value, reply.dst)
								: cidrContains(value, natAddressOf(s.flow)!);
						if (hit) return true;
					} else if (
						(value === 'none' && kind === null) ||
						(value === 'any' && kind !== null) ||
						(value === 'both' && kind === 'both') ||
						(value === 'snat' && (kind === 'snat' || kind === 'both')) ||
						(value === 'dnat' && (kind === 'dnat' || kind === 'both'))
					) {
						return true;
					}
				}

				return false;
			};
		}

		case 'word': {
			const {word} = term;
			return (s) => s.hasWord(word);
		}
	}
}
