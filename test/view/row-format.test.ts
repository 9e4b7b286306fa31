import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {parseIpv6} from '../../source/flow/address.js';
import {FlowTable} from '../../source/model/table.js';
import {
	chooseColumns,
	chooseGroupColumns,
	widestEndpoint,
} from '../../source/view/column-layout.js';
import {formatFlowRow, formatGroupRow, formatHeaderLine} from '../../source/view/row-format.js';
import {endpointCell} from '../../source/view/flow-cells.js';
import {shortenMiddle, textWidth} from '../../source/view/text.js';
import {epoch, makeFlow, tableWith} from '../helpers/ui-flows.js';

function firstRow(table: FlowTable) {
	return table.query({sort: 'src', rows: 10}, epoch).rows;
}

describe('formatHeaderLine', () => {
	test('titles are padded to the width and the sorted column gets an arrow', () => {
		const columns = chooseColumns(80);
		const line = formatHeaderLine(columns, 80, {column: 'dport', reverse: true});
		assert.equal(textWidth(line), 80);
		assert.match(line, /Destination:port↓/);
		assert.match(formatHeaderLine(columns, 80, {column: 'ttl', reverse: false}), /TTL↑/);
	});

	test('the arrow says whether an address column is sorted by address or by port', () => {
		const columns = chooseColumns(80);
		const header = (column: 'src' | 'sport' | 'dst') =>
			formatHeaderLine(columns, 80, {column, reverse: false});
		assert.match(header('src'), / Source↑ +Destination /);
		assert.match(header('sport'), / Source:port↑ +Destination /);
		assert.match(header('dst'), / Source +Destination↑ /);
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

/** Every dotted quad in `text`, with what touches it on both sides. */
function dottedQuads(text: string): Array<{quad: string; before: string; after: string}> {
	return [...text.matchAll(/(.?)(\d+(?:\.\d+){3})(.?)/g)].map((m) => ({
		before: m[1],
		quad: m[2],
		after: m[3],
	}));
}

describe('whole addresses', () => {
	const flows = [
		makeFlow({
			id: 1,
			src: '198.51.100.210',
			dst: '203.0.113.254',
			sport: 49_553,
			dport: 65_535,
			snat: {address: '192.0.2.201', port: 61_234},
		}),
		makeFlow({
			id: 2,
			src: '255.255.255.255',
			dst: '10.200.200.200',
			sport: 65_535,
			dport: 8443,
			dnat: {address: '172.31.255.254', port: 65_000},
			state: 'TIME_WAIT',
		}),
		makeFlow({id: 3, proto: 'icmp', src: '100.64.255.255', dst: '192.168.255.255'}),
	];
	const known = new Set([
		'198.51.100.210',
		'203.0.113.254',
		'192.0.2.201',
		'255.255.255.255',
		'10.200.200.200',
		'172.31.255.254',
		'100.64.255.255',
		'192.168.255.255',
	]);

	test('every IPv4 address in a row is whole at 60, 80, 132 and 200 columns, counters or not', () => {
		const table = tableWith(flows, epoch);
		const rows = firstRow(table);
		for (const width of [60, 80, 132, 200]) {
			for (const counters of [false, true]) {
				const columns = chooseColumns(width, {counters, endpoints: widestEndpoint(rows)});
				const lines = rows.map((row) => formatFlowRow(row, columns, width));
				const quads = dottedQuads(lines.join('\n'));
				assert.ok(quads.length >= 6, `${width}: both endpoints of every row`);
				for (const {quad, before, after} of quads) {
					assert.ok(known.has(quad), `${width} ${counters}: ${quad} is a flow's address`);
					assert.doesNotMatch(before + after, /[\d.…]/, `${width}: ${before}${quad}${after}`);
				}

				for (const line of lines) assert.equal(textWidth(line), width);
			}
		}
	});

	test('the translated endpoint is shown whole when there is room, its letter when not', () => {
		const table = tableWith(flows, epoch);
		const rows = firstRow(table);
		const at = (width: number) =>
			rows.map((row) => formatFlowRow(row, chooseColumns(width), width)).join('\n');
		assert.match(at(100), /S 192\.0\.2\.201:61234/);
		assert.match(at(100), /D 172\.31\.255\.254:65000/);
		assert.doesNotMatch(at(80), /192\.0\.2\.201/);
		assert.match(at(80), /:65535 +S ESTABLISHED/);
	});

	test('a narrow state column shows short state names', () => {
		const table = tableWith(flows, epoch);
		const text = firstRow(table)
			.map((row) => formatFlowRow(row, chooseColumns(60), 60))
			.join('\n');
		assert.match(text, / ESTAB *$/m);
		assert.match(text, / TIME_W *$/m);
	});

	test('widestEndpoint measures addresses with ports, NAT targets included', () => {
		const table = tableWith(
			[
				makeFlow({id: 1, src: '10.0.0.1', dst: '10.0.0.2', sport: 1, dport: 2}),
				makeFlow({
					id: 2,
					src: '2001:db8::1',
					dst: '2001:db8::2',
					dnat: {address: '2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff', port: 443},
				}),
			],
			epoch,
		);
		const rows = firstRow(table);
		assert.equal(widestEndpoint(rows.slice(0, 1)), '10.0.0.1:1'.length);
		assert.equal(widestEndpoint(rows), '[2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff]:443'.length);
	});

	test('an IPv6 endpoint that does not fit loses its middle; IPv4 ones beside it stay whole', () => {
		const table = tableWith(
			[
				makeFlow({id: 1, src: '198.51.100.210', dst: '203.0.113.254', sport: 49_553}),
				makeFlow({
					id: 2,
					src: '2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff',
					dst: '2001:db8::2',
					sport: 50_000,
				}),
			],
			epoch,
		);
		const rows = firstRow(table);
		const columns = chooseColumns(80, {endpoints: widestEndpoint(rows)});
		const [v4, v6] = rows.map((row) => formatFlowRow(row, columns, 80));
		assert.match(v4, /198\.51\.100\.210:49553 +203\.0\.113\.254:443 /);
		assert.match(v6, /\[2001:db8:[\da-f:]*…[\da-f:]*:ffff\]:50000 +\[2001:db8::2\]:443 /);
		const roomy = chooseColumns(132, {endpoints: widestEndpoint(rows)});
		assert.match(
			formatFlowRow(rows[1], roomy, 132),
			/\[2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff\]:50000/,
		);
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
