import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {
	burstMs,
	recordStats,
	troubleFigures,
	type StatsSample,
	type TroubleHistory,
} from '../../source/ui/kernel-rates.js';

function sample(time: number, counters: Record<string, number>): StatsSample {
	return {stats: {count: 1, max: 100, counters}, time};
}

function feed(...samples: StatsSample[]): TroubleHistory {
	let history: TroubleHistory | undefined;
	for (const next of samples) history = recordStats(history, next);
	return history!;
}

function figure(history: TroubleHistory | undefined, now: number, name: string) {
	return troubleFigures(history, now)?.find((entry) => entry.name === name);
}

describe('trouble counters', () => {
	test('nothing is known before the first sample', () => {
		assert.equal(troubleFigures(undefined, 0), undefined);
	});

	test('the first sample is the baseline: totals since boot do not count, and no rate yet', () => {
		const history = feed(sample(0, {invalid: 500, drop: 7}));
		assert.deepEqual(troubleFigures(history, 0), [
			{name: 'insert_failed', sinceStart: 0, perSecond: undefined, burst: false},
			{name: 'drop', sinceStart: 0, perSecond: undefined, burst: false},
			{name: 'early_drop', sinceStart: 0, perSecond: undefined, burst: false},
			{name: 'invalid', sinceStart: 0, perSecond: undefined, burst: false},
		]);
	});

	test('a burst keeps its total after the rate falls back to 0', () => {
		const history = feed(
			sample(0, {invalid: 500}),
			sample(1000, {invalid: 500}),
			sample(7000, {invalid: 560}),
			sample(8000, {invalid: 560}),
		);
		assert.deepEqual(figure(history, 8000, 'invalid'), {
			name: 'invalid',
			sinceStart: 60,
			perSecond: 0,
			burst: true,
		});
		assert.equal(
			figure(feed(sample(0, {invalid: 500}), sample(6000, {invalid: 560})), 6000, 'invalid')
				?.perSecond,
			10,
		);
	});

	test('the highlight lasts burstMs after the last rise, the total for good', () => {
		const history = feed(sample(0, {drop: 0}), sample(1000, {drop: 4}), sample(2000, {drop: 4}));
		assert.equal(figure(history, 1000 + burstMs - 1, 'drop')?.burst, true);
		const later = figure(history, 1000 + burstMs, 'drop');
		assert.equal(later?.burst, false);
		assert.equal(later?.sinceStart, 4);
	});

	test('a counter that goes down (a CPU gone) adds nothing and the totals never shrink', () => {
		const history = feed(
			sample(0, {early_drop: 10}),
			sample(1000, {early_drop: 15}),
			sample(2000, {early_drop: 3}),
			sample(3000, {early_drop: 5}),
		);
		assert.equal(figure(history, 3000, 'early_drop')?.sinceStart, 7);
		assert.equal(figure(history, 3000, 'early_drop')?.perSecond, 2);
	});

	test('a sample not later than the last keeps the previous rate and still counts', () => {
		const history = feed(
			sample(0, {insert_failed: 0}),
			sample(1000, {insert_failed: 2}),
			sample(1000, {insert_failed: 3}),
		);
		assert.equal(figure(history, 1000, 'insert_failed')?.sinceStart, 3);
		assert.equal(figure(history, 1000, 'insert_failed')?.perSecond, 2);
	});
});
