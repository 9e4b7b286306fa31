import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import type {CodecErrorKind} from '../../source/kernel/errors.js';
import {readCString, walkAttributes} from '../../source/kernel/netlink-attributes.js';

/** One attribute: host-order length and type, the payload, padding to 4 bytes. */
function attribute(type: number, payload: readonly number[]): Buffer {
	const length = 4 + payload.length;
	const buf = Buffer.alloc((length + 3) & ~3);
	buf.writeUInt16LE(length, 0);
	buf.writeUInt16LE(type, 2);
	Buffer.from(payload).copy(buf, 4);
	return buf;
}

/** Every attribute the walk visits: type and payload bytes, or the error kind and offset. */
function walk(buf: Buffer): Array<[number, number[]]> | [CodecErrorKind, number] {
	const seen: Array<[number, number[]]> = [];
	const error = walkAttributes(buf, 0, buf.length, 'TEST', (type, start, end) => {
		seen.push([type, [...buf.subarray(start, end)]]);
		return undefined;
	});
	return error ? [error.kind, error.offset] : seen;
}

describe('walkAttributes', () => {
	const cases: Array<{
		name: string;
		bytes: Buffer;
		expected: Array<[number, number[]]> | [CodecErrorKind, number];
	}> = [
		{name: 'an empty nest', bytes: Buffer.alloc(0), expected: []},
		{
			name: 'attributes padded to 4 bytes',
			bytes: Buffer.concat([attribute(1, [7]), attribute(2, [1, 2, 3, 4, 5])]),
			expected: [
				[1, [7]],
				[2, [1, 2, 3, 4, 5]],
			],
		},
		{
			name: 'the nested flag masked off the type',
			bytes: attribute(0x8003, [9]),
			expected: [[3, [9]]],
		},
		{
			name: 'a length below the header',
			bytes: Buffer.from([2, 0, 1, 0]),
			expected: ['bad-attribute-length', 0],
		},
		{
			name: 'a length past the nest',
			bytes: Buffer.concat([attribute(1, [7]), Buffer.from([12, 0, 2, 0, 0, 0])]),
			expected: ['bad-attribute-length', 8],
		},
		{
			name: 'fewer bytes left than a header (ignored)',
			bytes: Buffer.concat([attribute(1, [7]), Buffer.from([1, 2])]),
			expected: [[1, [7]]],
		},
	];
	for (const {name, bytes, expected} of cases) {
		test(`reads ${name}`, () => {
			assert.deepEqual(walk(bytes), expected);
		});
	}

	test("stops at the visitor's first error and returns it", () => {
		const bytes = Buffer.concat([attribute(1, [7]), attribute(2, [8])]);
		const visited: number[] = [];
		const error = walkAttributes(bytes, 0, bytes.length, 'TEST', (type, start) => {
			visited.push(type);
			return {kind: 'short-attribute', attribute: 'TEST', offset: start};
		});
		assert.deepEqual(visited, [1]);
		assert.equal(error?.kind, 'short-attribute');
	});
});

describe('readCString', () => {
	test('ends at the NUL, or at the end when there is none before it', () => {
		const buf = Buffer.from('ftp\0xx', 'latin1');
		assert.equal(readCString(buf, 0, buf.length), 'ftp');
		assert.equal(readCString(buf, 0, 2), 'ft');
		assert.equal(readCString(Buffer.from('sip', 'latin1'), 0, 3), 'sip');
	});
});
