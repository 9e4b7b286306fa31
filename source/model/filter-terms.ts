/**
 * The parsed form of the filter language: its terms, what each field takes, and what a term
 * is tested against. Types only: parsed by filter.ts, given meaning by filter-predicates.ts for
 * single flows and by filter-columns.ts for the whole table.
 */
import type {Flow} from '../flow/types.js';
import type {Cidr} from './cidr.js';

/**
 * What `Filter.test` reads of a flow. The table does not go through it (it runs filters over
 * its columns); callers matching single flows, such as the CLI, provide it.
 */
export interface FilterSubject {
	readonly flow: Flow;
	/** When the entry expires, in ms on the caller's clock; Infinity when no timeout is known. */
	readonly expiresAt: number;
	/** When the flow's age counts from, in ms (kernel start time, else first seen). */
	readonly since: number;
	/** Bytes per second, both directions together. */
	readonly bytesPerSecond: number;
	/** Whether `flowText(flow)` contains `word` (lowercase). */
	hasWord(word: string): boolean;
}

/** Fields taking addresses or CIDRs. */
export type AddressField = 'src' | 'dst' | 'host';
/** Fields taking numbers, ranges and comparisons. */
export type NumberField =
	'sport' | 'dport' | 'port' | 'mark' | 'zone' | 'ttl' | 'age' | 'bytes' | 'packets' | 'rate';
/** Every field name the language knows. */
export type FilterField = AddressField | NumberField | 'proto' | 'state' | 'nat' | 'flag';

/** A comparison operator; `range` is an inclusive `lo-hi` from a `field:lo-hi` value. */
export type NumberTest =
	| {readonly op: '<' | '<=' | '>' | '>=' | '=' | '!='; readonly value: number}
	| {readonly op: 'range'; readonly lo: number; readonly hi: number};

/** What a NAT term accepts: a kind, or an address the flow is translated to. */
export type NatValue = 'snat' | 'dnat' | 'both' | 'any' | 'none' | Cidr;

/** What every term has. */
export interface TermBase {
	/** `!` before the term. */
	readonly negate: boolean;
	/** Character offset of the term (its `!` included) in the filter text. */
	readonly position: number;
	/** The term as typed. */
	readonly source: string;
}

/** One space-separated term of a filter; alternatives inside a term are OR'ed. */
export type FilterTerm =
	| (TermBase & {readonly kind: 'address'; readonly field: AddressField; readonly cidrs: Cidr[]})
	| (TermBase & {
			readonly kind: 'number';
			readonly field: NumberField;
			readonly tests: NumberTest[];
	  })
	| (TermBase & {readonly kind: 'proto'; readonly protonums: number[]})
	| (TermBase & {readonly kind: 'state'; readonly states: string[]})
	| (TermBase & {readonly kind: 'flag'; readonly flags: string[]})
	| (TermBase & {readonly kind: 'nat'; readonly values: NatValue[]})
	| (TermBase & {readonly kind: 'word'; readonly word: string});
