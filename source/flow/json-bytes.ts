/**
 * The JSON form of a flow written as bytes straight into an output buffer: the same bytes as
 * `flowJsonText` (json.ts), without making a string per flow, since `--once --json` writes a
 * million of them. Flows with anything out of the ordinary (a number that is not a safe
 * integer, a name that needs escaping) are left to `flowJsonText`.
 *
 * Constant pieces are copied with `set`: a byte loop, tried for pieces this short, took 1.5x
 * as long (docs/facts.md#writing-bytes).
 */
import {writeAddress, writeDecimal} from './address-text.js';
import {memo} from './byte-memo.js';
import {isoTimeBound, writeIsoTime} from './iso-time-bytes.js';
import {hasPorts, isIcmp} from './protocols.js';
import {statusFlags} from './status.js';
import type {Flow, Tuple} from './types.js';

const ascii = (text: string): Uint8Array => Uint8Array.from(text, (char) => char.charCodeAt(0));

// Constant text is copied in as few pieces as it can be: each copy costs more than its bytes.
const piece = {
	id: ascii('{"id":'),
	stateNull: ascii(',"state":null,"timeout":'),
	null: ascii('null'),
	original: ascii(',"original":{"src":"'),
	dst: ascii('","dst":"'),
	sport: ascii('","sport":'),
	dport: ascii(',"dport":'),
	type: ascii('","type":'),
	code: ascii(',"code":'),
	icmpId: ascii(',"id":'),
	reply: ascii('},"reply":{"src":"'),
	natNull: ascii('null,"mark":'),
	zone: ascii(',"zone":'),
	use: ascii(',"use":'),
	counters: ascii(',"counters":{"original":{"packets":'),
	bytes: ascii(',"bytes":'),
	replyPackets: ascii('},"reply":{"packets":'),
	countersStart: ascii('}},"start":'),
	noCountersStart: ascii(',"counters":null,"start":'),
	helper: ascii(',"helper":'),
	noHelper: ascii(',"helper":null,"labels":['),
	labels: ascii(',"labels":['),
};

const plain = /^[\u0020-\u007e]*$/;
const escaped = /["\\]/;

/** Whether JSON writes `text` as is between quotes: printable ASCII, no `"` or `\`. */
function isPlain(text: string): boolean {
	return plain.test(text) && !escaped.test(text);
}

/** The family and protocol up to the protocol number, per protocol name. */
const head4 = memo((proto: string) =>
	isPlain(proto) ? ascii(`,"family":"ipv4","proto":"${proto}","protonum":`) : null,
);
const head6 = memo((proto: string) =>
	isPlain(proto) ? ascii(`,"family":"ipv6","proto":"${proto}","protonum":`) : null,
);

/** A state name up to the timeout. */
const statePiece = memo((state: string) =>
	isPlain(state) ? ascii(`,"state":"${state}","timeout":`) : null,
);

/** The end of the reply tuple, the status words of a status value, up to the NAT kind. */
const flagsPiece = memo((status: number) =>
	ascii(
		`},"flags":[${statusFlags(status)
			.map((flag) => `"${flag}"`)
			.join(',')}],"nat":`,
	),
);
const noFlags = ascii('},"flags":[],"nat":');

/** A NAT kind up to the mark. */
const natPiece = memo((nat: string) => (isPlain(nat) ? ascii(`"${nat}","mark":`) : null));

/** A helper name, quoted. */
const helperPiece = memo((helper: string) => (isPlain(helper) ? ascii(`"${helper}"`) : null));

/** Bytes `writeFlowJson` may need for `flow`. */
export function flowJsonBound(flow: Flow): number {
	return (
		900 +
		isoTimeBound +
		flow.proto.length +
		(flow.state?.length ?? 0) +
		(flow.helper?.length ?? 0) +
		(flow.labels?.length ?? 0) * 12
	);
}

/** Whether every number of `flow` is one `writeFlowJson` writes itself. */
function hasOrdinaryNumbers(flow: Flow): boolean {
	const c = flow.counters;
	if (
		!Number.isSafeInteger(flow.id) ||
		(flow.timeout !== undefined && !Number.isSafeInteger(flow.timeout)) ||
		(flow.mark !== undefined && !Number.isSafeInteger(flow.mark)) ||
		(flow.use !== undefined && !Number.isSafeInteger(flow.use)) ||
		!Number.isSafeInteger(flow.zone) ||
		(flow.start !== undefined && !Number.isFinite(flow.start))
	)
		return false;
	if (
		c &&
		!(
			Number.isSafeInteger(c.original.packets) &&
			Number.isSafeInteger(c.original.bytes) &&
			Number.isSafeInteger(c.reply.packets) &&
			Number.isSafeInteger(c.reply.bytes)
		)
	)
		return false;
	const labels = flow.labels;
	if (labels) for (const label of labels) if (!Number.isSafeInteger(label)) return false;
	return true;
}

/** Copies `bytes` to `at`; returns the offset after them. */
function put(out: Uint8Array, at: number, bytes: Uint8Array): number {
	out.set(bytes, at);
	return at + bytes.length;
}

/** Writes a tuple from its source address's text to its last value (the `}` is the caller's). */
function writeTuple(
	out: Uint8Array,
	at: number,
	tuple: Tuple,
	icmp: boolean,
	ports: boolean,
): number {
	at = writeAddress(out, at, tuple.src);
	at = put(out, at, piece.dst);
	at = writeAddress(out, at, tuple.dst);
	if (icmp) {
		at = put(out, at, piece.type);
		at = writeDecimal(out, at, tuple.icmpType);
		at = put(out, at, piece.code);
		at = writeDecimal(out, at, tuple.icmpCode);
		at = put(out, at, piece.icmpId);
		return writeDecimal(out, at, tuple.icmpId);
	}

	if (ports) {
		at = put(out, at, piece.sport);
		at = writeDecimal(out, at, tuple.sport);
		at = put(out, at, piece.dport);
		return writeDecimal(out, at, tuple.dport);
	}

	out[at] = 34;
	return at + 1;
}

/**
 * Writes `JSON.stringify(flowToJson(flow))` as bytes at `at` (room for `flowJsonBound(flow)`
 * bytes); returns the offset after it, or -1 having written nothing that counts when the
 * flow needs `flowJsonText` instead.
 */
export function writeFlowJson(out: Uint8Array, at: number, flow: Flow): number {
	if (!hasOrdinaryNumbers(flow)) return -1;
	const head = flow.family === 'ipv6' ? head6(flow.proto) : head4(flow.proto);
	const state = typeof flow.state === 'string' ? statePiece(flow.state) : piece.stateNull;
	const nat = flow.nat ? natPiece(flow.nat) : piece.natNull;
	const helper = flow.helper === undefined ? undefined : helperPiece(flow.helper);
	if (head === null || state === null || nat === null || helper === null) return -1;
	const icmp = isIcmp(flow.protonum);
	const ports = hasPorts(flow.protonum);
	at = put(out, at, piece.id);
	at = writeDecimal(out, at, flow.id);
	at = put(out, at, head);
	at = writeDecimal(out, at, flow.protonum);
	at = put(out, at, state);
	at = flow.timeout === undefined ? put(out, at, piece.null) : writeDecimal(out, at, flow.timeout);
	at = put(out, at, piece.original);
	at = writeTuple(out, at, flow.original, icmp, ports);
	at = put(out, at, piece.reply);
	at = writeTuple(out, at, flow.reply, icmp, ports);
	at = put(out, at, flow.status === undefined ? noFlags : flagsPiece(flow.status)!);
	at = put(out, at, nat);
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
		at = put(out, at, piece.countersStart);
	} else at = put(out, at, piece.noCountersStart);
	if (flow.start === undefined) at = put(out, at, piece.null);
	else {
		out[at] = 34;
		at = writeIsoTime(out, at + 1, flow.start);
		out[at++] = 34;
	}

	if (helper === undefined) at = put(out, at, piece.noHelper);
	else {
		at = put(out, at, piece.helper);
		at = put(out, at, helper);
		at = put(out, at, piece.labels);
	}

	const labels = flow.labels;
	if (labels) {
		for (let i = 0; i < labels.length; i++) {
			if (i > 0) out[at++] = 44;
			at = writeDecimal(out, at, labels[i]);
		}
	}

	out[at] = 93;
	out[at + 1] = 125;
	return at + 2;
}
