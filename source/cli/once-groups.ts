/**
 * `--once --group-by`: flows are summed into their group as they are decoded and then dropped,
 * so memory follows the number of groups, not of flows. Groups come out in their key's natural
 * order (addresses numerically, IPv4 first; ports; protocol numbers; states by rank) or sorted
 * by a group column, as the TUI's grouped view orders them.
 */
import {natAddressOf} from '../flow/nat.js';
import type {FlowSource} from '../flow/source.js';
import type {Flow} from '../flow/types.js';
import {addressPrefix} from '../model/cidr.js';
import {groupLabel, type GroupBy, type GroupRow, type GroupSortColumn} from '../model/group.js';
import {stateRank, unknownStateRank} from '../model/names.js';
import {encodeNumbers, radixSort} from '../model/radix.js';
import {writeAddressChunks} from '../model/row-keys.js';
import {isGroupSortColumn} from '../model/sort-choice.js';
import {chooseGroupColumns} from '../view/column-layout.js';
import {formatGroupRow, formatHeaderLine} from '../view/row-format.js';
import {textWidthReady} from '../view/text.js';
import {closedOrThrow, onceKeeps, type OnceOptions} from './once.js';
import {groupNumber, NumberIndex, numberLabel} from './group-numbers.js';
import {GrowingChunks} from './once-sorted.js';
import type {ChunkWriter} from './stdout-writer.js';

/** Writes group `g`'s natural-order key from its first flow (state names ranked after). */
function writeGroupKey(by: GroupBy, chunks: Uint32Array[], g: number, flow: Flow): void {
	switch (by) {
		case 'src':
		case 'dst':
		case 'nat':
		case 'src24': {
			const address =
				by === 'dst'
					? flow.original.dst
					: by === 'nat'
						? natAddressOf(flow)
						: by === 'src'
							? flow.original.src
							: addressPrefix(flow.original.src, typeof flow.original.src === 'number' ? 24 : 64);
			writeAddressChunks(address, chunks, 0, g);
			return;
		}

		case 'dport':
			chunks[0][g] = flow.original.dport;
			chunks[1][g] = flow.protonum;
			return;
		case 'proto':
			chunks[0][g] = flow.protonum;
			return;
		case 'state':
			chunks[0][g] = stateRank(flow.state);
	}
}

function groupJson(row: GroupRow, by: GroupBy): Record<string, unknown> {
	return {
		group: by,
		key: row.key,
		count: row.count,
		closed: row.closed,
		packets: row.packets,
		bytes: row.bytes,
	};
}

/**
 * Reads the table, sums the matching flows by `by`, sorts the groups (by count, biggest first,
 * unless a group column is given) and prints them in `options.format`.
 */
export async function printGroups(
	client: Pick<FlowSource, 'dump'>,
	options: OnceOptions,
	by: GroupBy,
	out: ChunkWriter,
): Promise<void> {
	// Groups by number where a flow has one (group-numbers.ts), else by label; a numbered
	// group's label waits until it is printed.
	const byNumber = new NumberIndex();
	const byLabel = new Map<string, number>();
	const labels: Array<string | undefined> = [];
	const numbers = new GrowingChunks(1, false);
	const keys = new GrowingChunks(5, false);
	const sums = new GrowingChunks(0, true);
	const packets = new GrowingChunks(0, true);
	const bytes = new GrowingChunks(0, true);
	const keeps = await onceKeeps(options);
	const now = Date.now();
	await client.dump((flow) => {
		if (!keeps(flow, now)) return;
		const number = groupNumber(flow, by);
		const label = number === -1 ? groupLabel(flow, by) : undefined;
		let g = label === undefined ? byNumber.get(number) : (byLabel.get(label) ?? -1);
		if (g === -1) {
			g = labels.length;
			if (label === undefined) byNumber.add(number, g);
			else byLabel.set(label, g);
			labels.push(label);
			for (const columns of [numbers, keys, sums, packets, bytes]) columns.fit(g);
			numbers.chunks[0][g] = number;
			writeGroupKey(by, keys.chunks, g, flow);
		}

		sums.values[g]++;
		const c = flow.counters;
		if (c) {
			packets.values[g] += c.original.packets + c.reply.packets;
			bytes.values[g] += c.original.bytes + c.reply.bytes;
		}
	});

	const n = labels.length;
	if (by === 'state') {
		// Names no list knows rank after the known ones, alphabetically.
		// States have no number: every group has its label.
		const unknown = labels
			.filter((label, g) => keys.chunks[0][g] === unknownStateRank && label !== '-')
			.sort();
		for (let g = 0; g < n; g++) {
			keys.chunks[1][g] = keys.chunks[0][g] === unknownStateRank ? unknown.indexOf(labels[g]) : 0;
		}
	}

	const order = new Int32Array(n);
	for (let g = 0; g < n; g++) order[g] = g;
	const scratch = new Int32Array(n);
	radixSort(order, n, keys.chunks, scratch);
	const sort: GroupSortColumn =
		options.sort !== undefined && isGroupSortColumn(options.sort) ? options.sort : 'count';
	// Without an explicit sort, the biggest groups first: the question is "who has them all".
	const reverse = sort === 'count' ? !options.reverse : options.reverse;
	if (sort === 'key') {
		if (reverse) order.reverse();
	} else if (sort !== 'rate') {
		// One read has no rates: by rate, groups stay in key order.
		const values = (sort === 'count' ? sums : sort === 'packets' ? packets : bytes).values;
		const high = new Uint32Array(n);
		const low = new Uint32Array(n);
		const sorted = new Float64Array(n);
		// encodeNumbers reads values by index; the order so far is the tie-breaker.
		for (let i = 0; i < n; i++) sorted[i] = values[order[i]];
		encodeNumbers(sorted, n, high, low, reverse);
		const position = new Int32Array(n);
		for (let i = 0; i < n; i++) position[i] = i;
		radixSort(position, n, [high, low], scratch);
		const byKey = Int32Array.from(order);
		for (let i = 0; i < n; i++) order[i] = byKey[position[i]];
	}

	const rows = (function* (): Generator<GroupRow> {
		for (let i = 0; i < n; i++) {
			const g = order[i];
			yield {
				key: labels[g] ?? numberLabel(numbers.chunks[0][g], by),
				count: sums.values[g],
				closed: 0,
				packets: packets.values[g],
				bytes: bytes.values[g],
				bytesPerSecond: 0,
				packetsPerSecond: 0,
			};
		}
	})();

	try {
		if (options.format === 'json') {
			let first = true;
			out.add('[');
			for (const row of rows) {
				out.add(
					(first ? '\n ' : ',\n ') +
						JSON.stringify(groupJson(row, by), null, 1).replaceAll('\n', '\n '),
				);
				first = false;
			}

			out.add(first ? ']\n' : '\n]\n');
		} else if (options.format === 'csv') {
			out.add('group,key,count,closed,packets,bytes\n');
			for (const r of rows)
				out.add([by, r.key, r.count, r.closed, r.packets, r.bytes].join(',') + '\n');
		} else {
			await textWidthReady();
			const columns = chooseGroupColumns(options.width, by);
			out.add(formatHeaderLine(columns, options.width, {column: sort, reverse}).trimEnd() + '\n');
			for (const row of rows) out.add(formatGroupRow(row, columns, options.width).trimEnd() + '\n');
		}
	} catch (error) {
		closedOrThrow(error);
	}
}
