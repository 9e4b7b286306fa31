/**
 * Groups of `--once --group-by` found by a number instead of their label, where the label is a
 * function of one: IPv4 addresses and /24s, destination port and protocol, protocol. A table
 * with as many groups as flows (`--group-by src` on a busy NAT box) then keeps a few typed
 * array slots per group rather than a label string and a map entry; labels are made as rows
 * are printed.
 */
import {formatAddress} from '../flow/address-text.js';
import {natAddressOf} from '../flow/nat.js';
import {hasPorts, protocolName} from '../flow/protocols.js';
import type {Flow} from '../flow/types.js';
import type {GroupBy} from '../model/group.js';

// Protocols without ports are labelled by name alone, whatever their dport: one number each.
const noPort = 0x10000;

/**
 * A number below 2^32 for `flow`'s group when grouping by `by`, or -1 when it has none (IPv6,
 * no NAT address, states). Numbers and `groupLabel`s go one to one: `numberLabel` of the
 * number is the label, and a label never comes from two numbers nor from a flow without one
 * (IPv4 text has no `:` and is never `-`; a protocol name has no `/`).
 */
export function groupNumber(flow: Flow, by: GroupBy): number {
	const {src, dst} = flow.original;
	switch (by) {
		case 'src':
			return typeof src === 'number' ? src : -1;
		case 'dst':
			return typeof dst === 'number' ? dst : -1;
		case 'src24':
			// The label is the /24 prefix: the address without its low byte.
			return typeof src === 'number' ? src >>> 8 : -1;
		case 'nat': {
			const address = natAddressOf(flow);
			return typeof address === 'number' ? address : -1;
		}

		case 'dport':
			if (flow.protonum > 0xff) return -1;
			return (hasPorts(flow.protonum) ? flow.original.dport : noPort) * 256 + flow.protonum;
		case 'proto':
			return flow.protonum;
		case 'state':
			return -1;
	}
}

/** The `groupLabel` of the groups whose `groupNumber` is `number`. */
export function numberLabel(number: number, by: GroupBy): string {
	switch (by) {
		case 'src24':
			return `${formatAddress((number << 8) >>> 0)}/24`;
		case 'dport': {
			const port = Math.floor(number / 256);
			const name = protocolName(number & 0xff);
			return port === noPort ? name : `${port}/${name}`;
		}

		case 'proto':
			return protocolName(number);
		default:
			return formatAddress(number);
	}
}

/** Group indices by number (below 2^32), in typed arrays: open addressing, linear probing. */
export class NumberIndex {
	private numbers = new Uint32Array(1024);
	private groups = new Int32Array(1024).fill(-1);
	/** 32 minus log2 of the slot count: a slot is the top bits of the hash. */
	private shift = 22;
	private size = 0;

	/** The group of `number`, or -1. */
	get(number: number): number {
		const mask = this.groups.length - 1;
		for (let at = slotOf(number, this.shift); ; at = (at + 1) & mask) {
			const group = this.groups[at];
			if (group === -1 || this.numbers[at] === number) return group;
		}
	}

	/** Files `group` (0 or more) under `number`, which has none yet. */
	add(number: number, group: number): void {
		// At most half full, so probes stay short.
		if (++this.size * 2 > this.groups.length) this.grow();
		this.place(number, group);
	}

	private place(number: number, group: number): void {
		const mask = this.groups.length - 1;
		let at = slotOf(number, this.shift);
		while (this.groups[at] !== -1) at = (at + 1) & mask;
		this.numbers[at] = number;
		this.groups[at] = group;
	}

	private grow(): void {
		const {numbers, groups} = this;
		this.numbers = new Uint32Array(numbers.length * 2);
		this.groups = new Int32Array(groups.length * 2).fill(-1);
		this.shift--;
		for (let at = 0; at < groups.length; at++)
			if (groups[at] !== -1) this.place(numbers[at], groups[at]);
	}
}

/** A slot for `number`: Fibonacci hashing, so neighbouring addresses spread out. */
function slotOf(number: number, shift: number): number {
	return Math.imul(number, 0x9e3779b1) >>> shift;
}
