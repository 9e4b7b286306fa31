import assert from 'node:assert/strict';
import {test} from 'node:test';
import {KeyColumns} from '../../source/cli/key-columns.js';

test('only columns whose values differ come back, each holding every flow in order, past growth', () => {
	const keys = new KeyColumns(4);
	const n = 10_000;
	for (let i = 0; i < n; i++) {
		keys.row[0][0] = 7;
		// Constant until flow 5000, then not: the earlier flows keep the first value.
		keys.row[1][0] = i < 5000 ? 3 : i;
		keys.row[2][0] = 0xffffffff;
		keys.row[3][0] = n - i;
		keys.push(i);
	}

	const varying = keys.varying();
	assert.equal(varying.length, 2);
	const [second, fourth] = varying;
	for (let i = 0; i < n; i++) {
		assert.equal(second[i], i < 5000 ? 3 : i);
		assert.equal(fourth[i], n - i);
	}
});

test('no flows, or flows that all share a key, leave nothing to sort by', () => {
	assert.deepEqual(new KeyColumns(6).varying(), []);
	const keys = new KeyColumns(2);
	for (let i = 0; i < 3; i++) {
		keys.row[0][0] = 1;
		keys.row[1][0] = 2;
		keys.push(i);
	}

	assert.deepEqual(keys.varying(), []);
});
