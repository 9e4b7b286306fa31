/**
 * A row's sort keys, written from its flow into the store's key columns (laid out by
 * row-layout.ts) when it is added and whenever a column that can change does.
 */
import {natAddressOf, natKindOf} from '../flow/nat.js';
import type {Address, Flow} from '../flow/types.js';
import {stateRank} from './names.js';
import {keyColumn} from './row-layout.js';

/** `none` < `snat` < `dnat` < `both`: untranslated flows first. */
export function natRank(kind: string | null | undefined): number {
	switch (kind) {
		case 'snat':
			return 1;
		case 'dnat':
			return 2;
		case 'both':
			return 3;
		default:
			return 0;
	}
}

/**
 * Writes `address` as five chunks at `index`: family rank (1 IPv4, 2 IPv6; 0 for none) then
 * four words, so IPv4 sorts before IPv6 and each family numerically.
 */
export function writeAddressChunks(
	address: Address | undefined,
	chunks: readonly Uint32Array[],
	first: number,
	index: number,
): void {
	const family = chunks[first];
	if (address === undefined) {
		family[index] = 0;
		for (let w = 1; w <= 4; w++) chunks[first + w][index] = 0;
	} else if (typeof address === 'number') {
		family[index] = 1;
		chunks[first + 1][index] = address;
		chunks[first + 2][index] = 0;
		chunks[first + 3][index] = 0;
		chunks[first + 4][index] = 0;
	} else {
		family[index] = 2;
		for (let w = 0; w < 4; w++) {
			const i = w * 4;
			chunks[first + 1 + w][index] =
				((address[i] << 24) | (address[i + 1] << 16) | (address[i + 2] << 8) | address[i + 3]) >>>
				0;
		}
	}
}

/** Writes every key column of `slot` from `flow`. */
export function writeRowKeys(columns: readonly Uint32Array[], slot: number, flow: Flow): void {
	columns[keyColumn.id][slot] = flow.id >>> 0;
	columns[keyColumn.proto][slot] = flow.protonum;
	columns[keyColumn.sport][slot] = flow.original.sport;
	columns[keyColumn.dport][slot] = flow.original.dport;
	columns[keyColumn.zone][slot] = flow.zone >>> 0;
	writeAddressChunks(flow.original.src, columns, keyColumn.src, slot);
	writeAddressChunks(flow.original.dst, columns, keyColumn.dst, slot);
	writeChangingKeys(columns, slot, flow);
}

/**
 * Writes the key columns that can change during a flow's life (state, mark, status, reply
 * tuple, NAT).
 */
export function writeChangingKeys(columns: readonly Uint32Array[], slot: number, flow: Flow): void {
	columns[keyColumn.state][slot] = stateRank(flow.state);
	columns[keyColumn.mark][slot] = (flow.mark ?? 0) >>> 0;
	columns[keyColumn.status][slot] = (flow.status ?? 0) >>> 0;
	columns[keyColumn.nat][slot] = natRank(natKindOf(flow));
	writeAddressChunks(natAddressOf(flow), columns, keyColumn.nat + 1, slot);
	const {reply} = flow;
	writeAddressChunks(reply.src, columns, keyColumn.replySrc, slot);
	writeAddressChunks(reply.dst, columns, keyColumn.replyDst, slot);
	columns[keyColumn.replySport][slot] = reply.sport;
	columns[keyColumn.replyDport][slot] = reply.dport;
}
