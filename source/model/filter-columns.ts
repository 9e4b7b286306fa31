/**
 * Runs a parsed filter over the whole table column by column: each term is one tight loop over
 * the store's typed arrays (protocol, ports, address words, status, expiry, ...), never over
 * the 100k flow objects, whose pointer chasing cost more than the tests themselves. Same
 * meaning as `Filter.test` (the reference, used for single flows); tests hold them equal.
 */
import {statusState, statusStates} from '../flow/status.js';
import type {Cidr} from './cidr.js';
import type {FilterTerm} from './filter-terms.js';
import type {Filter} from './filter.js';
import {ageSeconds, numberMatcher, ttlSeconds} from './filter-predicates.js';
import {flagBits, noStateRank, stateRank} from './names.js';
import {natRank} from './row-keys.js';
import {keyColumn, rowField} from './row-layout.js';
import type {FlowStore} from './store.js';

type SlotTest = (slot: number) => boolean;

/** CIDR blocks as word masks, tested against address chunks (family rank + four words). */
class AddressSet {
	private readonly v4: number[] = [];
	private readonly v6: number[] = [];

	constructor(cidrs: readonly Cidr[]) {
		for (const cidr of cidrs) {
			if (typeof cidr.address === 'number') {
				this.v4.push(cidr.bits === 0 ? 0 : (0xffffffff << (32 - cidr.bits)) >>> 0, cidr.address);
				continue;
			}

			for (let w = 0; w < 4; w++) {
				const bits = Math.max(0, Math.min(32, cidr.bits - w * 32));
				const a = cidr.address;
				const i = w * 4;
				const word = ((a[i] << 24) | (a[i + 1] << 16) | (a[i + 2] << 8) | a[i + 3]) >>> 0;
				this.v6.push(bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0, word);
			}
		}
	}

	/** Whether the address stored at `first..first+4` of `columns` for `slot` is inside. */
	has(columns: readonly Uint32Array[], first: number, slot: number): boolean {
		const family = columns[first][slot];
		if (family === 1) {
			const word = columns[first + 1][slot];
			const {v4} = this;
			for (let i = 0; i < v4.length; i += 2) if ((word & v4[i]) >>> 0 === v4[i + 1]) return true;
			return false;
		}

		if (family !== 2) return false;
		const {v6} = this;
		for (let i = 0; i < v6.length; i += 8) {
			if (
				(columns[first + 1][slot] & v6[i]) >>> 0 === v6[i + 1] &&
				(columns[first + 2][slot] & v6[i + 2]) >>> 0 === v6[i + 3] &&
				(columns[first + 3][slot] & v6[i + 4]) >>> 0 === v6[i + 5] &&
				(columns[first + 4][slot] & v6[i + 6]) >>> 0 === v6[i + 7]
			) {
				return true;
			}
		}

		return false;
	}
}

function termTest(
	term: FilterTerm,
	store: FlowStore,
	now: number,
	words: ReadonlyMap<string, Uint8Array>,
): SlotTest {
	const columns = store.keyColumns;
	switch (term.kind) {
		case 'address': {
			const set = new AddressSet(term.cidrs);
			if (term.field === 'src') return (slot) => set.has(columns, keyColumn.src, slot);
			if (term.field === 'dst') {
				return (slot) =>
					set.has(columns, keyColumn.dst, slot) || set.has(columns, keyColumn.replySrc, slot);
			}

			return (slot) =>
				set.has(columns, keyColumn.src, slot) ||
				set.has(columns, keyColumn.dst, slot) ||
				set.has(columns, keyColumn.replySrc, slot) ||
				set.has(columns, keyColumn.replyDst, slot);
		}

		case 'number': {
			const test = numberMatcher(term.tests);
			const sport = columns[keyColumn.sport];
			const dport = columns[keyColumn.dport];
			const replySport = columns[keyColumn.replySport];
			const replyDport = columns[keyColumn.replyDport];
			switch (term.field) {
				case 'sport':
					return (slot) => test(sport[slot]);
				case 'dport':
					return (slot) => test(dport[slot]) || test(replySport[slot]);
				case 'port':
					return (slot) =>
						test(sport[slot]) ||
						test(dport[slot]) ||
						test(replySport[slot]) ||
						test(replyDport[slot]);
				case 'mark': {
					const mark = columns[keyColumn.mark];
					return (slot) => test(mark[slot]);
				}

				case 'zone': {
					const zone = columns[keyColumn.zone];
					return (slot) => test(zone[slot]);
				}

				case 'ttl': {
					return (slot) => test(ttlSeconds(store.get(slot, rowField.expiresAt), now));
				}

				case 'age': {
					return (slot) => test(ageSeconds(store.get(slot, rowField.since), now));
				}

				case 'bytes': {
					return (slot) => test(store.columns.totalBytes(slot));
				}

				case 'packets': {
					return (slot) => test(store.columns.totalPackets(slot));
				}

				case 'rate':
					return (slot) => test(store.bytesPerSecond(slot));
			}
		}

		case 'proto': {
			const accepted = new Uint8Array(256);
			for (const protonum of term.protonums) accepted[protonum] = 1;
			const proto = columns[keyColumn.proto];
			return (slot) => accepted[proto[slot]] === 1;
		}

		case 'state': {
			const accepted = new Uint8Array(256);
			// Flows without a protocol state match by what the State column shows for them.
			const byStatus = new Set<string>();
			for (const state of term.states) {
				if ((statusStates as readonly string[]).includes(state)) byStatus.add(state);
				else accepted[stateRank(state)] = 1;
			}

			const rank = columns[keyColumn.state];
			if (byStatus.size === 0) return (slot) => accepted[rank[slot]] === 1;
			const status = columns[keyColumn.status];
			return (slot) =>
				accepted[rank[slot]] === 1 ||
				(rank[slot] === noStateRank && byStatus.has(statusState(status[slot])));
		}

		case 'flag': {
			const flags = term.flags.map((name) => flagBits[name]);
			const status = columns[keyColumn.status];
			return (slot) => {
				const bits = status[slot];
				for (const flag of flags) if (((bits & flag.bit) !== 0) !== flag.negate) return true;
				return false;
			};
		}

		case 'nat': {
			// Ranks: 0 none, 1 snat, 2 dnat, 3 both.
			const accepted = new Uint8Array(4);
			const cidrs: Cidr[] = [];
			for (const value of term.values) {
				if (typeof value === 'object') cidrs.push(value);
				else if (value === 'none') accepted[0] = 1;
				else if (value === 'any') accepted.fill(1, 1);
				else if (value === 'both') accepted[3] = 1;
				else accepted[natRank(value)] = accepted[3] = 1;
			}

			const set = new AddressSet(cidrs);
			const rank = columns[keyColumn.nat];
			return (slot) => {
				const kind = rank[slot];
				if (accepted[kind] === 1) return true;
				if (cidrs.length === 0 || kind === 0) return false;
				return (
					((kind & 1) !== 0 && set.has(columns, keyColumn.replyDst, slot)) ||
					((kind & 2) !== 0 && set.has(columns, keyColumn.replySrc, slot))
				);
			};
		}

		case 'word': {
			const hits = words.get(term.word)!;
			return (slot) => hits[slot] === 1;
		}
	}
}

/**
 * Writes 1 into `out[slot]` for every live slot of `store` matching `filter` at `now` and 0
 * for the others; returns how many matched. `words` maps each of `filter.words` to its hits
 * from the text index.
 */
export function evaluateFilter(
	filter: Filter,
	store: FlowStore,
	now: number,
	out: Uint8Array,
	words: ReadonlyMap<string, Uint8Array>,
): number {
	const n = store.length;
	const {flows} = store;
	for (let slot = 0; slot < n; slot++) out[slot] = flows[slot] === undefined ? 0 : 1;
	for (const term of filter.terms) {
		const test = termTest(term, store, now, words);
		const fail = term.negate;
		for (let slot = 0; slot < n; slot++) {
			if (out[slot] === 1 && test(slot) === fail) out[slot] = 0;
		}
	}

	let count = 0;
	for (let slot = 0; slot < n; slot++) count += out[slot];
	return count;
}

/**
 * `evaluateFilter` for the distinct slots `slots[0..length)` only (the words' hits need only be
 * right there); the others keep what `out` holds. Returns how many more of those slots match
 * than did before (negative when fewer).
 */
export function evaluateFilterAt(
	filter: Filter,
	store: FlowStore,
	now: number,
	out: Uint8Array,
	words: ReadonlyMap<string, Uint8Array>,
	slots: Int32Array,
	length: number,
): number {
	const {flows} = store;
	let change = 0;
	for (let i = 0; i < length; i++) {
		const slot = slots[i];
		change -= out[slot];
		out[slot] = flows[slot] === undefined ? 0 : 1;
	}

	for (const term of filter.terms) {
		const test = termTest(term, store, now, words);
		const fail = term.negate;
		for (let i = 0; i < length; i++) {
			const slot = slots[i];
			if (out[slot] === 1 && test(slot) === fail) out[slot] = 0;
		}
	}

	for (let i = 0; i < length; i++) change += out[slots[i]];
	return change;
}
