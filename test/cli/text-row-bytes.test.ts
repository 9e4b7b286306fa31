import assert from 'node:assert/strict';
import {test} from 'node:test';
import {onceRow} from '../../source/cli/once-row.js';
import {TextRowWriter} from '../../source/cli/text-row-bytes.js';
import {IPS_HW_OFFLOAD, IPS_OFFLOAD} from '../../source/flow/status.js';
import type {Flow} from '../../source/flow/types.js';
import {chooseColumns} from '../../source/view/column-layout.js';
import {formatFlowRow} from '../../source/view/row-format.js';
import {makeFlow, syntheticFlows} from '../helpers/synthetic-flows.js';

const now = Date.UTC(2026, 11, 2, 2, 0, 0);

function varied(): Flow[] {
	const base = makeFlow({packets: [3, 2], bytes: [3000, 2_000_000], start: now - 61_500});
	return [
		...syntheticFlows(3000, 31),
		base,
		{...base, status: (base.status ?? 0) | IPS_OFFLOAD},
		{...base, status: (base.status ?? 0) | IPS_HW_OFFLOAD},
		makeFlow({replyDst: '203.0.113.9', replyDport: 1024, nat: 'snat', zone: 7, mark: 0x2a}),
		makeFlow({replySrc: '10.9.9.9', nat: 'dnat', timeout: 432_000}),
		makeFlow({
			src: '2001:db8::1',
			dst: '2001:db8:1:2:3:4:5:6',
			replySrc: '2001:db8::9',
			nat: 'dnat',
		}),
		makeFlow({proto: 'icmp', sport: 77, state: null, start: now + 5000}),
		makeFlow({proto: 'gre', state: null, timeout: 0}),
		{...base, state: undefined, status: 0b10},
		{...base, state: undefined, status: undefined, timeout: undefined, counters: undefined},
		{...base, start: undefined, mark: undefined},
		{...base, proto: 'ünknown', state: 'SYN_SENT'},
		{...base, state: 'A_STATE_NAME_LONGER_THAN_ITS_COLUMN'},
	];
}

test('TextRowWriter writes the trimmed rows formatFlowRow draws, or leaves the row to it', () => {
	const flows = varied();
	// All but the odd names: a protocol in UTF-8, a state cut with an ellipsis.
	const plain = new Set(flows.slice(0, -2));
	const buffer = Buffer.alloc(4096);
	for (const width of [30, 43, 60, 80, 100, 132, 160, 200, 300]) {
		for (const counters of [false, true]) {
			for (const endpoints of [21, 47]) {
				const columns = chooseColumns(width, {counters, tags: false, endpoints});
				const rows = new TextRowWriter(columns, width);
				for (const flow of flows) {
					const expected = formatFlowRow(onceRow(flow, now), columns, width).trimEnd() + '\n';
					const end = rows.write(buffer, 0, flow, now);
					// IPv4 rows with plain names, the common case, never need the view's whole row.
					if (width >= 60 && flow.family === 'ipv4' && plain.has(flow))
						assert.notEqual(end, -1, `width ${width}`);
					if (end === -1) continue;
					assert.ok(end <= rows.bound, `width ${width}`);
					assert.equal(buffer.toString('latin1', 0, end), expected, `width ${width}`);
				}
			}
		}
	}
});
