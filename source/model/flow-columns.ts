/**
 * The numbers of the table's flows, by slot, in typed arrays: id, status, timeout, mark, use,
 * zone, protocol number, NAT kind, kernel times, counters and both tuples (`tuple-columns.ts`).
 * Kept as fields of one object per flow they cost ~500 bytes a flow at 1M flows: V8 boxes
 * every double and every integer from 2^31 (ids, kernel times) in a heap object of its own,
 * each direction's counters and each tuple were objects, and every field takes a pointer's 8
 * bytes whether set or not. Here they take ~110. `stored-flow.ts` reads them back as a `Flow`.
 */
import {sameAddress} from '../flow/address.js';
import {IPS_DST_NAT, IPS_SRC_NAT} from '../flow/status.js';
import type {Counters, Family, Flow, NatKind, Tuple} from '../flow/types.js';
import {grown} from './grown.js';
import {TupleColumns} from './tuple-columns.js';

/** Bits of `FlowColumns.flags`: which optional numbers a flow has, and its family. */
const has = {
	status: 1,
	timeout: 2,
	mark: 4,
	use: 8,
	counters: 16,
	ipv6: 32,
} as const;

/** `nat` codes; 0 is "not known" (undefined). */
const natCodes: readonly NatKind[] = [null, null, 'snat', 'dnat', 'both'];

function natCode(kind: NatKind | undefined): number {
	switch (kind) {
		case undefined:
			return 0;
		case null:
			return 1;
		case 'snat':
			return 2;
		case 'dnat':
			return 3;
		case 'both':
			return 4;
	}
}

/** Bits `FlowColumns.merge` returns: which fields took a different value. */
export const flowChange = {
	state: 1,
	mark: 2,
	reply: 4,
	status: 8,
	helper: 16,
	nat: 32,
	counters: 64,
	start: 128,
	/** timeout, use, stop or labels. */
	other: 256,
} as const;

/** What a merge replaced, for the caller to compare against (valid until the next merge). */
export interface Before {
	reply: Tuple | undefined;
	status: number | undefined;
	nat: NatKind | undefined;
}

/** Flows' numbers by slot. A slot's values mean something only while the slot holds a flow. */
export class FlowColumns {
	id = new Uint32Array(0);
	status = new Uint32Array(0);
	timeout = new Uint32Array(0);
	mark = new Uint32Array(0);
	use = new Uint32Array(0);
	zone = new Uint16Array(0);
	protonum = new Uint8Array(0);
	nat = new Uint8Array(0);
	/** The NAT kind as `natKindOf` gives it (from the tuples when the message had none), coded. */
	kind = new Uint8Array(0);
	flags = new Uint8Array(0);
	/** Kernel times in ms since the epoch; NaN when the flow has none. */
	start = new Float64Array(0);
	stop = new Float64Array(0);
	/** Four a slot: original packets, original bytes, reply packets, reply bytes. */
	counters = new Float64Array(0);
	readonly original = new TupleColumns();
	readonly reply = new TupleColumns();
	/** What the last `merge` replaced when it changed the reply tuple, status or NAT kind. */
	readonly before: Before = {reply: undefined, status: undefined, nat: undefined};

	/** Makes room for slots up to `capacity - 1`. */
	grow(capacity: number): void {
		this.id = grown(this.id, capacity);
		this.status = grown(this.status, capacity);
		this.timeout = grown(this.timeout, capacity);
		this.mark = grown(this.mark, capacity);
		this.use = grown(this.use, capacity);
		this.zone = grown(this.zone, capacity);
		this.protonum = grown(this.protonum, capacity);
		this.nat = grown(this.nat, capacity);
		this.flags = grown(this.flags, capacity);
		this.start = grown(this.start, capacity);
		this.stop = grown(this.stop, capacity);
		this.counters = grown(this.counters, capacity * 4);
		this.kind = grown(this.kind, capacity);
		this.original.grow(capacity);
		this.reply.grow(capacity);
	}

	/** Writes every number of `flow` into `slot`. */
	write(slot: number, flow: Flow): void {
		this.id[slot] = flow.id;
		this.zone[slot] = flow.zone;
		this.protonum[slot] = flow.protonum;
		let flags = flow.family === 'ipv6' ? has.ipv6 : 0;
		if (flow.status !== undefined) {
			this.status[slot] = flow.status;
			flags |= has.status;
		}

		if (flow.timeout !== undefined) {
			this.timeout[slot] = flow.timeout;
			flags |= has.timeout;
		}

		if (flow.mark !== undefined) {
			this.mark[slot] = flow.mark;
			flags |= has.mark;
		}

		if (flow.use !== undefined) {
			this.use[slot] = flow.use;
			flags |= has.use;
		}

		if (flow.counters !== undefined) {
			this.writeCounters(slot, flow.counters);
			flags |= has.counters;
		}

		this.flags[slot] = flags;
		this.nat[slot] = natCode(flow.nat);
		this.start[slot] = flow.start ?? Number.NaN;
		this.stop[slot] = flow.stop ?? Number.NaN;
		this.original.write(slot, flow.original);
		this.reply.write(slot, flow.reply);
		this.kind[slot] = natCode(this.derivedKind(slot));
	}

	/** Forgets what only some slots keep (call when `slot` is freed). */
	clear(slot: number): void {
		this.original.clear(slot);
		this.reply.clear(slot);
		this.flags[slot] = 0;
	}

	/**
	 * Writes into `slot` every number `incoming` defines with a different value (one it leaves
	 * undefined keeps the stored value), and a reply tuple that differs by value. Returns the
	 * `flowChange` bits of what changed; `before` then holds the reply tuple, status and NAT
	 * kind as they were, when one of them changed.
	 */
	merge(slot: number, incoming: Flow): number {
		let changed = 0;
		const flags = this.flags[slot];
		const {before} = this;
		before.status = flags & has.status ? this.status[slot] : undefined;
		before.nat = this.natKind(slot);
		before.reply = undefined;
		if (!this.reply.same(slot, incoming.reply)) {
			before.reply = this.reply.read(slot);
			this.reply.write(slot, incoming.reply);
			changed |= flowChange.reply;
		}

		const {status, mark, nat, timeout, use, start, stop} = incoming;
		if (status !== undefined && (!(flags & has.status) || status !== this.status[slot])) {
			this.status[slot] = status;
			this.flags[slot] |= has.status;
			changed |= flowChange.status;
		}

		if (mark !== undefined && (!(flags & has.mark) || mark !== this.mark[slot])) {
			this.mark[slot] = mark;
			this.flags[slot] |= has.mark;
			changed |= flowChange.mark;
		}

		if (nat !== undefined && natCode(nat) !== this.nat[slot]) {
			this.nat[slot] = natCode(nat);
			changed |= flowChange.nat;
		}

		if (incoming.counters !== undefined && this.mergeCounters(slot, incoming.counters)) {
			changed |= flowChange.counters;
		}

		if (start !== undefined && start !== this.start[slot]) {
			this.start[slot] = start;
			changed |= flowChange.start;
		}

		if (timeout !== undefined && (!(flags & has.timeout) || timeout !== this.timeout[slot])) {
			this.timeout[slot] = timeout;
			this.flags[slot] |= has.timeout;
			changed |= flowChange.other;
		}

		if (use !== undefined && (!(flags & has.use) || use !== this.use[slot])) {
			this.use[slot] = use;
			this.flags[slot] |= has.use;
			changed |= flowChange.other;
		}

		if (stop !== undefined && stop !== this.stop[slot]) {
			this.stop[slot] = stop;
			changed |= flowChange.other;
		}

		if (changed & (flowChange.reply | flowChange.status | flowChange.nat)) {
			this.kind[slot] = natCode(this.derivedKind(slot));
		}

		return changed;
	}

	family(slot: number): Family {
		return this.flags[slot] & has.ipv6 ? 'ipv6' : 'ipv4';
	}

	optionalStatus(slot: number): number | undefined {
		return this.flags[slot] & has.status ? this.status[slot] : undefined;
	}

	optionalTimeout(slot: number): number | undefined {
		return this.flags[slot] & has.timeout ? this.timeout[slot] : undefined;
	}

	optionalMark(slot: number): number | undefined {
		return this.flags[slot] & has.mark ? this.mark[slot] : undefined;
	}

	optionalUse(slot: number): number | undefined {
		return this.flags[slot] & has.use ? this.use[slot] : undefined;
	}

	optionalTime(times: Float64Array, slot: number): number | undefined {
		const time = times[slot];
		return time === time ? time : undefined;
	}

	natKind(slot: number): NatKind | undefined {
		const code = this.nat[slot];
		return code === 0 ? undefined : natCodes[code];
	}

	hasCounters(slot: number): boolean {
		return (this.flags[slot] & has.counters) !== 0;
	}

	/** Both directions' bytes (0 without counters). */
	totalBytes(slot: number): number {
		if (!this.hasCounters(slot)) return 0;
		return this.counters[slot * 4 + 1] + this.counters[slot * 4 + 3];
	}

	/** Both directions' packets (0 without counters). */
	totalPackets(slot: number): number {
		if (!this.hasCounters(slot)) return 0;
		return this.counters[slot * 4] + this.counters[slot * 4 + 2];
	}

	/** The counters as a `Flow` has them: new objects, undefined without counters. */
	countersOf(slot: number): Flow['counters'] {
		if (!this.hasCounters(slot)) return undefined;
		const c = this.counters;
		const at = slot * 4;
		const original: Counters = {packets: c[at], bytes: c[at + 1]};
		const reply: Counters = {packets: c[at + 2], bytes: c[at + 3]};
		return {original, reply};
	}

	/** The NAT kind `natKindOf` gives the flow, kept as it changes. */
	kindOf(slot: number): NatKind {
		return natCodes[this.kind[slot]];
	}

	/** `natKindOf` from the columns: the message's kind, else the one the tuples and status say. */
	private derivedKind(slot: number): NatKind {
		const code = this.nat[slot];
		if (code !== 0) return natCodes[code];
		const status = this.flags[slot] & has.status ? this.status[slot] : 0;
		const {original: o, reply: r} = this;
		const snat =
			(status & IPS_SRC_NAT) !== 0 ||
			!sameAddress(r.dstOf(slot), o.srcOf(slot)) ||
			r.dport[slot] !== o.sport[slot];
		const dnat =
			(status & IPS_DST_NAT) !== 0 ||
			!sameAddress(r.srcOf(slot), o.dstOf(slot)) ||
			r.sport[slot] !== o.dport[slot];
		if (snat && dnat) return 'both';
		if (snat) return 'snat';
		return dnat ? 'dnat' : null;
	}

	private writeCounters(slot: number, counters: NonNullable<Flow['counters']>): void {
		const at = slot * 4;
		const c = this.counters;
		c[at] = counters.original.packets;
		c[at + 1] = counters.original.bytes;
		c[at + 2] = counters.reply.packets;
		c[at + 3] = counters.reply.bytes;
	}

	private mergeCounters(slot: number, incoming: NonNullable<Flow['counters']>): boolean {
		const at = slot * 4;
		const c = this.counters;
		if (
			this.hasCounters(slot) &&
			c[at] === incoming.original.packets &&
			c[at + 1] === incoming.original.bytes &&
			c[at + 2] === incoming.reply.packets &&
			c[at + 3] === incoming.reply.bytes
		) {
			return false;
		}

		this.writeCounters(slot, incoming);
		this.flags[slot] |= has.counters;
		return true;
	}
}
