/**
 * Reads the answer of `statsCommand` (commands.ts): the sysctls, then per-CPU counters as
 * `conntrack -S` prints them or as /proc/net/stat/nf_conntrack tabulates them. Strict like the
 * flow parser: counters are names from a narrow pattern with decimal (or, in /proc, hex)
 * values; any other line is ignored, and nothing of it is kept.
 */
import type {KernelStats} from '../flow/source.js';

/** /proc/net/stat/nf_conntrack's column names that differ from conntrack -S's. */
const procNames: Readonly<Record<string, string>> = {
	icmp_error: 'error',
	clashres: 'clash_resolve',
};

const namePattern = /^[a-z][a-z_]{0,31}$/;

/** The stats in `text`; count and max fall back to undefined (and 0) when unreadable. */
export function parseStatsText(text: string): KernelStats {
	const sysctl = new Map<string, number>();
	const counters: Record<string, number> = {};
	let procColumns: string[] | undefined;
	const add = (name: string, value: number) => {
		if (!namePattern.test(name) || !Number.isSafeInteger(value)) return;
		counters[name] = (counters[name] ?? 0) + value;
	};

	for (const line of text.split('\n')) {
		if (line.length > 1024) continue;
		const words = line.trim().split(/[ \t]+/);
		if (words[0] === 'sysctl' && words.length === 3 && /^\d{1,12}$/.test(words[2])) {
			sysctl.set(words[1], Number(words[2]));
		} else if (/^cpu=\d{1,5}$/.test(words[0])) {
			for (const word of words.slice(1)) {
				const match = /^([a-z_]+)=(\d{1,15})$/.exec(word);
				if (match) add(match[1], Number(match[2]));
			}
		} else if (words[0] === 'entries' && words.every((word) => namePattern.test(word))) {
			procColumns = words;
		} else if (procColumns && words.length === procColumns.length) {
			if (!words.every((word) => /^[0-9a-f]{1,8}$/.test(word))) continue;
			for (const [index, name] of procColumns.entries()) {
				// `entries` is the global count repeated on every row, not a per-CPU counter.
				if (name !== 'entries') add(procNames[name] ?? name, Number.parseInt(words[index], 16));
			}
		}
	}

	const flag = (name: string) => (sysctl.has(name) ? sysctl.get(name) !== 0 : undefined);
	return {
		count: sysctl.get('count') ?? 0,
		max: sysctl.get('max'),
		counters,
		settings: {accounting: flag('acct'), timestamps: flag('timestamp')},
	};
}
