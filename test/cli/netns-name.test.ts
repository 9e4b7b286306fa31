import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {currentNetnsName} from '../../source/cli/netns-name.js';
import {TestNamespace} from '../helpers/netns.js';

const lookupModule = fileURLToPath(new URL('../../source/cli/netns-name.ts', import.meta.url));

/** What currentNetnsName says in a process started with `ip netns exec` in `ns`. */
function nameInside(ns: TestNamespace): string | null {
	const code = `const {currentNetnsName} = await import(${JSON.stringify(lookupModule)});
console.log(JSON.stringify(currentNetnsName() ?? null));`;
	const out = ns.run(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', code]);
	return JSON.parse(out) as string | null;
}

describe('the name of the namespace conntop was started in', () => {
	let first: TestNamespace;
	let second: TestNamespace;

	before(() => {
		first = TestNamespace.create('name');
		second = TestNamespace.create('name');
	});

	after(() => {
		first?.remove();
		second?.remove();
	});

	test('under ip netns exec NAME it is NAME, among other named namespaces', () => {
		assert.equal(nameInside(first), first.name);
		assert.equal(nameInside(second), second.name);
	});

	test("in the host's own namespace there is none", () => {
		assert.equal(currentNetnsName(), undefined);
	});

	test('without a /run/netns there is none', () => {
		assert.equal(currentNetnsName('/proc/self/ns/net', '/nonexistent/netns'), undefined);
	});
});
