/**
 * The filter language, typed by people in a hurry: its grammar and parser (see `parseFilter`).
 * The parsed terms are typed in `filter-terms.ts`; the meaning of each is in
 * `filter-predicates.ts`. One idea past 350 lines: each rule of the grammar sits beside the
 * errors and hints it gives, which would not read apart from it.
 */
import {parseAddress} from '../flow/address.js';
import {protocolNumbers} from '../flow/protocols.js';
import {stateNames as flowStateNames, tcpStates} from '../flow/states.js';
import {statusStates} from '../flow/status.js';
import type {FlowEvent} from '../flow/types.js';
import {parseCidr, type Cidr} from './cidr.js';
import {
	editDistance,
	parseNumber,
	resolveName,
	type NumberKind,
	type ValueResult,
} from './filter-values.js';
import {termPredicate} from './filter-predicates.js';
import type {
	FilterField,
	FilterSubject,
	FilterTerm,
	NatValue,
	NumberField,
	NumberTest,
	TermBase,
} from './filter-terms.js';
import {flagBits} from './names.js';
import {flowText} from './text.js';

/**
 * The subject of one event's flow, for filtering event streams and the event pane with the
 * table's language: its TTL counts from the event's time, its age from the kernel's start time
 * else the event's time; an event carries no rate, so `rate` sees 0.
 */
export function eventSubject(event: FlowEvent): FilterSubject {
	const {flow} = event;
	let text: string | undefined;
	return {
		flow,
		expiresAt:
			flow.timeout === undefined ? Number.POSITIVE_INFINITY : event.time + flow.timeout * 1000,
		since: flow.start ?? event.time,
		bytesPerSecond: 0,
		hasWord(word) {
			text ??= flowText(flow).toLowerCase();
			return text.includes(word);
		},
	};
}

/** A compiled filter. Immutable; the same object may be queried again and again. */
export interface Filter {
	/** The text it was parsed from. */
	readonly text: string;
	readonly terms: readonly FilterTerm[];
	/** Whether a term reads the clock (`ttl`, `age`): results change as time passes. */
	readonly usesTime: boolean;
	/** The distinct bare words (lowercase) the filter searches the row text for. */
	readonly words: readonly string[];
	/** Whether `subject` matches every term at time `now` (ms). */
	test(subject: FilterSubject, now: number): boolean;
}

/** Why a filter did not parse: what, where (0-based character offset) and what to try. */
export interface FilterError {
	readonly message: string;
	readonly position: number;
	readonly hint: string;
}

/** The outcome of `parseFilter`; never an exception. */
export type FilterResult =
	{readonly ok: true; readonly filter: Filter} | {readonly ok: false; readonly error: FilterError};

const numberKinds: Readonly<Record<NumberField, NumberKind>> = {
	sport: 'port',
	dport: 'port',
	port: 'port',
	mark: 'integer',
	zone: 'integer',
	ttl: 'duration',
	age: 'duration',
	bytes: 'size',
	packets: 'size',
	rate: 'size',
};

/** Every field, in the order hints list them. */
export const filterFields: readonly FilterField[] = [
	'src',
	'dst',
	'host',
	'sport',
	'dport',
	'port',
	'proto',
	'state',
	'flag',
	'nat',
	'mark',
	'zone',
	'ttl',
	'age',
	'bytes',
	'packets',
	'rate',
];

const examples: Readonly<Record<FilterField, string>> = {
	src: 'src:10.0.0.0/8',
	dst: 'dst:192.168.1.1,192.168.1.2',
	host: 'host:2001:db8::/32',
	sport: 'sport:1024-65535',
	dport: 'dport:80,443',
	port: 'port:53',
	proto: 'proto:tcp,udp',
	state: 'state:established',
	flag: 'flag:unreplied',
	nat: 'nat:snat',
	mark: 'mark=0x10',
	zone: 'zone:1',
	ttl: 'ttl<30',
	age: 'age>60',
	bytes: 'bytes>1M',
	packets: 'packets>=5',
	rate: 'rate>10k',
};

const stateNames = [...new Set([...flowStateNames, ...statusStates])].map((name) =>
	name.toLowerCase(),
);
const tcpStateNames = tcpStates.map((name) => name.toLowerCase());
const flagNames = Object.keys(flagBits);
const protocolNames = Object.keys(protocolNumbers);
const natKinds = ['snat', 'dnat', 'both', 'any', 'none'];
/** `key=` prefixes of `flowText` that are no field. */
const textKeys = ['type', 'code', 'id', 'helper'];

class ParseError extends Error {
	constructor(readonly info: FilterError) {
		super(info.message);
	}
}

function fail(message: string, position: number, hint: string): never {
	throw new ParseError({message, position, hint});
}

function isField(name: string): name is FilterField {
	return (filterFields as readonly string[]).includes(name);
}

function isNumberField(name: FilterField): name is NumberField {
	return name in numberKinds;
}

function unknownField(name: string, position: number): never {
	let best: string | undefined;
	let bestDistance = 3;
	for (const field of filterFields) {
		const distance = field.startsWith(name) ? 1 : editDistance(name, field);
		if (distance < bestDistance) {
			best = field;
			bestDistance = distance;
		}
	}

	fail(
		`unknown field '${name}'`,
		position,
		best
			? `did you mean '${best}'? e.g. ${examples[best as FilterField]}`
			: `fields: ${filterFields.join(' ')}`,
	);
}

function unwrap<T>(result: ValueResult<T>, position: number): T {
	if (!result.ok) fail(result.message, position, result.hint);
	return result.value;
}

/** Comma-separated alternatives with their offsets; an empty one is an error. */
function alternatives(value: string, position: number): Array<[string, number]> {
	const out: Array<[string, number]> = [];
	let offset = 0;
	for (const part of value.split(',')) {
		if (part === '') {
			fail(
				'empty value in a list',
				position + offset,
				'separate alternatives with single commas: dport:80,443',
			);
		}

		out.push([part, position + offset]);
		offset += part.length + 1;
	}

	return out;
}

/**
 * One to three dotted IPv4 octets, as typed while narrowing (`10.16.3`, `10.16.`, `10`): the
 * block they start, `10.16.3.0/24`, `10.16.0.0/16`, `10.0.0.0/8`. An explicit `/bits` wins.
 * Octets are strict as in a full address (no leading zeros, at most 255).
 */
function partialIpv4(text: string): Cidr | undefined {
	const match = /^((?:0|[1-9]\d{0,2})(?:\.(?:0|[1-9]\d{0,2})){0,2})\.?(\/\d{1,2})?$/.exec(text);
	if (!match) return undefined;
	const octets = match[1].split('.');
	if (octets.some((octet) => Number(octet) > 255)) return undefined;
	const full = [...octets, '0', '0', '0'].slice(0, 4).join('.');
	return parseCidr(`${full}${match[2] ?? `/${octets.length * 8}`}`);
}

function parseCidrValue(text: string, position: number): Cidr {
	const cidr = parseCidr(text) ?? partialIpv4(text);
	if (cidr) return cidr;
	const slash = text.indexOf('/');
	const addressText = slash === -1 ? text : text.slice(0, slash);
	const address = parseAddress(addressText) ?? partialIpv4(addressText)?.address;
	if (address === undefined) {
		fail(
			`'${addressText}' is not an IP address`,
			position,
			'e.g. 10.0.0.1, 10.0.0.0/8, 10.1 (10.1.0.0/16) or 2001:db8::/32',
		);
	}

	const max = typeof address === 'number' ? 32 : 128;
	fail(
		`prefix length '${text.slice(slash)}' is not 0-${max}`,
		position + slash,
		'IPv4 prefixes are /0-/32, IPv6 prefixes /0-/128',
	);
}

function parseNumberAlternative(text: string, position: number, kind: NumberKind): NumberTest {
	// A dash separates a range; values themselves are never negative.
	const dash = text.indexOf('-');
	if (dash === -1) return {op: '=', value: unwrap(parseNumber(text, kind), position)};
	if (dash === 0 || dash === text.length - 1) {
		fail(`range '${text}' needs a number on each side`, position, 'e.g. 1000-2000');
	}

	const lo = unwrap(parseNumber(text.slice(0, dash), kind), position);
	const hi = unwrap(parseNumber(text.slice(dash + 1), kind), position + dash + 1);
	if (lo > hi) {
		fail(
			`range ${text} is backwards`,
			position,
			`write the smaller number first: ${text.slice(dash + 1)}-${text.slice(0, dash)}`,
		);
	}

	return {op: 'range', lo, hi};
}

function parseFieldTerm(
	field: FilterField,
	value: string,
	valuePosition: number,
	base: TermBase,
): FilterTerm {
	if (value === '') {
		fail(`missing value after '${field}:'`, valuePosition, `e.g. ${examples[field]}`);
	}

	const alts = alternatives(value, valuePosition);
	switch (field) {
		case 'src':
		case 'dst':
		case 'host': {
			return {
				...base,
				kind: 'address',
				field,
				cidrs: alts.map(([text, at]) => parseCidrValue(text, at)),
			};
		}

		case 'proto': {
			const protonums = alts.map(([text, at]) => {
				if (/^\d+$/.test(text)) {
					const value = Number(text);
					if (value > 255)
						fail(`protocol number ${text} is out of range`, at, 'protocol numbers are 0-255');
					return value;
				}

				const name = unwrap(resolveName(text, protocolNames, 'protocol'), at);
				return protocolNumbers[name];
			});
			return {...base, kind: 'proto', protonums};
		}

		case 'state': {
			const states = alts.map(([text, at]) =>
				unwrap(resolveName(text, stateNames, 'state', tcpStateNames), at).toUpperCase(),
			);
			return {...base, kind: 'state', states};
		}

		case 'flag': {
			const flags = alts.map(([text, at]) => unwrap(resolveName(text, flagNames, 'flag'), at));
			return {...base, kind: 'flag', flags};
		}

		case 'nat': {
			const values = alts.map(([text, at]): NatValue => {
				const lower = text.toLowerCase();
				if (natKinds.includes(lower)) return lower as NatValue;
				if (/^[\d.]+(\/\d*)?$/.test(text) || text.includes(':')) return parseCidrValue(text, at);
				fail(
					`'${text}' is not snat, dnat, both, any, none or an address`,
					at,
					'e.g. nat:snat, nat:none or nat:203.0.113.7',
				);
			});
			return {...base, kind: 'nat', values};
		}

		default: {
			const kind = numberKinds[field];
			const tests = alts.map(([text, at]) => parseNumberAlternative(text, at, kind));
			return {...base, kind: 'number', field, tests};
		}
	}
}

function parseTerm(source: string, position: number): FilterTerm {
	let body = source;
	let at = position;
	const negate = body.startsWith('!');
	if (negate) {
		body = body.slice(1);
		at++;
		if (body === '')
			fail("'!' must be followed by a term", position, 'e.g. !proto:udp or !10.0.0.1');
		if (body.startsWith('!'))
			fail("only one '!' per term", at, `write !${body.replace(/^!+/, '')}`);
	}

	const base: TermBase = {negate, position, source};
	const comparison = /^([a-z_]+)(<=|>=|!=|<|>|=)(.*)$/i.exec(body);
	if (comparison) {
		const name = comparison[1].toLowerCase();
		const op = comparison[2] as '<' | '<=' | '>' | '>=' | '!=' | '=';
		const value = comparison[3];
		const opPosition = at + comparison[1].length;
		const valuePosition = opPosition + op.length;
		// `type=8`, `helper=ftp`: row text that looks like a comparison is searched as a word.
		if (!isField(name) && op === '=' && textKeys.includes(name)) {
			return {...base, kind: 'word', word: body.toLowerCase()};
		}

		if (!isField(name)) unknownField(name, at);
		// `=` reads as `:` (conntrack prints `src=10.0.0.1`), lists and ranges included.
		if (op === '=') return parseFieldTerm(name, value, valuePosition, base);
		if (!isNumberField(name)) {
			fail(
				`'${name}' cannot be compared with '${op}'`,
				opPosition,
				`use ${name}:VALUE, e.g. ${examples[name]}`,
			);
		}

		if (value === '') fail(`missing value after '${op}'`, valuePosition, `e.g. ${examples[name]}`);
		const comma = value.indexOf(',');
		if (comma !== -1) {
			fail('a comparison takes one value', valuePosition + comma, `for a list write ${name}:a,b`);
		}

		const number = unwrap(parseNumber(value, numberKinds[name]), valuePosition);
		return {...base, kind: 'number', field: name, tests: [{op, value: number}]};
	}

	const colon = body.indexOf(':');
	if (colon > 0) {
		const name = body.slice(0, colon).toLowerCase();
		if (isField(name)) return parseFieldTerm(name, body.slice(colon + 1), at + colon + 1, base);
		// IPv6 addresses are words too: `fe80::1` or `2001:db8:0:0:0:0:0:1` name no field.
		const looksLikeAddress = body.includes('::') || parseAddress(body) !== undefined;
		if (!looksLikeAddress && /^[a-z_]+$/i.test(name)) unknownField(name, at);
	}

	return {...base, kind: 'word', word: body.toLowerCase()};
}

/**
 * Parses a filter. Never throws: a bad filter gives `{ok: false, error}` with the 0-based
 * character offset of the offending part and a hint; callers keep the previous filter in
 * force until the text parses again. Empty text matches everything.
 *
 * Grammar, case-insensitive throughout:
 * - Terms are separated by spaces and AND'ed; `!` before a term negates it.
 * - `field:value` where a value may list alternatives `a,b` (OR'ed):
 *   - `src:` the original source; `dst:` the original destination or the reply source (the
 *     translated destination after DNAT); `host:` any of the four tuple addresses. Values are
 *     addresses or CIDRs, IPv4 or IPv6 (`10.0.0.0/8`, `2001:db8::/32`); families never match
 *     each other. One to three IPv4 octets are the block they start, as people type while
 *     narrowing: `10.16.3` is `10.16.3.0/24`, `10.16` a /16, `10` a /8.
 *   - `sport:` the original source port; `dport:` the original destination port or the reply
 *     source port (after DNAT); `port:` any of the four ports. Values are 0-65535 or ranges
 *     `1000-2000`.
 *   - `proto:` a name (tcp, udp, icmp, icmpv6, sctp, dccp, udplite, gre, esp, ah) or 0-255.
 *   - `state:` a TCP/SCTP/DCCP state name (`established`, or a unique prefix like `est`), or
 *     for flows without one (UDP, ICMP, ...) what the State column shows instead: `unreplied`,
 *     `replied` or `assured` (see `statusStates`).
 *   - `flag:` a status flag (assured, seen_reply, unreplied = no SEEN_REPLY, confirmed,
 *     offload, hw_offload, dying, expected, src_nat, dst_nat, helper, ...; unique prefixes ok).
 *   - `nat:` snat (snat or both), dnat (dnat or both), both, any, none, or an address/CIDR
 *     the flow is translated to (reply dst for SNAT, reply src for DNAT, either for both).
 *   - numeric fields below also take `field:value` lists and `lo-hi` ranges.
 * - `field=value` is the same as `field:value`.
 * - `field<op>value` with `< <= > >= !=` on numeric fields: `ttl` (whole seconds left),
 *   `age` (whole seconds since the kernel's start time or first seen), `bytes` and `packets`
 *   (both directions), `rate` (bytes/s, both directions), `mark`, `zone`, `sport`, `dport`,
 *   `port`. Sizes take k/M/G/T (x1000) or Ki/Mi/Gi/Ti (x1024); durations s/m/h/d or `m:ss`.
 * - Any other word matches case-insensitively anywhere in `flowText` of the flow, and so do
 *   `type=`, `code=`, `id=` and `helper=` words, which that text contains. Other words that
 *   look like `name:value` or `name=value` with an unknown name are errors (typos get a
 *   "did you mean"), unless they are IPv6 addresses.
 */
export function parseFilter(text: string): FilterResult {
	const terms: FilterTerm[] = [];
	try {
		for (const match of text.matchAll(/\S+/g)) terms.push(parseTerm(match[0], match.index));
	} catch (error) {
		if (error instanceof ParseError) return {ok: false, error: error.info};
		throw error;
	}

	const predicates = terms.map((term) => {
		const predicate = termPredicate(term);
		return term.negate ? (s: FilterSubject, now: number) => !predicate(s, now) : predicate;
	});
	const usesTime = terms.some(
		(term) => term.kind === 'number' && (term.field === 'ttl' || term.field === 'age'),
	);
	const words = [...new Set(terms.flatMap((term) => (term.kind === 'word' ? [term.word] : [])))];
	const test = (subject: FilterSubject, now: number): boolean => {
		for (const predicate of predicates) if (!predicate(subject, now)) return false;
		return true;
	};

	return {ok: true, filter: {text, terms, usesTime, words, test}};
}
