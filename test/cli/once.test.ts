import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import {after, before, describe, test} from 'node:test';
import {fileURLToPath} from 'node:url';
import type {FlowJson} from '../../source/flow/json.js';
import {stateRank} from '../../source/model/names.js';
import {TestNamespace} from '../helpers/netns.js';
import {populateVariety} from '../helpers/populate.js';

/** The built binary (`npm test` builds first). */
const binary = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

function conntop(args: readonly string[]): string {
	const result = spawnSync(process.execPath, [binary, ...args], {
		encoding: 'utf8',
		maxBuffer: 64 * 1024 * 1024,
	});
	assert.equal(result.status, 0, result.stderr);
	assert.equal(result.stderr, '');
	return result.stdout;
}

/** What two reads of one table share: everything but the seconds left. */
function jsonFlows(text: string): string[] {
	return (JSON.parse(text) as FlowJson[])
		.map((flow) => JSON.stringify({...flow, timeout: null}))
		.sort();
}

/** CSV rows without the timeout column (the fifth). */
function csvRows(text: string): {header: string; rows: string[]} {
	const [header, ...rows] = text.trimEnd().split('\n');
	return {
		header,
		rows: rows
			.map((row) => row.split(','))
			.map((fields) => [...fields.slice(0, 4), ...fields.slice(5)].join(','))
			.sort(),
	};
}

/** Text rows with times (TTL, age: `1:59`, `23:59:59`, `4d23h`) blanked, and the title line. */
function textRows(text: string): {title: string; rows: string[]} {
	const [title, ...rows] = text.trimEnd().split('\n');
	return {
		title,
		rows: rows.map((row) => row.replaceAll(/\b(\d+d\d\dh|\d+(:\d\d){1,2})\b/g, 'T')).sort(),
	};
}

describe('--once streamed (no sort) and sorted print the same flows', () => {
	let ns: TestNamespace;

	before(() => {
		assert.ok(existsSync(binary), 'dist/cli.js exists: run `npm run build` (npm test does)');
		ns = TestNamespace.create('once');
		populateVariety(ns);
		// The traffic's last packets may still move a state or a counter: compare on a table that
		// reads the same twice in a row (timeouts aside), so the two paths see one table.
		const settled = () =>
			ns
				.conntrack(['-L', '-o', 'extended'])
				.split('\n')
				.map((line) => line.replace(/^(\S+ \d+ \S+ \d+ )\d+ /, '$1'))
				.sort()
				.join('\n');
		let previous = '';
		for (let reads = 0; reads < 100; reads++) {
			const table = settled();
			if (table === previous) break;
			previous = table;
		}
	});

	after(() => {
		ns?.remove();
	});

	test('JSON: the same flows, field for field, whichever the sort', () => {
		const streamed = jsonFlows(conntop(['--netns', ns.name, '--once', '--json']));
		assert.equal(streamed.length, Number(ns.conntrack(['-C']).trim()));
		for (const sort of ['src', 'dport', 'bytes', 'state', 'nat', 'age'])
			assert.deepEqual(
				jsonFlows(conntop(['--netns', ns.name, '--once', '--json', '-s', sort, '-r'])),
				streamed,
				`sorted by ${sort}`,
			);
	});

	test('CSV: the same header and rows', () => {
		const streamed = csvRows(conntop(['--netns', ns.name, '--once', '--csv']));
		const sorted = csvRows(conntop(['--netns', ns.name, '--once', '--csv', '-s', 'ttl']));
		assert.equal(sorted.header, streamed.header);
		assert.deepEqual(sorted.rows, streamed.rows);
		assert.equal(streamed.rows.length, Number(ns.conntrack(['-C']).trim()));
	});

	test('text: the same columns and rows; only the sorted title has an arrow', () => {
		for (const width of [80, 200]) {
			const streamed = textRows(conntop(['--netns', ns.name, '--once', '--width', String(width)]));
			const sorted = textRows(
				conntop(['--netns', ns.name, '--once', '--width', String(width), '-s', 'state']),
			);
			assert.equal(sorted.title, streamed.title.replace('State ', 'State↑'));
			assert.deepEqual(sorted.rows, streamed.rows, `width ${width}`);
		}
	});

	test('sorted flows follow the column, ties go by conntrack id; reverse flips the column, not the ties', () => {
		const columns = {
			state: (flow: FlowJson) => stateRank(flow.state),
			proto: (flow: FlowJson) => flow.protonum,
		};
		for (const [column, key] of Object.entries(columns)) {
			for (const reverse of [false, true]) {
				const args = ['--netns', ns.name, '--once', '--json', '-s', column];
				const flows = JSON.parse(conntop(reverse ? [...args, '-r'] : args)) as FlowJson[];
				let ties = 0;
				for (let i = 1; i < flows.length; i++) {
					const [a, b] = [key(flows[i - 1]), key(flows[i])];
					assert.ok(reverse ? a >= b : a <= b, `${column} ${reverse ? 'reversed ' : ''}at ${i}`);
					if (a !== b) continue;
					ties++;
					assert.ok(flows[i - 1].id <= flows[i].id, `${column} tie at ${i} by id`);
				}

				assert.ok(ties > 0 && new Set(flows.map(key)).size > 1, `${column}: ties and keys`);
			}
		}
	});

	test('a filter keeps the same flows on both paths', () => {
		const args = ['--netns', ns.name, '--once', '--json', '-f', 'proto:tcp !dport:22'];
		const streamed = jsonFlows(conntop(args));
		assert.ok(streamed.length >= 5);
		assert.deepEqual(jsonFlows(conntop([...args, '-s', 'sport'])), streamed);
	});
});
