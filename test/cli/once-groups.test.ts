import assert from 'node:assert/strict';
import {closeSync, mkdtempSync, openSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import {printGroups} from '../../source/cli/once-groups.js';
import {ChunkWriter} from '../../source/cli/stdout-writer.js';
import type {Flow} from '../../source/flow/types.js';
import type {GroupBy} from '../../source/model/group.js';
import {syntheticFlows} from '../helpers/synthetic-flows.js';

/** `--once --group-by BY --csv` over `flows`: the rows after the header, as printed. */
async function groupCsv(flows: readonly Flow[], by: GroupBy): Promise<string[]> {
	const dir = mkdtempSync(join(tmpdir(), 'once-groups-'));
	try {
		const path = join(dir, 'out.csv');
		const fd = openSync(path, 'w');
		const out = new ChunkWriter(fd);
		const dump = async (onFlow: (flow: Flow) => void) => {
			await Promise.resolve();
			for (const flow of flows) onFlow(flow);
			return {flows: flows.length, errors: [], interrupted: false, unknownAttributes: 0};
		};
		const options = {sort: 'key', reverse: false, format: 'csv', width: 100, color: false} as const;
		await printGroups({dump}, {...options, group: by}, by, out);
		out.flush();
		closeSync(fd);
		return readFileSync(path, 'utf8').trimEnd().split('\n').slice(1);
	} finally {
		rmSync(dir, {recursive: true});
	}
}

const [tcp, udp] = syntheticFlows(40, 3).filter((flow) => flow.family === 'ipv4' && !flow.nat);
const v6 = syntheticFlows(400, 3).find((flow) => flow.family === 'ipv6')!;

function withPorts(flow: Flow, protonum: number, proto: string, dport: number): Flow {
	return {...flow, protonum, proto, original: {...flow.original, dport}};
}

test('flows of a protocol without ports share its group whatever their dport; ports split the others', async () => {
	const flows = [
		withPorts(tcp, 6, 'tcp', 443),
		withPorts(udp, 6, 'tcp', 443),
		withPorts(tcp, 6, 'tcp', 80),
		withPorts(tcp, 1, 'icmp', 0),
		withPorts(udp, 1, 'icmp', 3),
		withPorts(tcp, 47, 'gre', 9),
	];
	const rows = await groupCsv(flows, 'dport');
	assert.deepEqual(
		rows.map((row) => row.split(',').slice(0, 3).join(',')),
		// In key order: each group by its first flow's dport, then protocol.
		['dport,icmp,2', 'dport,gre,1', 'dport,80/tcp,1', 'dport,443/tcp,2'],
	);
});

test('IPv4 and IPv6 sources, /24 and /64 prefixes and flows without NAT each find their one group', async () => {
	const neighbour = {...udp, original: {...udp.original, src: tcp.original.src}};
	const sameNet = {...udp, original: {...udp.original, src: (tcp.original.src as number) ^ 1}};
	const flows = [tcp, v6, neighbour, sameNet, v6, tcp];
	const count = (rows: string[]) => rows.map((row) => Number(row.split(',')[2]));
	assert.deepEqual(count(await groupCsv(flows, 'src')).sort(), [1, 2, 3]);
	assert.deepEqual(count(await groupCsv(flows, 'src24')).sort(), [2, 4]);
	assert.deepEqual(count(await groupCsv(flows, 'nat')), [6]);
});
