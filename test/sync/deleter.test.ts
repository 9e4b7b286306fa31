import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import type {Flow} from '../../source/flow/types.js';
import type {DeleteOutcome} from '../../source/flow/source.js';
import {makeDeleter} from '../../source/sync/deleter.js';
import {readDeleteLog} from '../helpers/delete-log.js';

function flow(id: number): Flow {
	const tuple = {
		src: 0x0a000001,
		dst: 0x0a000002,
		sport: 1000 + id,
		dport: 80,
		icmpType: -1,
		icmpCode: -1,
		icmpId: -1,
	};
	return {id, family: 'ipv4', protonum: 6, proto: 'tcp', original: tuple, reply: tuple, zone: 0};
}

test('the deleter counts deleted, gone and failed flows and logs only the deleted ones', async () => {
	const log = join(mkdtempSync(join(tmpdir(), 'conntop-')), 'sub', 'deleted.jsonl');
	const outcomes: Record<number, DeleteOutcome> = {
		1: {result: 'deleted'},
		2: {result: 'gone'},
		3: {result: 'error', reason: 'EPERM (operation not permitted)'},
		4: {result: 'deleted'},
	};
	const deleter = makeDeleter(
		(f) => Promise.resolve(outcomes[f.id]),
		log,
		() => Date.UTC(2026, 10, 23, 12),
		{host: 'router1'},
	);
	const report = await deleter([flow(1), flow(2), flow(3), flow(4)]);
	assert.equal(report.deleted, 2);
	assert.equal(report.gone, 1);
	assert.deepEqual(
		report.failed.map((f) => [f.flow.id, f.reason]),
		[[3, 'EPERM (operation not permitted)']],
	);
	const lines = readDeleteLog(log);
	assert.deepEqual(
		lines.map((line) => [
			line.deleted,
			line.flow.id,
			line.flow.original.src,
			line.flow.original.sport,
		]),
		[
			['2026-11-23T12:00:00.000Z', 1, '10.0.0.1', 1001],
			['2026-11-23T12:00:00.000Z', 4, '10.0.0.1', 1004],
		],
	);
});

test('a log that cannot be written is reported, and the deletes still count', async () => {
	// A regular file where the log's folder should be: no one, not even root, can write there.
	const file = join(mkdtempSync(join(tmpdir(), 'conntop-')), 'a-file');
	writeFileSync(file, '');
	const deleter = makeDeleter(
		() => Promise.resolve({result: 'deleted'}),
		join(file, 'deleted.jsonl'),
		() => 0,
		{host: 'router1'},
	);
	const report = await deleter([flow(1)]);
	assert.equal(report.deleted, 1);
	assert.match(report.logError ?? '', /could not write .*a-file\/deleted.jsonl/);
});

test('each log line names the host and the namespace the flow was deleted from', async () => {
	const dir = mkdtempSync(join(tmpdir(), 'conntop-'));
	const log = join(dir, 'deleted.jsonl');
	const remove = (): Promise<DeleteOutcome> => Promise.resolve({result: 'deleted'});
	await makeDeleter(remove, log, () => 0, {host: 'router1', netns: 'pod-ns'})([flow(1)]);
	await makeDeleter(remove, log, () => 0, {host: 'router1', netns: '4242'})([flow(2)]);
	await makeDeleter(remove, log, () => 0, {host: 'router1'})([flow(3)]);
	const lines = readDeleteLog(log);
	assert.deepEqual(
		lines.map((line) => [line.flow.id, line.host, line.netns]),
		[
			[1, 'router1', 'pod-ns'],
			[2, 'router1', '4242'],
			// The host's own namespace: said as null, not left out.
			[3, 'router1', null],
		],
	);
	assert.ok('netns' in lines[2]);
});

test('idle waits for batches still running, and their lines are in the log when it resolves', async () => {
	const log = join(mkdtempSync(join(tmpdir(), 'conntop-')), 'deleted.jsonl');
	const answers: Array<() => void> = [];
	const deleter = makeDeleter(
		async () =>
			new Promise<DeleteOutcome>((resolve) => {
				answers.push(() => {
					resolve({result: 'deleted'});
				});
			}),
		log,
		() => 0,
		{host: 'router1'},
	);
	assert.equal(deleter.pending, 0);
	const report = deleter([flow(1), flow(2)]);
	assert.equal(deleter.pending, 1);
	let idle = false;
	const waiting = deleter.idle().then(() => {
		idle = true;
	});
	// The kernel answers one flow at a time; idle must not resolve in between.
	for (let answered = 0; answered < 2; answered++) {
		await waitUntil(() => answers.length > answered);
		assert.equal(idle, false);
		answers[answered]();
	}

	await waiting;
	assert.equal(deleter.pending, 0);
	assert.equal((await report).deleted, 2);
	assert.equal(readFileSync(log, 'utf8').trim().split('\n').length, 2);
});

async function waitUntil(accept: () => boolean): Promise<void> {
	for (let tries = 0; tries < 1000 && !accept(); tries++) {
		await new Promise((resolve) => {
			setImmediate(resolve);
		});
	}

	assert.ok(accept());
}
