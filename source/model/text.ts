/**
 * The text a bare filter word searches, written as bytes: one JS string per row costs
 * ~1-2 us at 100k rows (mostly allocation and GC), writing the same text into a shared buffer
 * ~0.2 us, which is what lets `TextIndex` answer the first bare-word keystroke within a frame.
 */
import {writeAddress, writeDecimal, writeHex} from '../flow/address-text.js';
import {natKindOf} from '../flow/nat.js';
import type {Address, Flow} from '../flow/types.js';
import {flagBits} from './names.js';

/** Upper bound of a row's text length before the helper name (5 endpoints, all flags, ...). */
const maxFixedLength = 640;

/** Bytes `flowText` may need for `flow`. */
export function flowTextBound(flow: Flow): number {
	return (
		maxFixedLength + flow.proto.length + (flow.state?.length ?? 0) + (flow.helper?.length ?? 0)
	);
}

/** Writes `text` lowercased (ASCII; other characters truncated to a byte) at `at`. */
function writeLower(out: Uint8Array, at: number, text: string): number {
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i) & 0xff;
		out[at++] = c >= 65 && c <= 90 ? c + 32 : c;
	}

	return at;
}

function writeEndpoint(
	out: Uint8Array,
	at: number,
	address: Address,
	port: number,
	hasPorts: boolean,
): number {
	out[at++] = 32;
	const v6 = typeof address !== 'number';
	if (hasPorts && v6) out[at++] = 91;
	at = writeAddress(out, at, address);
	if (!hasPorts) return at;
	if (v6) out[at++] = 93;
	out[at++] = 58;
	return writeDecimal(out, at, port);
}

const flagList = Object.entries(flagBits).map(([name, flag]) => ({name: ` ${name}`, ...flag}));
const flagBytes = new Map<number, Uint8Array>();

/** The flag names of a status word as bytes; few distinct words occur, each is built once. */
function flagText(status: number): Uint8Array {
	let bytes = flagBytes.get(status);
	if (bytes === undefined) {
		let text = '';
		for (const flag of flagList) {
			if (((status & flag.bit) !== 0) !== flag.negate) text += flag.name;
		}

		bytes = Buffer.from(text, 'latin1');
		if (flagBytes.size < 4096) flagBytes.set(status, bytes);
	}

	return bytes;
}

/**
 * Writes a flow's row text (see `flowText`) into `out` at `at`, which must have
 * `flowTextBound(flow)` bytes free; returns the offset after it.
 */
export function writeFlowText(flow: Flow, out: Uint8Array, at: number): number {
	const o = flow.original;
	const hasPorts = o.icmpType === -1;
	at = writeLower(out, at, flow.proto);
	at = writeEndpoint(out, at, o.src, o.sport, hasPorts);
	at = writeEndpoint(out, at, o.dst, o.dport, hasPorts);
	if (!hasPorts) {
		at = writeLower(out, at, ' type=');
		at = writeDecimal(out, at, o.icmpType);
		at = writeLower(out, at, ' code=');
		at = writeDecimal(out, at, o.icmpCode);
		at = writeLower(out, at, ' id=');
		at = writeDecimal(out, at, o.icmpId);
	}

	if (flow.state) {
		out[at++] = 32;
		at = writeLower(out, at, flow.state);
	}

	const nat = natKindOf(flow);
	if (nat) {
		out[at++] = 32;
		at = writeLower(out, at, nat);
		at = writeEndpoint(out, at, flow.reply.src, flow.reply.sport, hasPorts);
		at = writeEndpoint(out, at, flow.reply.dst, flow.reply.dport, hasPorts);
	}

	if (flow.status !== undefined) {
		const flags = flagText(flow.status);
		out.set(flags, at);
		at += flags.length;
	}

	if (flow.mark) at = writeHex(out, writeLower(out, at, ' mark=0x'), flow.mark >>> 0);
	if (flow.zone) {
		at = writeLower(out, at, ' zone=');
		at = writeDecimal(out, at, flow.zone);
	}

	if (flow.helper) at = writeLower(out, writeLower(out, at, ' helper='), flow.helper);
	return at;
}

let scratch = Buffer.alloc(maxFixedLength);

/**
 * A flow's row as text, lowercase, for case-insensitive substring search. Holds the stable
 * columns only, so it stays valid until the flow's state, mark, status or helper change:
 * `proto src:sport dst:dport` (IPv6 as `[addr]:port`; ICMP as `type=T code=C id=I`
 * instead of ports), the state, for NATed flows `snat|dnat|both` and the reply tuple's
 * endpoints, the status flags by their `flag:` names (`assured`, `unreplied`, ...), then
 * `mark=0x..` and `zone=N` when non-zero and `helper=NAME`. TTL, counters, rates and age
 * change every second and are left to comparisons (`ttl<30`, `bytes>1M`).
 */
export function flowText(flow: Flow): string {
	const bound = flowTextBound(flow);
	if (scratch.length < bound) scratch = Buffer.alloc(bound);
	const end = writeFlowText(flow, scratch, 0);
	return scratch.toString('latin1', 0, end);
}
