import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {ChangeLog} from '../../source/model/change-log.js';

describe('the change log', () => {
	test('lists the slots changed since a mark, in order', () => {
		const log = new ChangeLog(8);
		log.changed(4);
		const mark = log.mark();
		assert.ok(log.isCurrent(mark));
		log.changed(7);
		log.changed(2);
		assert.ok(!log.isCurrent(mark));
		assert.deepEqual([...log.since(mark)!], [7, 2]);
	});

	test('cannot catch a mark up once it started over, full or told to forget', () => {
		const log = new ChangeLog(2);
		const first = log.mark();
		log.changed(1);
		log.changed(2);
		assert.deepEqual([...log.since(first)!], [1, 2]);
		log.changed(3);
		assert.equal(log.since(first), undefined);
		const second = log.mark();
		log.forget();
		assert.equal(log.since(second), undefined);
		assert.deepEqual([...log.since(log.mark())!], []);
	});
});
