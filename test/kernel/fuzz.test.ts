import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {describe, test} from 'node:test';
import fc from 'fast-check';
import {decodeDatagram} from '../../source/kernel/decode-datagram.js';
import {addCpuStats, decodeGlobalStats} from '../../source/kernel/stats.js';

const fixtureDir = new URL('../fixtures/', import.meta.url);
const seeds = ['dump-variety.json', 'events-tcp.json'].flatMap((name) =>
	(
		JSON.parse(readFileSync(new URL(name, fixtureDir), 'utf8')) as {datagrams: string[]}
	).datagrams.map((hex) => Buffer.from(hex, 'hex')),
);

/** Hand-built inputs on the walkers' edges, each with the errors it must give (see its `how`). */
const crafted = (
	JSON.parse(readFileSync(new URL('fuzz/crafted.json', fixtureDir), 'utf8')) as {
		inputs: Array<{name: string; hex: string; errors: string[]}>;
	}
).inputs;

/** Decodes everything a datagram holds; returns how many callbacks ran, to bound the work. */
function decodeEverything(datagram: Buffer): number {
	let calls = 0;
	decodeDatagram(datagram, {
		flow: () => calls++,
		error: () => calls++,
		done: () => calls++,
		ack: () => calls++,
		other: (buf, start, end) => {
			calls++;
			addCpuStats(buf, start, end, {});
			decodeGlobalStats(buf, start, end);
		},
	});
	return calls;
}

/** Mutations of a captured datagram: bit flips, byte overwrites, cuts and over-long tails. */
const mutated = fc
	.record({
		seed: fc.nat({max: seeds.length - 1}),
		flips: fc.array(fc.record({at: fc.nat(), bit: fc.nat({max: 7})}), {maxLength: 8}),
		writes: fc.array(
			fc.record({
				at: fc.nat(),
				value: fc.oneof(fc.constant(0), fc.constant(0xff), fc.nat({max: 255})),
			}),
			{maxLength: 4},
		),
		cut: fc.option(fc.nat()),
		tail: fc.uint8Array({maxLength: 64}),
	})
	.map(({seed, flips, writes, cut, tail}) => {
		const base = Buffer.from(seeds[seed]);
		for (const {at, bit} of flips) base[at % base.length] ^= 1 << bit;
		for (const {at, value} of writes) base[at % base.length] = value;
		const cutAt = cut === null ? base.length : cut % (base.length + 1);
		return Buffer.concat([base.subarray(0, cutAt), tail]);
	});

test('mutated kernel datagrams never throw, never hang, and decode a bounded number of messages', () => {
	fc.assert(
		fc.property(mutated, (datagram) => {
			const calls = decodeEverything(datagram);
			// Each message is at least 16 bytes, plus one error for a trailing fragment.
			assert.ok(calls <= datagram.length / 16 + 1);
		}),
		{numRuns: 3000, seed: 20261123},
	);
});

test('random bytes never throw', () => {
	fc.assert(
		fc.property(fc.uint8Array({maxLength: 512}), (bytes) => {
			decodeEverything(Buffer.from(bytes));
		}),
		{numRuns: 3000, seed: 42},
	);
});

test('nested attributes with lying lengths at every depth never throw', () => {
	// A flow message whose nest lengths claim up to 0xffff: the walker must stop at the parent's end.
	fc.assert(
		fc.property(
			fc.nat({max: seeds[0].length - 4}),
			fc.integer({min: 0, max: 0xffff}),
			(at, length) => {
				const datagram = Buffer.from(seeds[0]);
				datagram.writeUInt16LE(length, at & ~3);
				decodeEverything(datagram);
			},
		),
		{numRuns: 3000, seed: 7},
	);
});

describe('crafted edge inputs give their error kind, and no flow', () => {
	for (const {name, hex, errors: expected} of crafted) {
		test(`${name}: ${expected.join(', ')}`, () => {
			const errors: string[] = [];
			let flows = 0;
			decodeDatagram(Buffer.from(hex, 'hex'), {
				flow: () => flows++,
				error: (error) =>
					errors.push(error.attribute ? `${error.kind} at ${error.attribute}` : error.kind),
			});
			assert.deepEqual(errors, expected);
			assert.equal(flows, 0);
		});
	}
});
