/**
 * Byte readers named by endianness.
 *
 * Netlink and attribute headers are in host order; ctnetlink payloads (ports, status, timeout,
 * id, counters) are big-endian. Callers have already checked bounds, so these do no checks of
 * their own beyond what Buffer does.
 */
import {endianness} from 'node:os';

const hostIsLittle = endianness() === 'LE';

/** Reads a host-order u16. */
export function readU16Host(buf: Buffer, offset: number): number {
	return hostIsLittle ? buf.readUInt16LE(offset) : buf.readUInt16BE(offset);
}

/** Reads a host-order u32. */
export function readU32Host(buf: Buffer, offset: number): number {
	return hostIsLittle ? buf.readUInt32LE(offset) : buf.readUInt32BE(offset);
}

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
export function readU64BE(buf: Buffer, offset: number): number {
	return buf.readUInt32BE(offset) * 4294967296 + buf.readUInt32BE(offset + 4);
}

/** Rounds a length up to the 4-byte netlink alignment. */
export function align4(length: number): number {
	return (length + 3) & ~3;
}
