/**
 * CONNTOP_REMOTE_READER: which reader the remote source uses. `auto` (the default) takes
 * `conntrack` when the router has it, else /proc/net/nf_conntrack; `conntrack` and `proc` force
 * one (tests exercise both on one router); `proc:/PATH` reads a file in the same format
 * instead, for a kernel without nf_conntrack_procfs or a crafted table.
 */

/** The reader asked for. */
export type ReaderChoice =
	| {readonly kind: 'auto'}
	| {readonly kind: 'conntrack'}
	| {readonly kind: 'proc'; readonly path?: string};

/** The environment variable that chooses the reader. */
export const readerEnvironment = 'CONNTOP_REMOTE_READER';

/** The choice in `text` (undefined or empty: auto), or a sentence saying what is wrong. */
export function parseReaderChoice(
	text: string | undefined,
): ReaderChoice | {readonly error: string} {
	if (text === undefined || text === '' || text === 'auto') return {kind: 'auto'};
	if (text === 'conntrack') return {kind: 'conntrack'};
	if (text === 'proc') return {kind: 'proc'};
	if (text.startsWith('proc:/') && /^[\x21-\x7E]+$/.test(text))
		return {kind: 'proc', path: text.slice(5)};
	return {
		error: `${readerEnvironment} takes auto, conntrack, proc or proc:/absolute/path, not "${text.replaceAll(/[^\x20-\x7E]/g, '?')}"`,
	};
}
