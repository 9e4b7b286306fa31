/**
 * The table's rows by slot: the merged flow plus what conntop learnt by watching it (first
 * seen, expiry, counter history, rates, tombstone time). Numbers live in typed arrays because
 * V8 boxes every double field of an object (~16 bytes each): a row object with 20 such fields
 * cost ~320 bytes at 100k flows. The doubles of one row sit together (`rowStride` of them,
 * 112 bytes, two cache lines), so an event touches two lines instead of one per field; sort
 * keys are columns (`keyColumns`), so sorts and filters scan them sequentially. The layout of
 * both is row-layout.ts. Internal to the model.
 */
import {sameAddress} from '../flow/address.js';
import {natAddressOf, natKind, natKindOf} from '../flow/nat.js';
import type {Address, Flow} from '../flow/types.js';
import {FlowColumns} from './flow-columns.js';
import {grown} from './grown.js';
import {counterRate, smoothingWeight} from './rates.js';
import {writeChangingKeys, writeRowKeys} from './row-keys.js';
import {keyColumn, keyColumnCount, rowField, rowStride} from './row-layout.js';
import {columnBit} from './sort-columns.js';
import {flowChange, StoredFlow} from './stored-flow.js';
import {TextIndex} from './text-index.js';
import {flowText} from './text.js';

const F = rowField;

/**
 * Key columns only an IPv6 address fills: words 2-4 of each five-chunk address, which are 0
 * for IPv4 and for no address. Until the table holds an IPv6 flow they all share one array of
 * zeros (60 of the 144 key bytes a row would otherwise take).
 */
const wideColumns: ReadonlySet<number> = new Set(
	[keyColumn.src, keyColumn.dst, keyColumn.nat + 1, keyColumn.replySrc, keyColumn.replyDst].flatMap(
		(first) => [first + 2, first + 3, first + 4],
	),
);

/** Rows by slot; a slot whose flow is undefined is free. */
export class FlowStore {
	/** Slots the typed arrays have room for. */
	capacity = 0;
	/** One past the highest slot ever used. */
	length = 0;
	/** The table's own flow objects, changed in place (`stored-flow.ts`). */
	readonly flows: Array<StoredFlow | undefined> = [];
	/** The numbers of those flows (`flow-columns.ts`). */
	readonly columns = new FlowColumns();
	private readonly texts: Array<string | undefined> = [];
	/** All rows' texts for bare-word search; built on first use. */
	readonly textIndex: TextIndex = new TextIndex(this);
	private readonly freeSlots: number[] = [];

	/** Per-row doubles, `rowStride` per slot, laid out by `rowField`. */
	numbers = new Float64Array(0);
	/** 1 once a rate sample exists (the first sample is taken as is, not smoothed from 0). */
	hasRate = new Uint8Array(0);
	/** Snapshot generation (1-255, cycling) that last listed the flow; 0 before any. */
	generation = new Uint8Array(0);
	/**
	 * Per-row sort key chunks, laid out by `keyColumn`. Before the first IPv6 flow the columns
	 * only IPv6 fills are one shared array of zeros: read them freely, never write them but 0.
	 */
	keyColumns: Uint32Array[] = Array.from({length: keyColumnCount}, () => new Uint32Array(0));
	/** Whether the IPv6-only key columns have arrays of their own. */
	private wide = false;

	constructor(capacity: number) {
		this.grow(capacity);
	}

	/** Makes room for slots up to `capacity - 1`, keeping every row. */
	grow(capacity: number): void {
		this.capacity = capacity;
		this.columns.grow(capacity);
		this.numbers = grown(this.numbers, capacity * rowStride);
		this.hasRate = grown(this.hasRate, capacity);
		this.generation = grown(this.generation, capacity);
		const zeros = new Uint32Array(capacity);
		this.keyColumns = this.keyColumns.map((column, index) =>
			this.wide || !wideColumns.has(index) ? grown(column, capacity) : zeros,
		);
	}

	/**
	 * Gives the IPv6-only key columns arrays of their own before an IPv6 flow's keys are written.
	 * In place: a filter being evaluated holds the outer array and reads the columns through it.
	 */
	private widen(flow: Flow): void {
		if (this.wide || flow.family === 'ipv4') return;
		this.wide = true;
		for (const index of wideColumns) this.keyColumns[index] = new Uint32Array(this.capacity);
	}

	/** A new row for `flow` first seen at `now`; returns its slot (the store may have grown). */
	allocate(flow: Flow, now: number): number {
		const slot = this.freeSlots.pop() ?? this.length++;
		if (slot >= this.capacity) this.grow(Math.max(1024, this.capacity * 2));
		this.flows[slot] = new StoredFlow(this.columns, slot, flow);
		this.forgetText(slot);
		const row = slot * rowStride;
		const numbers = this.numbers;
		numbers.fill(0, row, row + rowStride);
		numbers[row + F.firstSeen] = now;
		numbers[row + F.newUntil] = Number.NEGATIVE_INFINITY;
		numbers[row + F.closedAt] = Number.NaN;
		numbers[row + F.expiresAt] = Number.POSITIVE_INFINITY;
		numbers[row + F.since] = flow.start ?? now;
		numbers[row + F.countersAt] = Number.NaN;
		this.hasRate[slot] = 0;
		this.generation[slot] = 0;
		this.widen(flow);
		writeRowKeys(this.keyColumns, slot, flow);
		return slot;
	}

	/** Frees `slot` for reuse. */
	release(slot: number): void {
		this.flows[slot] = undefined;
		this.columns.clear(slot);
		this.forgetText(slot);
		this.freeSlots.push(slot);
	}

	/** Row `slot`'s double `field` (a `rowField` offset). */
	get(slot: number, field: number): number {
		return this.numbers[slot * rowStride + field];
	}

	/** Sets row `slot`'s double `field` (a `rowField` offset). */
	set(slot: number, field: number, value: number): void {
		this.numbers[slot * rowStride + field] = value;
	}

	/** Whether the row is a tombstone (destroyed, still shown). */
	isClosed(slot: number): boolean {
		const closedAt = this.numbers[slot * rowStride + F.closedAt];
		return closedAt === closedAt;
	}

	/** Smoothed bytes per second, both directions. */
	bytesPerSecond(slot: number): number {
		const row = slot * rowStride;
		return this.numbers[row + F.originalByteRate] + this.numbers[row + F.replyByteRate];
	}

	/** Smoothed packets per second, both directions. */
	packetsPerSecond(slot: number): number {
		const row = slot * rowStride;
		return this.numbers[row + F.originalPacketRate] + this.numbers[row + F.replyPacketRate];
	}

	/** `flowText` of the row, cached until a column it shows changes. */
	text(slot: number): string {
		let text = this.texts[slot];
		if (text === undefined) {
			text = flowText(this.flows[slot]!);
			this.texts[slot] = text;
		}

		return text;
	}

	private forgetText(slot: number): void {
		// Past the end there is nothing to forget, and writing undefined there would grow the
		// array by a word a row for a cache only screens and text searches fill.
		if (slot < this.texts.length) this.texts[slot] = undefined;
		this.textIndex.invalidate(slot);
	}

	/**
	 * Merges `incoming` (the message as received, seen at `now`) into the row's stored flow in
	 * place; returns the bits of the sort columns whose keys changed.
	 */
	observe(slot: number, incoming: Flow, now: number, timeConstantMs: number): number {
		const flow = this.flows[slot]!;
		const {columns} = this;
		const bytes = columns.totalBytes(slot);
		const packets = columns.totalPackets(slot);
		const changes = flow.merge(incoming);
		let dirty = 0;
		if (changes !== 0) {
			if (changes & flowChange.state) dirty |= columnBit.state;
			if (changes & flowChange.mark) dirty |= columnBit.mark;
			// The NAT kind and address are functions of the reply tuple, status and nat alone.
			if (changes & (flowChange.reply | flowChange.status | flowChange.nat)) {
				const before = this.columns.before;
				const replyBefore = before.reply ?? flow.reply;
				const statusBefore = before.status;
				const natBefore = before.nat;
				const kindBefore = natBefore ?? natKind(flow.original, replyBefore, statusBefore);
				const addressBefore =
					kindBefore === null
						? undefined
						: kindBefore === 'dnat'
							? replyBefore.src
							: replyBefore.dst;
				if (
					kindBefore !== natKindOf(flow) ||
					!sameOptionalAddress(addressBefore, natAddressOf(flow))
				) {
					dirty |= columnBit.nat;
				}
			}

			const keyChanges =
				flowChange.reply |
				flowChange.status |
				flowChange.helper |
				flowChange.state |
				flowChange.mark;
			if (dirty !== 0 || (changes & keyChanges) !== 0) {
				this.widen(flow);
				writeChangingKeys(this.keyColumns, slot, flow);
				this.forgetText(slot);
			}

			const row = slot * rowStride;
			const numbers = this.numbers;
			if (changes & flowChange.counters) {
				if (bytes !== columns.totalBytes(slot)) dirty |= columnBit.bytes;
				if (packets !== columns.totalPackets(slot)) dirty |= columnBit.packets;
			}

			const since = flow.start ?? numbers[row + F.firstSeen];
			if (since !== numbers[row + F.since]) {
				numbers[row + F.since] = since;
				dirty |= columnBit.age;
			}
		}

		if (incoming.timeout !== undefined && !this.isClosed(slot)) {
			const expiresAt = now + incoming.timeout * 1000;
			const at = slot * rowStride + F.expiresAt;
			if (expiresAt !== this.numbers[at]) {
				this.numbers[at] = expiresAt;
				dirty |= columnBit.ttl;
			}
		}

		if (
			incoming.counters !== undefined &&
			this.updateRates(slot, incoming.counters, now, timeConstantMs)
		) {
			dirty |= columnBit.rate;
		}

		return dirty;
	}

	/** Marks the row destroyed at `now`: its TTL is over. Returns the changed columns. */
	close(slot: number, now: number): number {
		const row = slot * rowStride;
		const numbers = this.numbers;
		numbers[row + F.closedAt] = now;
		numbers[row + F.newUntil] = Number.NEGATIVE_INFINITY;
		if (numbers[row + F.expiresAt] === now) return 0;
		numbers[row + F.expiresAt] = now;
		return columnBit.ttl;
	}

	private updateRates(
		slot: number,
		counters: NonNullable<Flow['counters']>,
		now: number,
		tau: number,
	): boolean {
		const {original, reply} = counters;
		const row = slot * rowStride;
		const numbers = this.numbers;
		const elapsed = now - numbers[row + F.countersAt];
		// Several observations in one batch share `now`: keep the older baseline so the next
		// interval counts everything since it.
		if (elapsed <= 0) return false;
		let changed = false;
		if (elapsed === elapsed) {
			const op = counterRate(numbers[row + F.lastOriginalPackets], original.packets, elapsed);
			const ob = counterRate(numbers[row + F.lastOriginalBytes], original.bytes, elapsed);
			const rp = counterRate(numbers[row + F.lastReplyPackets], reply.packets, elapsed);
			const rb = counterRate(numbers[row + F.lastReplyBytes], reply.bytes, elapsed);
			// A reset counter gives no sample: keep the old rates and start over from here.
			if (op === op && ob === ob && rp === rp && rb === rb) {
				const before = numbers[row + F.originalByteRate] + numbers[row + F.replyByteRate];
				if (this.hasRate[slot] === 0) {
					numbers[row + F.originalPacketRate] = op;
					numbers[row + F.originalByteRate] = ob;
					numbers[row + F.replyPacketRate] = rp;
					numbers[row + F.replyByteRate] = rb;
					this.hasRate[slot] = 1;
				} else {
					const weight = smoothingWeight(elapsed, tau);
					numbers[row + F.originalPacketRate] +=
						weight * (op - numbers[row + F.originalPacketRate]);
					numbers[row + F.originalByteRate] += weight * (ob - numbers[row + F.originalByteRate]);
					numbers[row + F.replyPacketRate] += weight * (rp - numbers[row + F.replyPacketRate]);
					numbers[row + F.replyByteRate] += weight * (rb - numbers[row + F.replyByteRate]);
				}

				changed = numbers[row + F.originalByteRate] + numbers[row + F.replyByteRate] !== before;
			}
		}

		numbers[row + F.countersAt] = now;
		numbers[row + F.lastOriginalPackets] = original.packets;
		numbers[row + F.lastOriginalBytes] = original.bytes;
		numbers[row + F.lastReplyPackets] = reply.packets;
		numbers[row + F.lastReplyBytes] = reply.bytes;
		return changed;
	}
}

function sameOptionalAddress(a: Address | undefined, b: Address | undefined): boolean {
	if (a === undefined || b === undefined) return a === b;
	return sameAddress(a, b);
}
