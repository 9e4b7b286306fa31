/**
 * Value parsers of the filter language: numbers with unit suffixes, durations, and names
 * resolved by unique prefix. Each returns the value or a message and hint, never throws.
 */

/** A parsed value, or why not. */
export type ValueResult<T> =
	| {readonly ok: true; readonly value: T}
	| {readonly ok: false; readonly message: string; readonly hint: string};

/** How a numeric field reads its values. */
export type NumberKind = 'port' | 'integer' | 'size' | 'duration';

const hints: Readonly<Record<NumberKind, string>> = {
	port: 'ports are whole numbers 0-65535; ranges like 1000-2000',
	integer: 'a whole number, decimal or hex: mark=16 or mark=0x10',
	size: 'numbers take k, M, G, T (x1000) or Ki, Mi, Gi, Ti (x1024), e.g. bytes>1M or rate>10k',
	duration: 'seconds, or with s, m, h, d (age>5m), or as shown (ttl<1:30, 4d23:59:59)',
};

/** The hint shown with a bad value of kind `kind`. */
export function numberHint(kind: NumberKind): string {
	return hints[kind];
}

const sizeMultipliers: Readonly<Record<string, number>> = {
	'': 1,
	k: 1e3,
	m: 1e6,
	g: 1e9,
	t: 1e12,
	ki: 1024,
	mi: 1024 ** 2,
	gi: 1024 ** 3,
	ti: 1024 ** 4,
};

const durationUnits: Readonly<Record<string, number>> = {'': 1, s: 1, m: 60, h: 3600, d: 86_400};

function bad<T>(message: string, kind: NumberKind): ValueResult<T> {
	return {ok: false, message, hint: hints[kind]};
}

/**
 * One number of kind `kind`: `port` 0-65535 decimal; `integer` decimal or `0x` hex up to
 * 2^32-1; `size` a decimal with an optional k/M/G/T (1000s) or Ki/Mi/Gi/Ti (1024s) suffix
 * and an optional trailing `b` or `/s`; `duration` seconds with an optional s/m/h/d unit, or
 * a clock `m:ss`, `h:mm:ss`, `Nd hh:mm:ss` written `4d23:59:59`. Case-insensitive.
 */
export function parseNumber(text: string, kind: NumberKind): ValueResult<number> {
	const lower = text.toLowerCase();
	switch (kind) {
		case 'port': {
			if (!/^\d+$/.test(lower)) return bad(`'${text}' is not a port number`, kind);
			const value = Number(lower);
			if (value > 65_535) return bad(`port ${text} is out of range`, kind);
			return {ok: true, value};
		}

		case 'integer': {
			let value: number;
			if (/^0x[\da-f]+$/.test(lower)) value = Number.parseInt(lower.slice(2), 16);
			else if (/^\d+$/.test(lower)) value = Number(lower);
			else return bad(`'${text}' is not a whole number`, kind);
			if (value > 0xffffffff) return bad(`${text} is out of range (at most 0xffffffff)`, kind);
			return {ok: true, value};
		}

		case 'size': {
			const match = /^(\d+(?:\.\d*)?|\.\d+)(ki|mi|gi|ti|k|m|g|t)?(?:b|\/s|b\/s)?$/.exec(lower);
			if (!match) return bad(`'${text}' is not a number`, kind);
			return {ok: true, value: Number(match[1]) * sizeMultipliers[match[2] ?? '']};
		}

		case 'duration': {
			return parseDuration(text, lower);
		}
	}
}

function parseDuration(text: string, lower: string): ValueResult<number> {
	const plain = /^(\d+(?:\.\d*)?|\.\d+)([smhd])?$/.exec(lower);
	if (plain) return {ok: true, value: Number(plain[1]) * durationUnits[plain[2] ?? '']};
	const clock = /^(?:(\d+)d)?(\d+):(\d\d)(?::(\d\d))?$/.exec(lower);
	if (clock) {
		const days = Number(clock[1] ?? 0);
		// Two fields are m:ss, three h:mm:ss, as formatTtl prints them.
		const [h, m, s] =
			clock[4] === undefined
				? [0, Number(clock[2]), Number(clock[3])]
				: [Number(clock[2]), Number(clock[3]), Number(clock[4])];
		const subfields = clock[4] === undefined ? [s] : [m, s];
		if (subfields.every((value) => value < 60)) {
			return {ok: true, value: days * 86_400 + h * 3600 + m * 60 + s};
		}
	}

	return bad(`'${text}' is not a duration`, 'duration');
}

/**
 * `text` as one of `names` (lowercase): an exact name, else the only name it is a prefix of,
 * so people in a hurry can type `state:est` or `flag:assu`. `preferred` names are tried first
 * (TCP states before SCTP/DCCP ones: `state:time` is TIME_WAIT, not DCCP's TIMEWAIT). `what`
 * names the vocabulary in messages.
 */
export function resolveName(
	text: string,
	names: readonly string[],
	what: string,
	preferred: readonly string[] = [],
): ValueResult<string> {
	const lower = text.toLowerCase();
	if (names.includes(lower)) return {ok: true, value: lower};
	for (const tier of [preferred, names]) {
		const candidates = tier.filter((name) => name.startsWith(lower));
		if (candidates.length === 1) return {ok: true, value: candidates[0]};
		if (candidates.length > 1) {
			return {
				ok: false,
				message: `${what} '${text}' is ambiguous: ${candidates.join(', ')}`,
				hint: 'type more letters',
			};
		}
	}

	return {ok: false, message: `unknown ${what} '${text}'`, hint: `one of: ${names.join(' ')}`};
}

/** Edit distance, for "did you mean" hints; small inputs only. */
export function editDistance(a: string, b: string): number {
	let previous = Array.from({length: b.length + 1}, (_, i) => i);
	for (let i = 1; i <= a.length; i++) {
		const current = [i];
		for (let j = 1; j <= b.length; j++) {
			current[j] = Math.min(
				previous[j] + 1,
				current[j - 1] + 1,
				previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
			);
		}

		previous = current;
	}

	return previous[b.length];
}
