/**
 * Failures of the kernel client that a person must act on, each with one clear sentence.
 */
import {SourceError} from '../flow/source-error.js';

/** A SourceError raised by the kernel client (ctnetlink refusing, missing, or failing). */
export class KernelError extends SourceError {
	override readonly name: string = 'KernelError';
}

/** The sentence for a missing capability; the CLI puts `conntop: ` before it, so it starts with the verb. */
export const permissionMessage =
	'needs root (CAP_NET_ADMIN) to read the conntrack table: run it with sudo.';

/** The sentence for a kernel without conntrack, lower-case after the CLI's `conntop: `. */
export const unavailableMessage =
	'this kernel has no connection tracking over netlink (nf_conntrack and nf_conntrack_netlink): load them with `modprobe nf_conntrack_netlink`.';

/** Maps a socket-level errno (positive) to a KernelError. */
export function errorFromErrno(errno: number, what: string): KernelError {
	switch (errno) {
		case 1: // EPERM
		case 13: // EACCES
			return new KernelError('permission', permissionMessage, errno);
		case 93: // EPROTONOSUPPORT: no NETLINK_NETFILTER at all
		case 95: // EOPNOTSUPP
		case 97: // EAFNOSUPPORT
			return new KernelError('unavailable', unavailableMessage, errno);
		default:
			return new KernelError('socket', `${what} failed: ${errnoName(errno)}`, errno);
	}
}

const errnoNames: Readonly<Record<number, string>> = {
	1: 'EPERM (operation not permitted)',
	2: 'ENOENT (no such entry)',
	12: 'ENOMEM (out of memory)',
	16: 'EBUSY (busy)',
	22: 'EINVAL (invalid argument)',
	105: 'ENOBUFS (receive buffer overflowed)',
};

/** A readable name for an errno. */
export function errnoName(errno: number): string {
	return errnoNames[errno] ?? `errno ${errno}`;
}
