/**
 * Byte readers named by endianness.
 *
 * Netlink and attribute headers are in host order; ctnetlink payloads (ports, status, timeout,
 * id, counters) are big-endian. Callers have already checked bounds, so the readers do no
 * checks of their own. They do the byte math themselves: Buffer's read methods check their
 * arguments on every call, and took 0.7 of the decoder's 1.1 µs per flow
 * (docs/facts.md#decoder-byte-reads).
 */
import {endianness} from 'node:os';

const hostIsLittle = endianness() === 'LE';

const u16LE = (buf: Uint8Array, offset: number): number => buf[offset] | (buf[offset + 1] << 8);
const u16BE = (buf: Uint8Array, offset: number): number => (buf[offset] << 8) | buf[offset + 1];
const u32LE = (buf: Uint8Array, offset: number): number =>
	(buf[offset] | (buf[offset + 1] << 8) | (buf[offset + 2] << 16) | (buf[offset + 3] << 24)) >>> 0;
const u32BE = (buf: Uint8Array, offset: number): number =>
	((buf[offset] << 24) | (buf[offset + 1] << 16) | (buf[offset + 2] << 8) | buf[offset + 3]) >>> 0;

/** Reads a host-order u16. Chosen once, so each call site sees one small function to inline. */
export const readU16Host: (buf: Uint8Array, offset: number) => number = hostIsLittle
	? u16LE
	: u16BE;

/** Reads a host-order u32. */
export const readU32Host: (buf: Uint8Array, offset: number) => number = hostIsLittle
	? u32LE
	: u32BE;

/** Reads a big-endian u16 (ports, zones, ICMP ids). */
export const readU16BE: (buf: Uint8Array, offset: number) => number = u16BE;

/** Reads a big-endian u32 (status, timeout, mark, use, id, IPv4 addresses). */
export const readU32BE: (buf: Uint8Array, offset: number) => number = u32BE;

/** Reads a host-order i32 (nlmsgerr.error). */
export function readI32Host(buf: Buffer, offset: number): number {
	return hostIsLittle ? buf.readInt32LE(offset) : buf.readInt32BE(offset);
}

/** Writes a host-order u16. */
export function writeU16Host(buf: Buffer, value: number, offset: number): void {
	if (hostIsLittle) buf.writeUInt16LE(value, offset);
	else buf.writeUInt16BE(value, offset);
}

/** Writes a host-order u32. */
export function writeU32Host(buf: Buffer, value: number, offset: number): void {
	if (hostIsLittle) buf.writeUInt32LE(value, offset);
	else buf.writeUInt32BE(value, offset);
}

/**
 * Reads a big-endian u64 as a double. Exact below 2^53 (every packet or byte counter a flow
 * will reach); nanosecond timestamps lose a few hundred ns, which no display shows.
 */
export function readU64BE(buf: Uint8Array, offset: number): number {
	return u32BE(buf, offset) * 4294967296 + u32BE(buf, offset + 4);
}

/** Rounds a length up to the 4-byte netlink alignment. */
export function align4(length: number): number {
	return (length + 3) & ~3;
}
