import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import type {FilterTerm} from '../../source/model/filter-terms.js';
import {parseFilter, type Filter} from '../../source/model/filter.js';

function parsed(text: string): Filter {
	const result = parseFilter(text);
	if (!result.ok) assert.fail(`'${text}' did not parse: ${result.error.message}`);
	return result.filter;
}

function only(text: string): FilterTerm {
	const {terms} = parsed(text);
	assert.equal(terms.length, 1);
	return terms[0];
}

describe('parseFilter accepts', () => {
	test('empty and blank text as the filter that matches everything', () => {
		assert.deepEqual(parsed('').terms, []);
		assert.deepEqual(parsed('   \t ').terms, []);
	});

	test('space-separated terms with their offsets and negation', () => {
		const {terms} = parsed('proto:tcp  !dport:22');
		assert.deepEqual(
			terms.map((t) => [t.kind, t.position, t.negate, t.source]),
			[
				['proto', 0, false, 'proto:tcp'],
				['number', 11, true, '!dport:22'],
			],
		);
	});

	test('field names and values in any case', () => {
		assert.deepEqual((only('PROTO:TCP') as {protonums: number[]}).protonums, [6]);
		assert.deepEqual((only('State:Est') as {states: string[]}).states, ['ESTABLISHED']);
		assert.deepEqual((only('FLAG:Unreplied') as {flags: string[]}).flags, ['unreplied']);
	});

	test('unique prefixes of states, flags and protocols, exact names first', () => {
		assert.deepEqual((only('state:time') as {states: string[]}).states, ['TIME_WAIT']);
		assert.deepEqual((only('state:close') as {states: string[]}).states, ['CLOSE']);
		assert.deepEqual((only('state:cookie_w') as {states: string[]}).states, ['COOKIE_WAIT']);
		assert.deepEqual((only('flag:seen') as {flags: string[]}).flags, ['seen_reply']);
		assert.deepEqual((only('proto:udp') as {protonums: number[]}).protonums, [17]);
		assert.deepEqual((only('proto:udpl,47') as {protonums: number[]}).protonums, [136, 47]);
	});

	test('lists, ranges and = as a synonym of :', () => {
		assert.deepEqual((only('dport:80,443,8000-8100') as {tests: unknown[]}).tests, [
			{op: '=', value: 80},
			{op: '=', value: 443},
			{op: 'range', lo: 8000, hi: 8100},
		]);
		assert.deepEqual(only('dport=80,443').kind, 'number');
		assert.deepEqual(only('src=10.0.0.1').kind, 'address');
	});

	test('comparisons with size suffixes, hex and durations', () => {
		const value = (text: string) => (only(text) as {tests: Array<{value: number}>}).tests[0].value;
		assert.equal(value('bytes>1M'), 1e6);
		assert.equal(value('bytes>1.5k'), 1500);
		assert.equal(value('bytes>=2Ki'), 2048);
		assert.equal(value('bytes<3mib'), 3 * 1024 ** 2);
		assert.equal(value('rate>10k/s'), 10_000);
		assert.equal(value('packets<=5'), 5);
		assert.equal(value('mark=0x10'), 16);
		assert.equal(value('mark!=0x10'), 16);
		assert.equal(value('ttl<30'), 30);
		assert.equal(value('age>5m'), 300);
		assert.equal(value('age>2h'), 7200);
		assert.equal(value('ttl<1:30'), 90);
		assert.equal(value('ttl>1:00:00'), 3600);
		assert.equal(value('ttl>4d23:59:59'), 431_999);
	});

	test('CIDRs of both families, with host bits cleared', () => {
		const term = only('host:10.1.2.3/8,2001:db8::/32') as {cidrs: Array<{bits: number}>};
		assert.deepEqual(
			term.cidrs.map((c) => c.bits),
			[8, 32],
		);
	});

	test('one to three IPv4 octets as the block they start', () => {
		const block = (text: string) => {
			const [cidr] = (only(text) as {cidrs: Array<{address: number; bits: number}>}).cidrs;
			return [cidr.address, cidr.bits];
		};

		assert.deepEqual(block('src:10.16.3'), [0x0a_10_03_00, 24]);
		assert.deepEqual(block('src:10.16'), [0x0a_10_00_00, 16]);
		assert.deepEqual(block('src:10'), [0x0a_00_00_00, 8]);
		assert.deepEqual(block('dst:10.16.'), [0x0a_10_00_00, 16]);
		assert.deepEqual(block('host:10.16/12'), [0x0a_10_00_00, 12]);
		assert.deepEqual(block('src:0'), [0, 8]);
		// A bare word stays a text search: only a field makes digits an address.
		assert.equal(only('10.16.3').kind, 'word');
	});

	test('state names as the State column shows them for flows without a protocol state', () => {
		assert.deepEqual((only('state:unreplied,replied,assured') as {states: string[]}).states, [
			'UNREPLIED',
			'REPLIED',
			'ASSURED',
		]);
		assert.deepEqual((only('state:unrep') as {states: string[]}).states, ['UNREPLIED']);
	});

	test('nat kinds and translated addresses', () => {
		const term = only('nat:snat,none,203.0.113.7') as {values: unknown[]};
		assert.equal(term.values[0], 'snat');
		assert.equal(term.values[1], 'none');
		assert.equal((term.values[2] as {bits: number}).bits, 32);
	});

	test('bare words, IPv6 addresses and endpoints included, lowercased', () => {
		assert.deepEqual(
			parsed('Foo fe80::1 2001:db8:0:0:0:0:0:1 10.0.0.1:443 :443').terms.map((t) =>
				t.kind === 'word' ? t.word : t.kind,
			),
			['foo', 'fe80::1', '2001:db8:0:0:0:0:0:1', '10.0.0.1:443', ':443'],
		);
	});

	test('and reports the clock and text it needs', () => {
		assert.equal(parsed('proto:tcp').usesTime, false);
		assert.equal(parsed('proto:tcp ttl<30').usesTime, true);
		assert.equal(parsed('!age>60').usesTime, true);
		assert.deepEqual(parsed('proto:tcp foo bar foo').words, ['foo', 'bar']);
	});
});

describe('parseFilter rejects with a message, the offending offset and a hint', () => {
	const cases: Array<[text: string, message: string, position: number]> = [
		['!', "'!' must be followed by a term", 0],
		['proto:tcp !', "'!' must be followed by a term", 10],
		['!!udp', "only one '!' per term", 1],
		['foo:bar', "unknown field 'foo'", 0],
		['prto:tcp', "unknown field 'prto'", 0],
		['frobnicate=3', "unknown field 'frobnicate'", 0],
		['src:', "missing value after 'src:'", 4],
		['dport:80,,443', 'empty value in a list', 9],
		['dport:80,', 'empty value in a list', 9],
		['src:10.0.0.0/8,', 'empty value in a list', 15],
		['src:10.0.0.256', "'10.0.0.256' is not an IP address", 4],
		['proto:tcp dport:443 src:1.2.3.4.5', "'1.2.3.4.5' is not an IP address", 24],
		['src:10.016', "'10.016' is not an IP address", 4],
		['src:10.300', "'10.300' is not an IP address", 4],
		['src:10..1', "'10..1' is not an IP address", 4],
		['src:10.16/33', "prefix length '/33' is not 0-32", 9],
		['dst:10.0.0.0/33', "prefix length '/33' is not 0-32", 12],
		['host:2001:db8::/129', "prefix length '/129' is not 0-128", 15],
		['dport:70000', 'port 70000 is out of range', 6],
		['sport:http', "'http' is not a port number", 6],
		['port:2000-1000', 'range 2000-1000 is backwards', 5],
		['port:10-', "range '10-' needs a number on each side", 5],
		['dport:22,1000-x', "'x' is not a port number", 14],
		['bytes>lots', "'lots' is not a number", 6],
		['rate>=1.5Q', "'1.5Q' is not a number", 6],
		['ttl<soon', "'soon' is not a duration", 4],
		['age>5x', "'5x' is not a duration", 4],
		['proto>6', "'proto' cannot be compared with '>'", 5],
		['bytes>', "missing value after '>'", 6],
		['bytes>1k,2k', 'a comparison takes one value', 8],
		['proto:xyz', "unknown protocol 'xyz'", 6],
		['proto:300', 'protocol number 300 is out of range', 6],
		['state:bogus', "unknown state 'bogus'", 6],
		['STATE:Xyz', "unknown state 'Xyz'", 6],
		['state:s', "state 's' is ambiguous: syn_sent, syn_recv, syn_sent2", 6],
		['flag:nope', "unknown flag 'nope'", 5],
		['nat:maybe', "'maybe' is not snat, dnat, both, any, none or an address", 4],
		['mark=0xZZ', "'0xZZ' is not a whole number", 5],
		['zone:99999999999', '99999999999 is out of range (at most 0xffffffff)', 5],
	];
	for (const [text, message, position] of cases) {
		test(`'${text}': ${message} at ${position}`, () => {
			const result = parseFilter(text);
			assert.equal(result.ok, false);
			if (result.ok) return;
			assert.equal(result.error.message, message);
			assert.equal(result.error.position, position);
			assert.ok(result.error.hint.length > 0);
		});
	}

	test('suggests the field a typo was probably meant to be', () => {
		const result = parseFilter('prto:tcp');
		assert.equal(!result.ok && result.error.hint, "did you mean 'proto'? e.g. proto:tcp,udp");
	});

	test('never throws, whatever is typed', () => {
		const junk = [
			'::::',
			'!:',
			':',
			'=',
			'a=',
			'<5',
			'src:/8',
			'dport:-',
			'ttl<:',
			'\u0000',
			'x'.repeat(500),
			'src:[::1]',
		];
		for (const text of junk) assert.doesNotThrow(() => parseFilter(text), text);
	});
});
