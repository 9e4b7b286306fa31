/**
 * Numbers as cells show them (TTLs, ages, counts, bytes, rates), shared by the TUI and the
 * CLI's `--once` text. Pure and allocation-light: they run only for rows on screen, never for
 * the whole table. Addresses are written by flow/address-text.ts.
 */

function pad2(value: number): string {
	return value < 10 ? `0${value}` : String(value);
}

/**
 * Seconds as iptstate shows a TTL: `m:ss` under an hour, `h:mm:ss` under a day, then
 * `Nd` before `hh:mm:ss` (`4d23:59:59`, the ESTABLISHED default of 5 days less a second).
 * A fraction counts as a whole second, as a countdown does: the kernel reports whole seconds
 * rounded down, so a row read with timeout 5 shows 0:05 (as `conntrack -L` does) until a full
 * second has passed, and 0:00 only once the entry's time is up, never during its last second.
 * Negative or NaN input is 0:00, Infinity (no timeout known) is `-`.
 */
export function formatTtl(seconds: number): string {
	if (seconds === Number.POSITIVE_INFINITY) return '-';
	const total = Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds) : 0;
	const s = total % 60;
	const m = Math.floor(total / 60) % 60;
	const h = Math.floor(total / 3600) % 24;
	const d = Math.floor(total / 86_400);
	if (d > 0) return `${d}d${pad2(h)}:${pad2(m)}:${pad2(s)}`;
	if (h > 0) return `${h}:${pad2(m)}:${pad2(s)}`;
	return `${m}:${pad2(s)}`;
}

const units = ['K', 'M', 'G', 'T', 'P', 'E'];

/**
 * A count in at most four characters plus a unit, decimal (1K = 1000, matching the filter's
 * `k`/`M`/`G` suffixes): `999`, `1.2K`, `12K`, `999K`, `1.0M`. Fractions below 1000 are
 * rounded; negative or NaN input is `0`.
 */
export function formatCount(value: number): string {
	if (!(value > 0)) return '0';
	if (value < 999.5) return String(Math.round(value));
	let scaled = value;
	for (const unit of units) {
		scaled /= 1000;
		if (scaled < 9.95) return `${scaled.toFixed(1)}${unit}`;
		if (scaled < 999.5) return `${Math.round(scaled)}${unit}`;
	}

	return `${Math.round(scaled)}E`;
}

/** Bytes in the `formatCount` scale (`1.2K`, `3.4M`); no `B` suffix, columns are labelled. */
export function formatBytes(bytes: number): string {
	return formatCount(bytes);
}

/** A per-second rate in the `formatCount` scale with `/s` (`0/s`, `1.2K/s`). */
export function formatRate(perSecond: number): string {
	return `${formatCount(perSecond)}/s`;
}
