/**
 * Text that came from the router (its host name, a tool's error message, ssh's own complaint)
 * made safe to show or log: the router is not trusted, and an escape sequence written raw to
 * the terminal can move the cursor, retitle the window or worse.
 */

/** Longest router text shown in one place; longer is cut with an ellipsis. */
export const printableMaxLength = 200;

/**
 * `text` without C0 and C1 control characters, DEL, or Unicode line and bidi controls (each
 * run of them becomes one space), trimmed and cut to `max` characters.
 */
export function printable(text: string, max = printableMaxLength): string {
	// Cut before replacing, so a 10 MB message costs no more than a short one.
	const head = text.length > max * 4 ? text.slice(0, max * 4) : text;
	const clean = head
		.replaceAll(
			// eslint-disable-next-line no-control-regex -- the control characters are what this removes
			/[\u0000-\u001F\u007F-\u009F\u2028\u2029\u200E\u200F\u202A-\u202E\u2066-\u2069]+/g,
			' ',
		)
		.trim();
	const chars = [...clean];
	return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : clean;
}
