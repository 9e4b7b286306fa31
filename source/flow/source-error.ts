/**
 * The error a table source raises when it cannot do its work, with one sentence for people and
 * the exit code the CLI ends with. The kernel's KernelError and the remote's RemoteError are
 * both SourceErrors, so the sync and the CLI report either the same way.
 */

/** Why a source could not do its work. */
export type SourceErrorCode =
	/** No right to read the table (CAP_NET_ADMIN, or root on the router). */
	| 'permission'
	/** The table cannot be reached at all (no conntrack, no ctnetlink, no router). */
	| 'unavailable'
	/** Any other socket or protocol failure. */
	| 'socket';

/** An error with a sentence for people and the exit code the CLI should use. */
export class SourceError extends Error {
	override readonly name: string = 'SourceError';

	constructor(
		readonly code: SourceErrorCode,
		message: string,
		readonly errno?: number,
	) {
		super(message);
	}

	/** 77 (EX_NOPERM) for permission problems, as the issue tracker asks; 1 otherwise. */
	get exitCode(): number {
		return this.code === 'permission' ? 77 : 1;
	}
}
