/**
 * Failures of the remote source, each with one sentence and its own exit code, so a script can
 * tell "could not log in" from "not root there" from "no conntrack there". A RemoteError is a
 * SourceError, as the kernel's KernelError is: the sync and the CLI report both the same way.
 */
import {SourceError} from '../flow/source-error.js';

/** Why the router's table could not be read. */
export type RemoteFailure =
	/** ssh could not connect or log in (its own message says why). */
	| 'connect'
	/** Logged in, but not as root: the table needs CAP_NET_ADMIN there too. */
	| 'not-root'
	/** Neither conntrack nor a readable /proc/net/nf_conntrack on the router. */
	| 'no-conntrack'
	/** The connection dropped, or the router answered with something that is not a table. */
	| 'dropped';

/** Exit code of each failure (BSD sysexits where one fits). */
export const remoteExitCodes: Readonly<Record<RemoteFailure, number>> = {
	connect: 68, // EX_NOHOST
	'not-root': 77, // EX_NOPERM, as for a local run without root
	'no-conntrack': 69, // EX_UNAVAILABLE
	dropped: 75, // EX_TEMPFAIL
};

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
