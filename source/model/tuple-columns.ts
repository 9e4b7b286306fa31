/**
 * One direction's tuples of the table's flows, by slot, in typed arrays: ~20 bytes a flow
 * where a tuple object costs 88 plus a boxed number for every IPv4 address from 128.0.0.0.
 * A tuple with an IPv6 address (an array) or a zone of its own is rare and kept whole, by slot.
 */
import {sameAddress} from '../flow/address.js';
import type {Address, Tuple} from '../flow/types.js';
import {grown} from './grown.js';

/** Tuples by slot. A slot's values mean something only while the slot holds a flow. */
export class TupleColumns {
	src = new Uint32Array(0);
	dst = new Uint32Array(0);
	sport = new Uint16Array(0);
	dport = new Uint16Array(0);
	/** -1 for protocols other than ICMP, as in `Tuple`. */
	icmpType = new Int16Array(0);
	icmpCode = new Int16Array(0);
	icmpId = new Int32Array(0);
	/** 1 where the tuple is also kept whole in `wide` (its addresses are not in the columns). */
	isWide = new Uint8Array(0);
	private readonly wide = new Map<number, Tuple>();

	grow(capacity: number): void {
		this.src = grown(this.src, capacity);
		this.dst = grown(this.dst, capacity);
		this.sport = grown(this.sport, capacity);
		this.dport = grown(this.dport, capacity);
		this.icmpType = grown(this.icmpType, capacity);
		this.icmpCode = grown(this.icmpCode, capacity);
		this.icmpId = grown(this.icmpId, capacity);
		this.isWide = grown(this.isWide, capacity);
	}

	/** Tuples kept whole (for tests: none are left behind by freed slots). */
	get wideCount(): number {
		return this.wide.size;
	}

	write(slot: number, tuple: Tuple): void {
		const {src, dst} = tuple;
		// Ports and ICMP fields are in the columns for every tuple, kept whole or not.
		this.sport[slot] = tuple.sport;
		this.dport[slot] = tuple.dport;
		this.icmpType[slot] = tuple.icmpType;
		this.icmpCode[slot] = tuple.icmpCode;
		this.icmpId[slot] = tuple.icmpId;
		if (typeof src === 'number' && typeof dst === 'number' && tuple.zone === undefined) {
			this.clear(slot);
			this.src[slot] = src;
			this.dst[slot] = dst;
			return;
		}

		// The table's own copy: the decoder's tuple is garbage as soon as a message is merged.
		this.wide.set(slot, {
			src,
			dst,
			sport: tuple.sport,
			dport: tuple.dport,
			icmpType: tuple.icmpType,
			icmpCode: tuple.icmpCode,
			icmpId: tuple.icmpId,
			zone: tuple.zone,
		});
		this.isWide[slot] = 1;
	}

	/** Forgets the slot's tuple if it is kept whole (call when the slot is freed). */
	clear(slot: number): void {
		if (this.isWide[slot] === 1) {
			this.wide.delete(slot);
			this.isWide[slot] = 0;
		}
	}

	/** The tuple as a `Flow` has it (a new object unless it is kept whole). */
	read(slot: number): Tuple {
		if (this.isWide[slot] === 1) return this.wide.get(slot)!;
		return {
			src: this.src[slot],
			dst: this.dst[slot],
			sport: this.sport[slot],
			dport: this.dport[slot],
			icmpType: this.icmpType[slot],
			icmpCode: this.icmpCode[slot],
			icmpId: this.icmpId[slot],
			zone: undefined,
		};
	}

	srcOf(slot: number): Address {
		return this.isWide[slot] === 1 ? this.wide.get(slot)!.src : this.src[slot];
	}

	dstOf(slot: number): Address {
		return this.isWide[slot] === 1 ? this.wide.get(slot)!.dst : this.dst[slot];
	}

	/**
	 * Whether the slot's tuple holds the values of `tuple`; its zone is compared unless
	 * `zone` is false (a flow's identity takes the flow's zone, not its tuples').
	 */
	same(slot: number, tuple: Tuple, zone = true): boolean {
		if (this.isWide[slot] === 1) {
			const kept = this.wide.get(slot)!;
			return (
				kept.sport === tuple.sport &&
				kept.dport === tuple.dport &&
				kept.icmpType === tuple.icmpType &&
				kept.icmpCode === tuple.icmpCode &&
				kept.icmpId === tuple.icmpId &&
				(!zone || kept.zone === tuple.zone) &&
				sameAddress(kept.src, tuple.src) &&
				sameAddress(kept.dst, tuple.dst)
			);
		}

		return (
			tuple.src === this.src[slot] &&
			tuple.dst === this.dst[slot] &&
			tuple.sport === this.sport[slot] &&
			tuple.dport === this.dport[slot] &&
			tuple.icmpType === this.icmpType[slot] &&
			tuple.icmpCode === this.icmpCode[slot] &&
			tuple.icmpId === this.icmpId[slot] &&
			(!zone || tuple.zone === undefined)
		);
	}
}
