import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {fileURLToPath} from 'node:url';
import type {FlowJson} from '../../source/flow/json.js';
import {TestNamespace} from '../helpers/netns.js';
import {populateVariety} from '../helpers/populate.js';

const probe = fileURLToPath(new URL('../helpers/kernel-probe.ts', import.meta.url));

function probeLines(ns: TestNamespace, args: readonly string[], input?: string): string[] {
	return ns
		.run(process.execPath, ['--import', 'tsx', probe, ...args], input)
		.split('\n')
		.filter(Boolean);
}

/** Raw flows (as the probe prints them for delete and reread) and their JSON forms. */
function dumpRaw(ns: TestNamespace): Array<{raw: string; json: FlowJson}> {
	const raw = probeLines(ns, ['dump', '--raw']).slice(0, -1);
	const json = probeLines(ns, ['dump']).slice(0, -1);
	const byId = new Map(json.map((line) => [(JSON.parse(line) as FlowJson).id, line]));
	return raw.map((line) => {
		const id = (JSON.parse(line) as {id: number}).id;
		return {raw: line, json: JSON.parse(byId.get(id)!) as FlowJson};
	});
}

function reread(ns: TestNamespace, raws: readonly string[]): Array<FlowJson | string> {
	const [line] = probeLines(ns, ['reread', '-'], `[${raws.join(',')}]`);
	const parsed = JSON.parse(line) as {results?: Array<FlowJson | string>; error?: string};
	assert.ok(parsed.results, `reread failed: ${parsed.error}`);
	return parsed.results;
}

describe('re-reading flows by tuple against the real conntrack table', () => {
	let ns: TestNamespace;

	before(() => {
		ns = TestNamespace.create('reread');
		populateVariety(ns);
	});

	after(() => {
		ns?.remove();
	});

	test('every entry of a dump is found again, in the order asked, with the same id and tuples', () => {
		const dumped = dumpRaw(ns);
		assert.ok(dumped.length >= 16, `expected the populated variety, got ${dumped.length}`);
		const results = reread(
			ns,
			dumped.map((d) => d.raw),
		);
		assert.equal(results.length, dumped.length);
		for (const [i, result] of results.entries()) {
			assert.equal(
				typeof result,
				'object',
				`flow ${i} was ${typeof result === 'string' ? result : 'a flow'}`,
			);
			const flow = result as FlowJson;
			const expected = dumped[i].json;
			assert.equal(flow.id, expected.id);
			assert.deepEqual(flow.original, expected.original);
			assert.deepEqual(flow.reply, expected.reply);
			assert.equal(flow.zone, expected.zone);
			assert.equal(flow.proto, expected.proto);
		}
	});

	test('a deleted entry reads as gone, a changed timeout and mark are read fresh, the rest are untouched', () => {
		const dumped = dumpRaw(ns);
		const gone = dumped.find((d) => d.json.original.dport === 25)!;
		const changed = dumped.find((d) => d.json.original.dport === 22 && d.json.proto === 'tcp')!;
		const zoned = dumped.find((d) => d.json.zone === 7)!;
		assert.ok(gone && changed && zoned);

		ns.conntrack(['-D', '-p', 'tcp', '--sport', '40004', '--dport', '25']);
		ns.conntrack(
			[
				'-U',
				'-p',
				'tcp',
				'-s',
				'10.1.0.3',
				'-d',
				'10.1.0.2',
				'--sport',
				'40003',
				'--dport',
				'22',
			].concat(['-t', '99', '-m', '5']),
		);

		const results = reread(ns, [gone.raw, changed.raw, zoned.raw]);
		assert.equal(results[0], 'gone');
		const fresh = results[1] as FlowJson;
		assert.equal(fresh.id, changed.json.id);
		assert.ok(fresh.timeout! <= 99 && fresh.timeout! >= 97, `timeout ${fresh.timeout}`);
		assert.equal(fresh.mark, 5);
		const zone = results[2] as FlowJson;
		assert.equal(zone.id, zoned.json.id);
		assert.equal(zone.zone, 7);

		const listed = ns.conntrack(['-L', '-p', 'tcp', '--dport', '25']);
		assert.equal(listed.trim(), '', 'conntrack -L agrees the deleted entry is gone');
	});

	test('a batch larger than one datagram keeps results in order', () => {
		const dumped = dumpRaw(ns);
		// 300 requests cross the 256-per-datagram batch size; every one must map back to its flow.
		const raws: string[] = [];
		const ids: number[] = [];
		for (let i = 0; i < 300; i++) {
			const d = dumped[i % dumped.length];
			raws.push(d.raw);
			ids.push(d.json.id);
		}

		const results = reread(ns, raws);
		assert.equal(results.length, 300);
		for (const [i, result] of results.entries()) {
			assert.equal((result as FlowJson).id, ids[i], `result ${i}`);
		}
	});
});
