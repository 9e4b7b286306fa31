/**
 * Failures of the remote source, each with one sentence and its own exit code, so a script can
 * tell "cannot reach it" from "login refused" from "not root there" from "no conntrack there".
 * A RemoteError is a SourceError, as the kernel's KernelError is: the sync and the CLI report
 * both the same way.
 */
import {SourceError} from '../flow/source-error.js';

/** Why the router's table could not be read. */
export type RemoteFailure =
	/**
	 * ssh could not reach the host or trust it: unknown name, no route, connection refused or
	 * timed out, host key mismatch (its own message says which).
	 */
	| 'connect'
	/** The host answered but refused the login: no key or password it accepts. */
	| 'auth'
	/** Logged in, but not as root: the table needs CAP_NET_ADMIN there too. */
	| 'not-root'
	/** Neither conntrack nor a readable /proc/net/nf_conntrack on the router. */
	| 'no-conntrack'
	/** The connection dropped, or the router answered with something that is not a table. */
	| 'dropped';

/** Exit code of each failure (BSD sysexits where one fits). */
export const remoteExitCodes: Readonly<Record<RemoteFailure, number>> = {
	connect: 68, // EX_NOHOST
	auth: 67, // EX_NOUSER: the host is there, the login is not accepted
	'not-root': 77, // EX_NOPERM, as for a local run without root
	'no-conntrack': 69, // EX_UNAVAILABLE
	dropped: 75, // EX_TEMPFAIL
};

/**
 * Whether ssh's message says the router refused the login (OpenSSH: "Permission denied
 * (publickey,password)", "Too many authentication failures", "No more authentication methods
 * to try") rather than that it could not be reached.
 */
export function isLoginRefused(sshMessage: string): boolean {
	return /permission denied|too many authentication failures|no more authentication methods|authentication failed/i.test(
		sshMessage,
	);
}

/** A remote failure with a sentence for people and its exit code. */
export class RemoteError extends SourceError {
	override readonly name: string = 'RemoteError';

	constructor(
		readonly failure: RemoteFailure,
		message: string,
	) {
		super(failure === 'not-root' ? 'permission' : 'unavailable', message);
	}

	override get exitCode(): number {
		return remoteExitCodes[this.failure];
	}
}
