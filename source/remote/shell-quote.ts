/**
 * Quoting for the router's shell (POSIX sh, busybox ash on OpenWrt). Every value conntop puts in
 * a remote command goes through here, even the ones the parser already made numbers or
 * canonical addresses: the quoting does not trust the parser, and the parser does not trust the
 * router.
 */

/**
 * `value` as one word of a POSIX shell command: inside single quotes nothing is special, so the
 * only character to handle is the single quote itself, which closes the quotes, is escaped, and
 * opens them again. NUL cannot be passed through a shell at all, so it throws.
 */
export function shellQuote(value: string | number): string {
	const text = String(value);
	if (text.includes('\0')) throw new Error('a shell word cannot contain NUL');
	// Words made only of safe characters stay readable in `ps` on the router.
	if (/^[\w@%+=:,./-]+$/.test(text)) return text;
	return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** A command line of `words`, each quoted on its own. */
export function shellCommand(words: ReadonlyArray<string | number>): string {
	return words.map((word) => shellQuote(word)).join(' ');
}
