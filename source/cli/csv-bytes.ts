/**
 * `--once --csv` rows written as bytes straight into the output chunk: the same bytes as
 * `csvRow(flowToJson(flow))` (csv.ts), without the JSON object and the strings a row made per
 * flow (they cost `--csv` twice the time of `--json`). A flow with a name that needs quoting
 * or a number that is not a safe integer is left to the string path.
 */
import {writeAddress, writeDecimal} from '../flow/address-text.js';
import {memo} from '../flow/byte-memo.js';
import {isoTimeBound, writeIsoTime} from '../flow/iso-time-bytes.js';
import {hasPorts} from '../flow/protocols.js';
import {statusFlags} from '../flow/status.js';
import type {Flow, Tuple} from '../flow/types.js';

const ascii = (text: string): Uint8Array => Uint8Array.from(text, (char) => char.charCodeAt(0));

/** Printable ASCII that CSV writes as is: no quote or comma (and so no line break). */
const unquoted = /^[\u0020-\u0021\u0023-\u002b\u002d-\u007e]*$/;

/** `,family,proto,` per protocol name. */
const head4 = memo((proto: string) => (unquoted.test(proto) ? ascii(`,ipv4,${proto},`) : null));
const head6 = memo((proto: string) => (unquoted.test(proto) ? ascii(`,ipv6,${proto},`) : null));

/** `state,` per state name. */
const statePiece = memo((state: string) => (unquoted.test(state) ? ascii(`${state},`) : null));

/** `,flags,` per status value: the status words joined by spaces. */
const flagsPiece = memo((status: number) => {
	const text = statusFlags(status).join(' ');
	return unquoted.test(text) ? ascii(`,${text},`) : null;
});

/** `nat,` per NAT kind. */
const natPiece = memo((nat: string) => (unquoted.test(nat) ? ascii(`${nat},`) : null));

const comma = ascii(',');
const noFlags = ascii(',,');
const noCounters = ascii(',,,,');

/** Bytes `writeFlowCsv` may need for `flow`, its newline included. */
export function flowCsvBound(flow: Flow): number {
	return 1024 + isoTimeBound + flow.proto.length + (flow.state?.length ?? 0);
}

function put(out: Uint8Array, at: number, bytes: Uint8Array): number {
	out.set(bytes, at);
	return at + bytes.length;
}

/** Whether every number a row of `flow` shows is one `writeDecimal` writes as `String` does. */
function hasOrdinaryNumbers(flow: Flow, ports: boolean): boolean {
	const c = flow.counters;
	const o = flow.original;
	const r = flow.reply;
	return (
		Number.isSafeInteger(flow.id) &&
		(flow.timeout === undefined || Number.isSafeInteger(flow.timeout)) &&
		(flow.mark === undefined || Number.isSafeInteger(flow.mark)) &&
		Number.isSafeInteger(flow.zone) &&
		(!ports ||
			(Number.isSafeInteger(o.sport) &&
				Number.isSafeInteger(o.dport) &&
				Number.isSafeInteger(r.sport) &&
				Number.isSafeInteger(r.dport))) &&
		(!c ||
			(Number.isSafeInteger(c.original.packets) &&
				Number.isSafeInteger(c.original.bytes) &&
				Number.isSafeInteger(c.reply.packets) &&
				Number.isSafeInteger(c.reply.bytes)))
	);
}

/** `src,dst,sport,dport` of a tuple; ICMP and portless tuples leave the ports empty. */
function writeTuple(out: Uint8Array, at: number, tuple: Tuple, ports: boolean): number {
	at = writeAddress(out, at, tuple.src);
	out[at] = 44;
	at = writeAddress(out, at + 1, tuple.dst);
	out[at++] = 44;
	if (!ports) {
		out[at] = 44;
		return at + 1;
	}

	at = writeDecimal(out, at, tuple.sport);
	out[at] = 44;
	return writeDecimal(out, at + 1, tuple.dport);
}

/**
 * Writes `csvRow(flowToJson(flow))` and a newline as bytes at `at` (room for
 * `flowCsvBound(flow)` bytes); returns the offset after them, or -1 having written nothing
 * that counts when the flow needs the string path. Throws, as `flowToJson` does, for a start
 * time no Date holds.
 */
export function writeFlowCsv(out: Uint8Array, at: number, flow: Flow): number {
	const ports = hasPorts(flow.protonum);
	if (!hasOrdinaryNumbers(flow, ports)) return -1;
	const head = flow.family === 'ipv6' ? head6(flow.proto) : head4(flow.proto);
	const state = typeof flow.state === 'string' ? statePiece(flow.state) : comma;
	const flags = flow.status === undefined ? noFlags : flagsPiece(flow.status);
	const nat = flow.nat ? natPiece(flow.nat) : comma;
	if (head === null || state === null || flags === null || nat === null) return -1;
	at = writeDecimal(out, at, flow.id);
	at = put(out, at, head);
	at = put(out, at, state);
	if (flow.timeout !== undefined) at = writeDecimal(out, at, flow.timeout);
	out[at++] = 44;
	at = writeTuple(out, at, flow.original, ports);
	out[at++] = 44;
	at = writeTuple(out, at, flow.reply, ports);
	out[at++] = 44;
	at = put(out, at, nat);
	at = writeDecimal(out, at, flow.mark ?? 0);
	out[at++] = 44;
	at = writeDecimal(out, at, flow.zone);
	at = put(out, at, flags);
	const c = flow.counters;
	if (c) {
		at = writeDecimal(out, at, c.original.packets);
		out[at++] = 44;
		at = writeDecimal(out, at, c.original.bytes);
		out[at++] = 44;
		at = writeDecimal(out, at, c.reply.packets);
		out[at++] = 44;
		at = writeDecimal(out, at, c.reply.bytes);
		out[at++] = 44;
	} else at = put(out, at, noCounters);
	if (flow.start !== undefined) at = writeIsoTime(out, at, flow.start);
	out[at] = 10;
	return at + 1;
}
