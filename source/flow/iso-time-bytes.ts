/**
 * `new Date(time).toISOString()` written as bytes, for the `start` of every flow that
 * `--once --json` and `--csv` print: a Date and a string per flow cost more than the rest of
 * the start field. The text up to the seconds is made once per second and kept, so only the
 * milliseconds are written per flow.
 */

/** The first time whose ISO text has a five-digit year (10000-01-01T00:00:00.000Z). */
const fourDigitYears = 253_402_300_800_000;

/**
 * Seconds remembered. Not one: a dump comes in the kernel's hash order, so even flows that
 * started in two seconds alternate between them (docs/facts.md#writing-bytes).
 */
const slots = 1024;
const prefixLength = 20;
/** Which second each slot holds, and its `YYYY-MM-DDTHH:MM:SS.` */
const slotSecond = new Float64Array(slots).fill(Number.NaN);
const prefixes = new Uint8Array(slots * prefixLength);

/** Bytes `writeIsoTime` may need: the six-digit years of the far past and future. */
export const isoTimeBound = 27;

/**
 * Writes `new Date(time).toISOString()` (ASCII) at `at`; returns the offset after it. Throws
 * the same RangeError as `toISOString` for a time no Date holds.
 */
export function writeIsoTime(out: Uint8Array, at: number, time: number): number {
	// A Date keeps whole milliseconds, cut toward zero.
	const ms = Math.trunc(time);
	if (!(ms >= 0 && ms < fourDigitYears)) {
		const text = new Date(time).toISOString();
		for (let i = 0; i < text.length; i++) out[at + i] = text.charCodeAt(i);
		return at + text.length;
	}

	const second = Math.floor(ms / 1000);
	const slot = second % slots;
	const from = slot * prefixLength;
	if (slotSecond[slot] !== second) {
		const text = new Date(second * 1000).toISOString();
		for (let i = 0; i < prefixLength; i++) prefixes[from + i] = text.charCodeAt(i);
		slotSecond[slot] = second;
	}

	for (let i = 0; i < prefixLength; i++) out[at + i] = prefixes[from + i];
	at += prefixLength;
	const milli = ms - second * 1000;
	out[at] = 48 + ((milli / 100) | 0);
	out[at + 1] = 48 + (((milli / 10) | 0) % 10);
	out[at + 2] = 48 + (milli % 10);
	out[at + 3] = 90;
	return at + 4;
}
