import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {formatBytes, formatCount, formatRate, formatTtl} from '../../source/view/format.js';

describe('formatTtl', () => {
	const cases: Array<[number, string]> = [
		[0, '0:00'],
		[5, '0:05'],
		[59.9, '1:00'],
		[0.2, '0:01'],
		[4.001, '0:05'],
		[60, '1:00'],
		[3599, '59:59'],
		[3600, '1:00:00'],
		[86_399, '23:59:59'],
		[86_400, '1d00:00:00'],
		[431_999, '4d23:59:59'],
		[432_000, '5d00:00:00'],
		[-5, '0:00'],
		[Number.NaN, '0:00'],
		[Number.POSITIVE_INFINITY, '-'],
	];
	for (const [seconds, text] of cases) {
		test(`prints ${seconds} seconds as ${text}`, () => {
			assert.equal(formatTtl(seconds), text);
		});
	}
});

describe('formatCount and formatBytes', () => {
	const cases: Array<[number, string]> = [
		[0, '0'],
		[-3, '0'],
		[Number.NaN, '0'],
		[0.4, '0'],
		[999, '999'],
		[999.4, '999'],
		[999.5, '1.0K'],
		[1000, '1.0K'],
		[1234, '1.2K'],
		[9949, '9.9K'],
		[9950, '10K'],
		[12_345, '12K'],
		[999_499, '999K'],
		[999_500, '1.0M'],
		[3_400_000, '3.4M'],
		[5e9, '5.0G'],
		[2.5e12, '2.5T'],
	];
	for (const [value, text] of cases) {
		test(`prints ${value} as ${text}`, () => {
			assert.equal(formatCount(value), text);
			assert.equal(formatBytes(value), text);
		});
	}

	test('never needs more than four characters plus the unit below an exabyte', () => {
		for (let value = 1; value < 1e18; value *= 1.7)
			assert.ok(formatBytes(value).length <= 5, formatBytes(value));
	});
});

describe('formatRate', () => {
	test('adds /s to the count scale', () => {
		assert.equal(formatRate(0), '0/s');
		assert.equal(formatRate(1234), '1.2K/s');
		assert.equal(formatRate(42.6), '43/s');
	});
});
