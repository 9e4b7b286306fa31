import assert from 'node:assert/strict';
import {test} from 'node:test';
import {Stamp, Version} from '../../source/model/stamp.js';

test('a stamp is stale until it records, then fresh until one of its versions moves', () => {
	const a = new Version();
	const b = new Version();
	const stamp = new Stamp(a, b);
	assert.equal(stamp.isFresh(), false);
	stamp.record();
	assert.equal(stamp.isFresh(), true);
	b.bump();
	assert.equal(stamp.isFresh(), false);
	stamp.record();
	assert.equal(stamp.isFresh(), true);
	a.bump();
	a.bump();
	assert.equal(stamp.isFresh(), false);
});

test('a version moved by one stamp is read by every stamp over it', () => {
	const shared = new Version();
	const first = new Stamp(shared);
	const second = new Stamp(shared, new Version());
	first.record();
	second.record();
	shared.bump();
	assert.equal(first.isFresh(), false);
	assert.equal(second.isFresh(), false);
});

test('invalidating a stamp makes it stale though no version moved', () => {
	const version = new Version();
	const stamp = new Stamp(version);
	stamp.record();
	stamp.invalidate();
	assert.equal(stamp.isFresh(), false);
	assert.equal(version.value, 0);
});
