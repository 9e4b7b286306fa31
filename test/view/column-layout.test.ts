import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {chooseColumns, chooseGroupColumns, type Column} from '../../source/view/column-layout.js';
import {ipv4EndpointWidth} from '../../source/view/column-specs.js';

function ids(columns: readonly Column[]): string {
	return columns.map((c) => c.id).join(' ');
}

function used(columns: readonly Column[]): number {
	return columns.reduce((sum, c) => sum + c.width, 0) + columns.length - 1;
}

describe('chooseColumns', () => {
	test('an 80-column terminal gets the essential columns and a one-letter NAT kind', () => {
		const columns = chooseColumns(80);
		assert.equal(ids(columns), 'tag proto src dst natKind state ttl');
		assert.ok(used(columns) <= 80);
		assert.ok(columns.find((c) => c.id === 'src')!.width >= 21, 'an IPv4 endpoint fits whole');
	});

	test('100 columns make room for the translated endpoint', () => {
		assert.equal(ids(chooseColumns(100)), 'tag proto src dst nat state ttl');
	});

	test('the counters option shows bytes and rate at 80 columns, short of TTL and a narrow state', () => {
		const columns = chooseColumns(80, {counters: true});
		assert.equal(ids(columns), 'tag proto src dst natKind state bytes rate');
		assert.equal(columns.find((c) => c.id === 'state')!.width, 6);
		assert.ok(used(columns) <= 80);
	});

	test('60 columns keep the mark, protocol, both whole addresses and a short state', () => {
		for (const counters of [false, true]) {
			const columns = chooseColumns(60, {counters});
			assert.equal(ids(columns), 'tag proto src dst state');
			assert.ok(columns.every((c) => c.id !== 'src' || c.width >= ipv4EndpointWidth));
		}
	});

	test('address columns never go under the IPv4 width from 60 columns up', () => {
		for (let width = 60; width <= 240; width++) {
			for (const counters of [false, true]) {
				for (const endpoints of [undefined, 30, 47]) {
					const columns = chooseColumns(width, {counters, endpoints});
					for (const id of ['src', 'dst'] as const) {
						const column = columns.find((c) => c.id === id)!;
						assert.ok(column.width >= ipv4EndpointWidth, `${width} ${counters} ${id}`);
					}

					assert.ok(used(columns) <= width, `${width} ${counters} ${endpoints}`);
				}
			}
		}
	});

	test('columns go in the documented order: zone, mark, age, packets, NAT endpoint, TTL, bytes, rate, NAT letter', () => {
		const order = ['zone', 'ctmark', 'age', 'packets', 'nat', 'ttl', 'bytes', 'rate', 'natKind'];
		for (let width = 60; width <= 240; width++) {
			for (const counters of [false, true]) {
				const shown = new Set(chooseColumns(width, {counters}).map((c) => c.id as string));
				// The NAT letter is there whenever the whole NAT endpoint is.
				if (shown.has('nat')) shown.add('natKind');
				const steps = counters
					? order
					: order.filter((id) => !['bytes', 'rate', 'packets'].includes(id));
				for (let i = 0; i < steps.length; i++) {
					if (shown.has(steps[i])) continue;
					const kept = steps.slice(0, i).filter((id) => shown.has(id));
					assert.deepEqual(
						kept,
						[],
						`${width} ${counters}: ${steps[i]} went before ${kept.join(',')}`,
					);
				}
			}
		}
	});

	test('IPv6 endpoints take room from other columns, and share it when it runs out', () => {
		const wide = chooseColumns(132, {endpoints: 39});
		assert.equal(ids(wide), 'tag proto src dst natKind state ttl');
		assert.ok(wide.find((c) => c.id === 'src')!.width >= 39);
		const narrow = chooseColumns(80, {endpoints: 39});
		assert.equal(ids(narrow), 'tag proto src dst state');
		assert.equal(used(narrow), 80);
	});

	test('below the room for two IPv4 addresses, state, protocol and mark go first', () => {
		assert.equal(ids(chooseColumns(48, {tags: false})), 'src dst');
		assert.equal(ids(chooseColumns(55, {tags: false})), 'proto src dst');
		assert.ok(used(chooseColumns(30)) <= 30);
	});

	test('a wide terminal shows every column and widens the addresses for IPv6', () => {
		const columns = chooseColumns(200, {counters: true});
		assert.equal(
			ids(columns),
			'tag proto src dst nat state ttl bytes rate packets age ctmark zone',
		);
		assert.ok(columns.find((c) => c.id === 'src')!.width > 30);
		assert.ok(used(columns) <= 200);
	});

	test('columns never take more than the width from 60 columns up', () => {
		for (let width = 60; width <= 240; width++) {
			for (const counters of [false, true]) {
				const columns = chooseColumns(width, {counters});
				assert.ok(used(columns) <= width, `${width} ${counters}: ${used(columns)}`);
			}
		}
	});

	test('group columns put the group first and fit the width', () => {
		const columns = chooseGroupColumns(80, 'dport');
		assert.equal(ids(columns), 'key count bytes rate packets');
		assert.equal(columns[0].title, 'Port');
		assert.ok(used(columns) <= 80);
	});
});
