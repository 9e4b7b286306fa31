/**
 * The JSON form of a flow written as bytes straight into an output buffer: the same bytes as
 * `flowJsonText` (json.ts), without making a string per flow, since `--once --json` writes a
 * million of them. Flows with anything out of the ordinary (a number that is not a safe
 * integer, a name that needs escaping) are left to `flowJsonText`.
 */
import {writeAddress, writeDecimal} from './address-text.js';
import {hasPorts, isIcmp} from './protocols.js';
import {statusFlags} from './status.js';
import type {Flow, Tuple} from './types.js';

const ascii = (text: string): Buffer => Buffer.from(text, 'latin1');

const piece = {
	id: ascii('{"id":'),
	family4: ascii(',"family":"ipv4","proto":"'),
	family6: ascii(',"family":"ipv6","proto":"'),
	protonum: ascii('","protonum":'),
	state: ascii(',"state":'),
	timeout: ascii(',"timeout":'),
	original: ascii(',"original":'),
	reply: ascii(',"reply":'),
	src: ascii('{"src":"'),
	dst: ascii('","dst":"'),
	sport: ascii('","sport":'),
	dport: ascii(',"dport":'),
	type: ascii('","type":'),
	code: ascii(',"code":'),
	icmpId: ascii(',"id":'),
	bare: ascii('"}'),
	flags: ascii(',"flags":['),
	nat: ascii('],"nat":'),
	mark: ascii(',"mark":'),
	zone: ascii(',"zone":'),
	use: ascii(',"use":'),
	counters: ascii(',"counters":{"original":{"packets":'),
	bytes: ascii(',"bytes":'),
	replyPackets: ascii('},"reply":{"packets":'),
	countersEnd: ascii('}}'),
	noCounters: ascii(',"counters":null'),
	start: ascii(',"start":'),
	helper: ascii(',"helper":'),
	labels: ascii(',"labels":['),
	end: ascii(']}'),
	null: ascii('null'),
};

const plain = /^[\u0020-\u007e]*$/;
const escaped = /["\\]/;

/** A name that JSON writes as is between quotes. */
function isPlain(text: string): boolean {
	return plain.test(text) && !escaped.test(text);
}

/** The status words of each status value seen, as JSON array items, as bytes. */
const flagsBytes = new Map<number, Buffer>();

function flagsOf(status: number): Buffer {
	let bytes = flagsBytes.get(status);
	if (bytes === undefined) {
		bytes = ascii(
			statusFlags(status)
				.map((flag) => `"${flag}"`)
				.join(','),
		);
		if (flagsBytes.size < 4096) flagsBytes.set(status, bytes);
	}

	return bytes;
}

/** Bytes `writeFlowJson` may need for `flow`. */
export function flowJsonBound(flow: Flow): number {
	return (
		900 +
		flow.proto.length +
		(flow.state?.length ?? 0) +
		(flow.helper?.length ?? 0) +
		(flow.labels?.length ?? 0) * 12
	);
}

/** Whether every number and name of `flow` is one `writeFlowJson` writes itself. */
function isOrdinary(flow: Flow): boolean {
	const c = flow.counters;
	return (
		Number.isSafeInteger(flow.id) &&
		(flow.timeout === undefined || Number.isSafeInteger(flow.timeout)) &&
		Number.isSafeInteger(flow.mark ?? 0) &&
		Number.isSafeInteger(flow.use ?? 0) &&
		Number.isSafeInteger(flow.zone) &&
		(!c ||
			(Number.isSafeInteger(c.original.packets) &&
				Number.isSafeInteger(c.original.bytes) &&
				Number.isSafeInteger(c.reply.packets) &&
				Number.isSafeInteger(c.reply.bytes))) &&
		(flow.start === undefined || Number.isFinite(flow.start)) &&
		(flow.labels ?? []).every((label) => Number.isSafeInteger(label)) &&
		isPlain(flow.proto) &&
		(typeof flow.state !== 'string' || isPlain(flow.state)) &&
		(flow.helper === undefined || isPlain(flow.helper))
	);
}

function put(out: Buffer, at: number, bytes: Buffer): number {
	out.set(bytes, at);
	return at + bytes.length;
}

function putString(out: Buffer, at: number, text: string): number {
	out[at++] = 34;
	at += out.write(text, at, 'latin1');
	out[at++] = 34;
	return at;
}

function writeTuple(out: Buffer, at: number, tuple: Tuple, icmp: boolean, ports: boolean): number {
	at = put(out, at, piece.src);
	at = writeAddress(out, at, tuple.src);
	at = put(out, at, piece.dst);
	at = writeAddress(out, at, tuple.dst);
	if (icmp) {
		at = put(out, at, piece.type);
		at = writeDecimal(out, at, tuple.icmpType);
		at = put(out, at, piece.code);
		at = writeDecimal(out, at, tuple.icmpCode);
		at = put(out, at, piece.icmpId);
		at = writeDecimal(out, at, tuple.icmpId);
		out[at++] = 125;
		return at;
	}

	if (ports) {
		at = put(out, at, piece.sport);
		at = writeDecimal(out, at, tuple.sport);
		at = put(out, at, piece.dport);
		at = writeDecimal(out, at, tuple.dport);
		out[at++] = 125;
		return at;
	}

	return put(out, at, piece.bare);
}

/**
 * Writes `JSON.stringify(flowToJson(flow))` as bytes at `at` (room for `flowJsonBound(flow)`
 * bytes); returns the offset after it, or -1 having written nothing that counts when the
 * flow needs `flowJsonText` instead.
 */
export function writeFlowJson(out: Buffer, at: number, flow: Flow): number {
	if (!isOrdinary(flow)) return -1;
	const icmp = isIcmp(flow.protonum);
	const ports = hasPorts(flow.protonum);
	at = put(out, at, piece.id);
	at = writeDecimal(out, at, flow.id);
	at = put(out, at, flow.family === 'ipv6' ? piece.family6 : piece.family4);
	at += out.write(flow.proto, at, 'latin1');
	at = put(out, at, piece.protonum);
	at = writeDecimal(out, at, flow.protonum);
	at = put(out, at, piece.state);
	at = typeof flow.state === 'string' ? putString(out, at, flow.state) : put(out, at, piece.null);
	at = put(out, at, piece.timeout);
	at = flow.timeout === undefined ? put(out, at, piece.null) : writeDecimal(out, at, flow.timeout);
	at = put(out, at, piece.original);
	at = writeTuple(out, at, flow.original, icmp, ports);
	at = put(out, at, piece.reply);
	at = writeTuple(out, at, flow.reply, icmp, ports);
	at = put(out, at, piece.flags);
	if (flow.status !== undefined) at = put(out, at, flagsOf(flow.status));
	at = put(out, at, piece.nat);
	at = flow.nat ? putString(out, at, flow.nat) : put(out, at, piece.null);
	at = put(out, at, piece.mark);
	at = writeDecimal(out, at, flow.mark ?? 0);
	at = put(out, at, piece.zone);
	at = writeDecimal(out, at, flow.zone);
	at = put(out, at, piece.use);
	at = writeDecimal(out, at, flow.use ?? 0);
	const c = flow.counters;
	if (c) {
		at = put(out, at, piece.counters);
		at = writeDecimal(out, at, c.original.packets);
		at = put(out, at, piece.bytes);
		at = writeDecimal(out, at, c.original.bytes);
		at = put(out, at, piece.replyPackets);
		at = writeDecimal(out, at, c.reply.packets);
		at = put(out, at, piece.bytes);
		at = writeDecimal(out, at, c.reply.bytes);
		at = put(out, at, piece.countersEnd);
	} else at = put(out, at, piece.noCounters);
	at = put(out, at, piece.start);
	at =
		flow.start === undefined
			? put(out, at, piece.null)
			: putString(out, at, new Date(flow.start).toISOString());
	at = put(out, at, piece.helper);
	at = flow.helper === undefined ? put(out, at, piece.null) : putString(out, at, flow.helper);
	at = put(out, at, piece.labels);
	for (const [i, label] of (flow.labels ?? []).entries()) {
		if (i > 0) out[at++] = 44;
		at = writeDecimal(out, at, label);
	}

	return put(out, at, piece.end);
}
