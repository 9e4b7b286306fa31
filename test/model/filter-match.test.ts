import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import type {Address, Flow} from '../../source/flow/types.js';
import type {FilterSubject} from '../../source/model/filter-terms.js';
import {parseFilter, type Filter} from '../../source/model/filter.js';
import {flowKey} from '../../source/flow/key.js';
import {mergeFlow} from '../../source/model/merge.js';
import {FlowTable} from '../../source/model/table.js';
import {flowText} from '../../source/model/text.js';
import {ipaddrOf} from '../helpers/address-arbitraries.js';
import {arbitraryFlow, makeFlow} from '../helpers/synthetic-flows.js';

const t0 = 1_700_000_000_000;

function compile(text: string): Filter {
	const result = parseFilter(text);
	if (!result.ok) assert.fail(`'${text}': ${result.error.message}`);
	return result.filter;
}

function subject(flow: Flow, extra: Partial<Omit<FilterSubject, 'flow'>> = {}): FilterSubject {
	return {
		flow,
		expiresAt: flow.timeout === undefined ? Number.POSITIVE_INFINITY : t0 + flow.timeout * 1000,
		since: flow.start ?? t0,
		bytesPerSecond: 0,
		hasWord: (word) => flowText(flow).includes(word),
		...extra,
	};
}

function matches(text: string, flow: Flow, now = t0, extra = {}): boolean {
	return compile(text).test(subject(flow, extra), now);
}

describe('address fields', () => {
	const dnat = makeFlow({
		src: '198.51.100.9',
		dst: '203.0.113.7',
		replySrc: '10.0.0.5',
		replyDst: '198.51.100.9',
	});
	const snat = makeFlow({
		src: '10.0.0.5',
		dst: '8.8.8.8',
		replySrc: '8.8.8.8',
		replyDst: '203.0.113.7',
	});

	test('src matches the original source only', () => {
		assert.equal(matches('src:10.0.0.0/8', snat), true);
		assert.equal(matches('src:203.0.113.7', snat), false);
		assert.equal(matches('src:10.0.0.0/8', dnat), false);
	});

	test('dst matches the original destination or the translated one after DNAT', () => {
		assert.equal(matches('dst:203.0.113.7', dnat), true);
		assert.equal(matches('dst:10.0.0.5', dnat), true);
		assert.equal(matches('dst:198.51.100.9', dnat), false);
		assert.equal(matches('dst:203.0.113.7', snat), false);
	});

	test('host matches any address of either tuple', () => {
		assert.equal(matches('host:203.0.113.7', snat), true);
		assert.equal(matches('host:10.0.0.5', dnat), true);
		assert.equal(matches('host:192.0.2.0/24', snat), false);
	});

	test('IPv6 blocks match IPv6 flows and never IPv4 ones', () => {
		const v6 = makeFlow({src: '2001:db8::1', dst: '2001:db8:1::2'});
		assert.equal(matches('src:2001:db8::/32', v6), true);
		assert.equal(matches('dst:2001:db8:1::/48', v6), true);
		assert.equal(matches('src:0.0.0.0/0', v6), false);
		assert.equal(matches('src:::/0', makeFlow()), false);
	});

	test('one to three IPv4 octets match the block they start', () => {
		const flow = makeFlow({src: '10.16.3.7'});
		assert.equal(matches('src:10.16.3', flow), true);
		assert.equal(matches('src:10.16.4', flow), false);
		assert.equal(matches('src:10.16', flow), true);
		assert.equal(matches('src:10.17', flow), false);
		assert.equal(matches('src:10', flow), true);
		assert.equal(matches('src:11', flow), false);
		assert.equal(matches('src:10.16.', flow), true);
	});

	test('a list of blocks matches any of them', () => {
		assert.equal(matches('src:192.0.2.0/24,10.0.0.1', makeFlow()), true);
	});
});

describe('port fields', () => {
	const redirected = makeFlow({sport: 40_000, dport: 80, replySport: 8080});

	test('sport is the original source port, dport the original or translated destination port', () => {
		assert.equal(matches('sport:40000', redirected), true);
		assert.equal(matches('dport:80', redirected), true);
		assert.equal(matches('dport:8080', redirected), true);
		assert.equal(matches('sport:80', redirected), false);
	});

	test('port matches any port of either tuple, with ranges and lists', () => {
		assert.equal(matches('port:8000-8100', redirected), true);
		assert.equal(matches('port:1,2,40000', redirected), true);
		assert.equal(matches('port:1-79', redirected), false);
	});

	test('comparisons work on ports too', () => {
		assert.equal(matches('dport<1024', redirected), true);
		assert.equal(matches('sport<1024', redirected), false);
	});
});

describe('other fields', () => {
	test('proto and state match by name, state by its TCP name even when abbreviated', () => {
		assert.equal(matches('proto:tcp state:est', makeFlow()), true);
		assert.equal(matches('proto:udp,icmp', makeFlow()), false);
		assert.equal(matches('state:time_wait', makeFlow({state: 'TIME_WAIT'})), true);
		assert.equal(matches('state:established', makeFlow({proto: 'udp'})), false);
	});

	test('state takes what the State column shows for flows without a protocol state', () => {
		const udp = (status: number) => makeFlow({proto: 'udp', status});
		assert.equal(matches('state:unreplied', udp(0b1000)), true);
		assert.equal(matches('state:unreplied', udp(0b1010)), false);
		assert.equal(matches('state:replied', udp(0b1010)), true);
		assert.equal(matches('state:assured', udp(0b1110)), true);
		assert.equal(matches('state:replied', udp(0b1110)), false);
		assert.equal(matches('state:unrep', udp(0b1000)), true);
		// A TCP flow's column shows its TCP state, so these never match it.
		assert.equal(matches('state:unreplied', makeFlow({state: 'SYN_SENT', status: 0b1000})), false);
		assert.equal(matches('state:assured', makeFlow()), false);
	});

	test('flag:unreplied means SEEN_REPLY is clear', () => {
		assert.equal(matches('flag:unreplied', makeFlow({status: 0b1000})), true);
		assert.equal(matches('flag:unreplied', makeFlow({status: 0b1010})), false);
		assert.equal(matches('flag:assured,offload', makeFlow({status: 1 << 14})), true);
		assert.equal(matches('flag:assured', {...makeFlow(), status: undefined}), false);
	});

	test('nat matches kinds (snat and dnat include both) and translated addresses', () => {
		const snat = makeFlow({replyDst: '203.0.113.7', status: 0b1_1110});
		const both = makeFlow({replySrc: '10.9.9.9', replyDst: '203.0.113.7', status: 0b11_1110});
		assert.equal(matches('nat:snat', snat), true);
		assert.equal(matches('nat:dnat', snat), false);
		assert.equal(matches('nat:dnat', both), true);
		assert.equal(matches('nat:both', snat), false);
		assert.equal(matches('nat:any', both), true);
		assert.equal(matches('nat:none', makeFlow()), true);
		assert.equal(matches('nat:203.0.113.0/24', snat), true);
		assert.equal(matches('nat:10.9.9.9', both), true);
		assert.equal(matches('nat:10.0.0.1', snat), false);
	});

	test('mark and zone compare as numbers, decimal or hex', () => {
		assert.equal(matches('mark=0x10', makeFlow({mark: 16})), true);
		assert.equal(matches('mark:16', makeFlow({mark: 16})), true);
		assert.equal(matches('mark!=0', makeFlow()), false);
		assert.equal(matches('zone:1-3', makeFlow({zone: 2})), true);
	});

	test('bytes and packets count both directions; no counters count as 0', () => {
		const flow = makeFlow({packets: [3, 2], bytes: [600_000, 500_000]});
		assert.equal(matches('bytes>1M', flow), true);
		assert.equal(matches('bytes>1Mi', flow), true);
		assert.equal(matches('bytes>1.2M', flow), false);
		assert.equal(matches('packets>=5', flow), true);
		assert.equal(matches('packets>=6', flow), false);
		assert.equal(matches('bytes<1', makeFlow()), true);
	});

	test('rate compares bytes per second', () => {
		assert.equal(matches('rate>10k', makeFlow(), t0, {bytesPerSecond: 12_000}), true);
		assert.equal(matches('rate>10k', makeFlow(), t0, {bytesPerSecond: 9000}), false);
	});

	test('ttl counts down with the clock and age counts up, in whole seconds', () => {
		const flow = makeFlow({timeout: 100});
		assert.equal(matches('ttl<30', flow, t0), false);
		assert.equal(matches('ttl<30', flow, t0 + 70_500), true);
		assert.equal(matches('ttl=29', flow, t0 + 70_500), true);
		assert.equal(matches('ttl=0', flow, t0 + 500_000), true);
		assert.equal(matches('age>60', flow, t0 + 60_999), false);
		assert.equal(matches('age>60', flow, t0 + 61_000), true);
		assert.equal(matches('ttl<30', {...flow, timeout: undefined}, t0), false);
	});

	test('age counts from the kernel start time when the flow has one', () => {
		const flow = makeFlow({start: t0 - 120_000});
		assert.equal(matches('age>=120', flow, t0), true);
	});

	test('stale UDP entries are findable the way the issue describes', () => {
		const stale = makeFlow({proto: 'udp', status: 0b1000, start: t0 - 90_000});
		const fresh = makeFlow({proto: 'udp', status: 0b1000, start: t0 - 5000});
		const filter = 'proto:udp flag:unreplied age>60';
		assert.equal(matches(filter, stale), true);
		assert.equal(matches(filter, fresh), false);
	});
});

describe('terms', () => {
	test('are ANDed, and ! negates one term', () => {
		assert.equal(matches('proto:tcp dport:443', makeFlow()), true);
		assert.equal(matches('proto:tcp dport:22', makeFlow()), false);
		assert.equal(matches('proto:tcp !dport:22', makeFlow()), true);
		assert.equal(matches('!proto:tcp', makeFlow()), false);
	});

	test('bare words match anywhere in the row text, case-insensitively', () => {
		assert.equal(matches('192.0.2', makeFlow()), true);
		assert.equal(matches('ESTAB', makeFlow()), true);
		assert.equal(matches(':443', makeFlow()), true);
		assert.equal(matches('10.0.0.1:40000', makeFlow()), true);
		assert.equal(matches('udp', makeFlow()), false);
		assert.equal(matches('!udp', makeFlow()), true);
	});

	test('an empty filter matches everything', () => {
		assert.equal(matches('', makeFlow()), true);
	});
});

// --- Property: the parser, Filter.test and the table's column-wise evaluation all agree with
// a naive reference evaluation of randomly generated terms.

type Spec =
	/** Each block as written and as the CIDR it means (partial IPv4 is written short). */
	| {kind: 'address'; field: 'src' | 'dst' | 'host'; cidrs: Array<[written: string, cidr: string]>}
	| {kind: 'list'; field: NumberField; items: Array<number | [number, number]>}
	| {kind: 'compare'; field: NumberField; op: '<' | '<=' | '>' | '>=' | '!='; value: number}
	| {kind: 'names'; field: 'proto' | 'state' | 'flag' | 'nat'; names: string[]}
	| {kind: 'word'; word: string};
type NumberField =
	'sport' | 'dport' | 'port' | 'mark' | 'zone' | 'bytes' | 'packets' | 'ttl' | 'age';

const protoNumbers: Record<string, number> = {
	tcp: 6,
	udp: 17,
	icmp: 1,
	icmpv6: 58,
	sctp: 132,
	gre: 47,
};
const flagTable: Record<string, [bit: number, negate: boolean]> = {
	assured: [4, false],
	seen_reply: [2, false],
	unreplied: [2, true],
	confirmed: [8, false],
	dying: [512, false],
	offload: [16_384, false],
};

const cidrText = fc
	.oneof(
		fc.tuple(
			fc.constantFrom('10.0.0.1', '10.0.0.0', '10.1.0.9', '192.168.1.10', '203.0.113.7', '8.8.8.8'),
			fc.integer({min: 0, max: 32}),
		),
		fc.tuple(
			fc.constantFrom('2001:db8::1', '2001:db8:1::', 'fe80::', '::1', '::ffff:1.2.3.4'),
			fc.integer({min: 0, max: 128}),
		),
	)
	.map(([address, bits]): [string, string] => [`${address}/${bits}`, `${address}/${bits}`]);

/** IPv4 blocks written as the octets people type while narrowing, with what they mean. */
const partialText = fc.constantFrom<[string, string]>(
	['10', '10.0.0.0/8'],
	['10.1', '10.1.0.0/16'],
	['10.0.0', '10.0.0.0/24'],
	['192.168.1.', '192.168.1.0/24'],
	['203.0/12', '203.0.0.0/12'],
);

const numberValue = (field: NumberField) =>
	field === 'sport' || field === 'dport' || field === 'port'
		? fc.constantFrom(0, 22, 53, 80, 443, 1024, 8080, 65_535)
		: field === 'mark'
			? fc.constantFrom(0, 1, 16, 0xffffffff)
			: field === 'zone'
				? fc.constantFrom(0, 1, 7)
				: field === 'bytes'
					? fc.constantFrom(0, 1000, 1_000_000, 3_000_000)
					: field === 'packets'
						? fc.constantFrom(0, 5, 100, 5000)
						: fc.constantFrom(0, 1, 30, 60, 100_000, 500_000);

const numberField = fc.constantFrom<NumberField>(
	'sport',
	'dport',
	'port',
	'mark',
	'zone',
	'bytes',
	'packets',
	'ttl',
	'age',
);

const spec: fc.Arbitrary<Spec & {negate: boolean}> = fc
	.tuple(
		fc.oneof(
			fc.record({
				kind: fc.constant('address' as const),
				field: fc.constantFrom('src', 'dst', 'host' as const),
				cidrs: fc.array(fc.oneof(cidrText, partialText), {minLength: 1, maxLength: 2}),
			}),
			numberField.chain((field) =>
				fc.record({
					kind: fc.constant('list' as const),
					field: fc.constant(field),
					items: fc.array(
						fc.oneof(
							numberValue(field),
							fc
								.tuple(numberValue(field), numberValue(field))
								.map(([a, b]): [number, number] => [Math.min(a, b), Math.max(a, b)]),
						),
						{minLength: 1, maxLength: 2},
					),
				}),
			),
			numberField.chain((field) =>
				fc.record({
					kind: fc.constant('compare' as const),
					field: fc.constant(field),
					op: fc.constantFrom('<', '<=', '>', '>=', '!=' as const),
					value: numberValue(field),
				}),
			),
			fc.record({
				kind: fc.constant('names' as const),
				field: fc.constant('proto' as const),
				names: fc.subarray(Object.keys(protoNumbers), {minLength: 1}),
			}),
			fc.record({
				kind: fc.constant('names' as const),
				field: fc.constant('state' as const),
				names: fc.subarray(
					[
						'established',
						'syn_sent',
						'time_wait',
						'cookie_wait',
						'none',
						'unreplied',
						'replied',
						'assured',
					],
					{minLength: 1},
				),
			}),
			fc.record({
				kind: fc.constant('names' as const),
				field: fc.constant('flag' as const),
				names: fc.subarray(Object.keys(flagTable), {minLength: 1}),
			}),
			fc.record({
				kind: fc.constant('names' as const),
				field: fc.constant('nat' as const),
				names: fc.subarray(
					['snat', 'dnat', 'both', 'any', 'none', '203.0.113.0/24', '10.0.0.1', '2001:db8::/32'],
					{minLength: 1},
				),
			}),
			fc.record({
				kind: fc.constant('word' as const),
				word: fc.constantFrom(
					'tcp',
					'UDP',
					'10.0.',
					':443',
					'assured',
					'established',
					'snat',
					'2001:db8',
					'type=8',
					'helper=ftp',
					'zz',
					'[::1]',
				),
			}),
		),
		fc.boolean(),
		fc.boolean(),
	)
	.map(([term, negate]) => ({...term, negate}));

function render(term: Spec & {negate: boolean}, shout: boolean): string {
	const field = (name: string) => (shout ? name.toUpperCase() : name);
	const bang = term.negate ? '!' : '';
	switch (term.kind) {
		case 'address':
			return `${bang}${field(term.field)}:${term.cidrs.map(([written]) => written).join(',')}`;
		case 'list':
			return `${bang}${field(term.field)}:${term.items.map((item) => (Array.isArray(item) ? `${item[0]}-${item[1]}` : String(item))).join(',')}`;
		case 'compare':
			return `${bang}${field(term.field)}${term.op}${term.value}`;
		case 'names':
			return `${bang}${field(term.field)}:${term.names.join(',')}`;
		case 'word':
			return `${bang}${term.word}`;
	}
}

function inCidr(address: Address, cidr: string): boolean {
	const [network, bits] = cidr.includes('/')
		? ipaddr.parseCIDR(cidr)
		: [ipaddr.parse(cidr), cidr.includes(':') ? 128 : 32];
	const here = ipaddrOf(address);
	return here.kind() === network.kind() && here.match(network, bits);
}

function equal(a: Address, b: Address): boolean {
	return ipaddrOf(a).toString() === ipaddrOf(b).toString();
}

function natKind(flow: Flow): 'snat' | 'dnat' | 'both' | null {
	if (flow.nat !== undefined) return flow.nat;
	const status = flow.status ?? 0;
	const snat =
		(status & 16) !== 0 ||
		!equal(flow.reply.dst, flow.original.src) ||
		flow.reply.dport !== flow.original.sport;
	const dnat =
		(status & 32) !== 0 ||
		!equal(flow.reply.src, flow.original.dst) ||
		flow.reply.sport !== flow.original.dport;
	return snat && dnat ? 'both' : snat ? 'snat' : dnat ? 'dnat' : null;
}

interface Context {
	readonly expiresAt: number;
	readonly since: number;
	readonly now: number;
}

function numbersOf(field: NumberField, flow: Flow, context: Context): number[] {
	const {original: o, reply: r, counters: c} = flow;
	switch (field) {
		case 'sport':
			return [o.sport];
		case 'dport':
			return [o.dport, r.sport];
		case 'port':
			return [o.sport, o.dport, r.sport, r.dport];
		case 'mark':
			return [flow.mark ?? 0];
		case 'zone':
			return [flow.zone];
		case 'bytes':
			return [c ? c.original.bytes + c.reply.bytes : 0];
		case 'packets':
			return [c ? c.original.packets + c.reply.packets : 0];
		case 'ttl':
			return [
				context.expiresAt === Number.POSITIVE_INFINITY
					? Number.POSITIVE_INFINITY
					: Math.floor(Math.max(0, context.expiresAt - context.now) / 1000),
			];
		case 'age':
			return [Math.floor(Math.max(0, context.now - context.since) / 1000)];
	}
}

function reference(term: Spec & {negate: boolean}, flow: Flow, context: Context): boolean {
	const {original: o, reply: r} = flow;
	let hit: boolean;
	switch (term.kind) {
		case 'address': {
			const addresses =
				term.field === 'src'
					? [o.src]
					: term.field === 'dst'
						? [o.dst, r.src]
						: [o.src, o.dst, r.src, r.dst];
			hit = term.cidrs.some(([, cidr]) => addresses.some((address) => inCidr(address, cidr)));
			break;
		}

		case 'list':
			hit = numbersOf(term.field, flow, context).some((value) =>
				term.items.some((item) =>
					Array.isArray(item) ? value >= item[0] && value <= item[1] : value === item,
				),
			);
			break;
		case 'compare': {
			const {op, value: limit} = term;
			hit = numbersOf(term.field, flow, context).some((value) =>
				op === '<'
					? value < limit
					: op === '<='
						? value <= limit
						: op === '>'
							? value > limit
							: op === '>='
								? value >= limit
								: value !== limit,
			);
			break;
		}

		case 'names': {
			const kind = natKind(flow);
			hit = term.names.some((name) => {
				switch (term.field) {
					case 'proto':
						return flow.protonum === protoNumbers[name];
					case 'state': {
						if (flow.state !== null && flow.state !== undefined) {
							return flow.state === name.toUpperCase();
						}

						// What the State column shows for a flow without a protocol state.
						const bits = flow.status ?? 0;
						const shown = (bits & 2) === 0 ? 'unreplied' : (bits & 4) === 0 ? 'replied' : 'assured';
						return shown === name;
					}

					case 'flag': {
						const [bit, negate] = flagTable[name];
						return (flow.status ?? 0) & bit ? !negate : negate;
					}

					case 'nat':
						if (name.includes('.') || name.includes(':')) {
							if (kind === null) return false;
							const translated =
								kind === 'snat' ? [r.dst] : kind === 'dnat' ? [r.src] : [r.src, r.dst];
							return translated.some((address) => inCidr(address, name));
						}

						return name === 'any'
							? kind !== null
							: name === 'none'
								? kind === null
								: name === 'both'
									? kind === 'both'
									: kind === name || kind === 'both';
				}

				return false;
			});
			break;
		}

		case 'word':
			hit = flowText(flow).includes(term.word.toLowerCase());
			break;
	}

	return hit !== term.negate;
}

/** The flows a table ends up holding: later duplicates merged into earlier ones. */
function dedupe(flows: readonly Flow[]): Map<string, Flow> {
	const byKey = new Map<string, Flow>();
	for (const flow of flows) {
		const key = flowKey(flow);
		const stored = byKey.get(key);
		byKey.set(key, stored ? mergeFlow(stored, flow) : flow);
	}

	return byKey;
}

describe('filters agree with a naive reference', () => {
	test('Filter.test matches the reference evaluation of the generated terms', () => {
		fc.assert(
			fc.property(
				fc.array(spec, {minLength: 1, maxLength: 3}),
				fc.boolean(),
				arbitraryFlow,
				fc.integer({min: 0, max: 600_000}),
				(terms, shout, flow, elapsed) => {
					const text = terms.map((term) => render(term, shout)).join(' ');
					const context: Context = {
						expiresAt:
							flow.timeout === undefined ? Number.POSITIVE_INFINITY : t0 + flow.timeout * 1000,
						since: flow.start ?? t0,
						now: t0 + elapsed,
					};
					const expected = terms.every((term) => reference(term, flow, context));
					assert.equal(compile(text).test(subject(flow), context.now), expected, text);
				},
			),
			{numRuns: 400},
		);
	});

	test('the table evaluates filters column by column with the same result', () => {
		fc.assert(
			fc.property(
				fc.array(arbitraryFlow, {minLength: 1, maxLength: 40}),
				fc.array(fc.array(spec, {minLength: 1, maxLength: 3}), {minLength: 1, maxLength: 4}),
				fc.integer({min: 0, max: 600_000}),
				(flows, filters, elapsed) => {
					const table = new FlowTable();
					table.applySnapshot(flows, t0);
					const now = t0 + elapsed;
					const stored = dedupe(flows);
					for (const terms of filters) {
						const text = terms.map((term) => render(term, false)).join(' ');
						const expected = [...stored]
							.filter(([, flow]) =>
								terms.every((term) =>
									reference(term, flow, {
										expiresAt:
											flow.timeout === undefined
												? Number.POSITIVE_INFINITY
												: t0 + flow.timeout * 1000,
										since: flow.start ?? t0,
										now,
									}),
								),
							)
							.map(([key]) => key)
							.sort();
						const page = table.query(
							{filter: compile(text), sort: 'src', rows: Number.POSITIVE_INFINITY},
							now,
						);
						assert.deepEqual(page.rows.map((row) => row.key).sort(), expected, text);
						assert.equal(page.total, expected.length);
						assert.deepEqual(table.keysMatching(compile(text), now).sort(), expected, text);
					}
				},
			),
			{numRuns: 150},
		);
	});
});
