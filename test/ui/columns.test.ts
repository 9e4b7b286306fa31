import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {FlowTable} from '../../source/model/table.js';
import {
	chooseColumns,
	chooseGroupColumns,
	formatFlowRow,
	formatGroupRow,
	formatHeaderLine,
	type Column,
} from '../../source/ui/columns.js';
import {endpointCell} from '../../source/ui/flow-cells.js';
import {shortenMiddle, textWidth} from '../../source/ui/text.js';
import {parseIpv6} from '../../source/model/address.js';
import {epoch, makeFlow, tableWith} from '../helpers/ui-flows.js';

function ids(columns: readonly Column[]): string {
	return columns.map((c) => c.id).join(' ');
}

function used(columns: readonly Column[]): number {
	return columns.reduce((sum, c) => sum + c.width, 0) + columns.length - 1;
}

function firstRow(table: FlowTable) {
	return table.query({sort: 'src', rows: 10}, epoch).rows;
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

	test('the counters option shows bytes and rate even at 80 columns by narrowing addresses', () => {
		const columns = chooseColumns(80, {counters: true});
		assert.equal(ids(columns), 'tag proto src dst state ttl bytes rate');
		assert.ok(used(columns) <= 80);
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

describe('formatHeaderLine', () => {
	test('titles are padded to the width and the sorted column gets an arrow', () => {
		const columns = chooseColumns(80);
		const line = formatHeaderLine(columns, 80, {column: 'dport', reverse: true});
		assert.equal(textWidth(line), 80);
		assert.match(line, /Destination↓/);
		assert.match(formatHeaderLine(columns, 80, {column: 'ttl', reverse: false}), /TTL↑/);
	});
});

describe('formatFlowRow', () => {
	test('a row shows protocol, endpoints with ports, state and TTL, exactly as wide as asked', () => {
		const table = tableWith(
			[makeFlow({id: 1, src: '10.0.0.5', dst: '8.8.8.8', sport: 5555, dport: 443, timeout: 299})],
			epoch,
		);
		const [row] = firstRow(table);
		const line = formatFlowRow(row, chooseColumns(80), 80);
		assert.equal(textWidth(line), 80);
		assert.match(line, /^ {3}tcp {3}10\.0\.0\.5:5555 +8\.8\.8\.8:443 +ESTABLISHED +4:59$/);
	});

	test('a NATed flow shows where it is translated to, and the tag mark when tagged', () => {
		const table = tableWith(
			[
				makeFlow({
					id: 1,
					src: '10.0.0.5',
					dst: '8.8.8.8',
					sport: 5555,
					snat: {address: '203.0.113.1', port: 61_000},
				}),
			],
			epoch,
		);
		const [row] = firstRow(table);
		const line = formatFlowRow(row, chooseColumns(100), 100, {tagged: true});
		assert.match(line, /^\* /);
		assert.match(line, /S 203\.0\.113\.1:61000/);
		assert.match(formatFlowRow(row, chooseColumns(80), 80), / S ESTABLISHED/);
	});

	test('DNS names replace addresses when the resolver knows them', () => {
		const table = tableWith([makeFlow({id: 1, src: '10.0.0.5', dst: '8.8.8.8', dport: 53})], epoch);
		const [row] = firstRow(table);
		const names = (address: string) => (address === '8.8.8.8' ? 'dns.google' : undefined);
		assert.match(formatFlowRow(row, chooseColumns(80), 80, {resolveName: names}), /dns\.google:53/);
	});

	test('protocols without ports show bare addresses', () => {
		const table = tableWith(
			[makeFlow({id: 1, proto: 'icmp', src: '10.0.0.5', dst: '10.0.0.1'})],
			epoch,
		);
		const line = formatFlowRow(firstRow(table)[0], chooseColumns(80), 80);
		assert.match(line, /icmp +10\.0\.0\.5 +10\.0\.0\.1 /);
	});

	test('counters show as - when accounting is off', () => {
		const table = tableWith(
			[makeFlow({id: 1, src: '10.0.0.5', dst: '10.0.0.1', noCounters: true})],
			epoch,
		);
		const line = formatFlowRow(firstRow(table)[0], chooseColumns(80, {counters: true}), 80);
		assert.match(line, / +- +-$/);
	});

	test('closed flows say so in the TTL column and mark column', () => {
		const flow = makeFlow({id: 1, src: '10.0.0.5', dst: '10.0.0.1'});
		const table = tableWith([flow], epoch);
		table.applyEvent({type: 'destroy', flow, time: epoch}, epoch);
		const line = formatFlowRow(firstRow(table)[0], chooseColumns(80), 80);
		assert.match(line, /^ - /);
		assert.match(line, /closed$/);
	});
});

describe('shortening', () => {
	test('long IPv6 endpoints lose the middle of the address and keep the port whole', () => {
		const address = parseIpv6('2001:db8:ffff:eeee:dddd:cccc:bbbb:aaaa')!;
		const cell = endpointCell(address, 443, true, 21);
		assert.equal(textWidth(cell), 21);
		assert.match(cell, /^\[2001:db…bb:aaaa\]:443$/);
	});

	test('shortenMiddle keeps both ends', () => {
		assert.equal(shortenMiddle('abcdefghij', 5), 'ab…ij');
		assert.equal(shortenMiddle('abc', 5), 'abc');
	});
});

describe('formatGroupRow', () => {
	test('a group row shows its label and flow count in the width', () => {
		const table = tableWith(
			[
				makeFlow({id: 1, src: '10.0.0.5', dst: '8.8.8.8'}),
				makeFlow({id: 2, src: '10.0.0.5', dst: '1.1.1.1'}),
			],
			epoch,
		);
		const page = table.query({group: 'src', sort: 'count', rows: 5}, epoch);
		const columns = chooseGroupColumns(80, 'src');
		const line = formatGroupRow(page.rows[0], columns, 80);
		assert.equal(textWidth(line), 80);
		assert.match(line, /^10\.0\.0\.5 +2 /);
	});
});
