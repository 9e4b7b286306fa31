/**
 * The shape of the command line, checked before meow parses it, so that every bad flag gets one
 * line in conntop's voice. Left to meow (yargs-parser underneath), an unknown flag prints two
 * lines without our name, a missing value is dropped (`--interval` alone keeps the default), a
 * value given to a switch is read as false (`--once=3`), and a repeated value throws a stack
 * trace.
 */

/** What the check needs to know of one flag; meow's flag descriptions fit it. */
export interface FlagShape {
	readonly type: 'string' | 'number' | 'boolean';
	readonly shortFlag?: string;
}

/** meow's own flags, known without being declared. */
const builtIn: Readonly<Record<string, FlagShape>> = {
	help: {type: 'boolean'},
	version: {type: 'boolean'},
};

function kebab(name: string): string {
	return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

/** yargs-parser takes a following word as a value unless it looks like a flag; -1 is a value. */
function isValueWord(word: string | undefined): word is string {
	return word !== undefined && (!word.startsWith('-') || /^-\d*\.?\d+$/.test(word));
}

/**
 * The first problem with `argv` (after the program name) as one sentence without the `conntop:`
 * prefix, or undefined when every flag is known, every value flag has its value once, and no
 * switch has a value. Words that are not flags, and everything after `--`, are left for the
 * caller to judge.
 */
export function checkArgv(
	argv: readonly string[],
	flags: Readonly<Record<string, FlagShape>>,
): string | undefined {
	const byLong = new Map<string, [string, FlagShape]>();
	const byShort = new Map<string, [string, FlagShape]>();
	for (const [name, shape] of Object.entries({...builtIn, ...flags})) {
		byLong.set(kebab(name), [name, shape]);
		if (shape.shortFlag !== undefined) byShort.set(shape.shortFlag, [name, shape]);
	}

	const given = new Set<string>();
	for (let index = 0; index < argv.length; index++) {
		const word = argv[index];
		if (word === '--') break;
		if (!word.startsWith('-') || word === '-') continue;

		let spelled: string;
		let entry: [string, FlagShape] | undefined;
		let value: string | undefined;
		if (word.startsWith('--')) {
			const equals = word.indexOf('=');
			const name = equals === -1 ? word.slice(2) : word.slice(2, equals);
			value = equals === -1 ? undefined : word.slice(equals + 1);
			spelled = `--${name}`;
			entry = byLong.get(name);
			if (entry === undefined && name.startsWith('no-')) {
				const negated = byLong.get(name.slice(3));
				if (negated?.[1].type === 'boolean') entry = negated;
			}

			if (entry === undefined) {
				const meant = byLong.has(kebab(name))
					? ` (did you mean --${kebab(name)}?)`
					: ' (see --help)';
				return `unknown flag ${spelled}${meant}`;
			}
		} else {
			// A group of short switches (-rf); a value flag must come last in it, as in getopt.
			const letters = word[2] === '=' ? word[1] : word.slice(1);
			value = word[2] === '=' ? word.slice(3) : undefined;
			for (const [position, letter] of [...letters].entries()) {
				entry = byShort.get(letter);
				const inGroup = letters.length > 1 ? ` in ${word}` : '';
				if (entry === undefined) return `unknown flag -${letter}${inGroup} (see --help)`;
				if (entry[1].type !== 'boolean' && position < letters.length - 1)
					return `-${letter} needs a value after it, so it goes last in ${word}`;
			}

			spelled = `-${letters.at(-1)!}`;
		}

		const [name, shape] = entry!;
		if (shape.type === 'boolean') {
			if (value !== undefined) return `${spelled} is a switch and takes no value`;
			continue;
		}

		if (value === undefined) {
			const next = argv[index + 1];
			if (!isValueWord(next)) return `${spelled} needs a value (see --help)`;
			index++;
		}

		if (given.has(name)) return `--${kebab(name)} is given more than once`;
		given.add(name);
	}

	return undefined;
}

/** A flag's value once parsed: what its `type` says. */
type FlagValue<Shape extends FlagShape> = Shape['type'] extends 'boolean'
	? boolean
	: Shape['type'] extends 'number'
		? number
		: string;

/** The parsed flags: each one's value, or its default, or undefined when it has none. */
export type ParsedFlags<Spec extends Record<string, FlagShape & {default?: unknown}>> = {
	[Name in keyof Spec]: Spec[Name] extends {default: unknown}
		? FlagValue<Spec[Name]>
		: FlagValue<Spec[Name]> | undefined;
};

/**
 * Parses a command line that `checkArgv` accepted, as meow (yargs-parser) would: `--name value`,
 * `--name=value`, `--no-name` for switches, grouped short switches (`-rf x`), numbers with
 * `Number()`, defaults for what is not given; words that are not flags, and all after `--`, are
 * the input. Our own, not meow's: meow's bundle took ~50 ms of a 0.2 s `--once` to load, and
 * `checkArgv` already had to know every flag's shape.
 */
export function parseArgv<Spec extends Record<string, FlagShape & {default?: unknown}>>(
	argv: readonly string[],
	spec: Spec,
): {flags: ParsedFlags<Spec>; input: string[]} {
	const byLong = new Map<string, string>();
	const byShort = new Map<string, string>();
	const values: Record<string, unknown> = {};
	for (const [name, shape] of Object.entries(spec)) {
		byLong.set(kebab(name), name);
		if (shape.shortFlag !== undefined) byShort.set(shape.shortFlag, name);
		if (shape.default !== undefined) values[name] = shape.default;
	}

	const input: string[] = [];
	const set = (name: string, value: string | undefined, negated = false) => {
		const type = spec[name].type;
		values[name] =
			type === 'boolean' ? !negated : type === 'number' ? Number(value) : (value ?? '');
	};

	for (let index = 0; index < argv.length; index++) {
		const word = argv[index];
		if (word === '--') {
			input.push(...argv.slice(index + 1));
			break;
		}

		if (!word.startsWith('-') || word === '-') {
			input.push(word);
			continue;
		}

		if (word.startsWith('--')) {
			const equals = word.indexOf('=');
			const long = equals === -1 ? word.slice(2) : word.slice(2, equals);
			let name = byLong.get(long);
			const negated = name === undefined && long.startsWith('no-');
			if (negated) name = byLong.get(long.slice(3));
			if (name === undefined) continue;
			let value = equals === -1 ? undefined : word.slice(equals + 1);
			if (value === undefined && spec[name].type !== 'boolean') value = argv[++index];
			set(name, value, negated);
			continue;
		}

		const letters = word[2] === '=' ? word[1] : word.slice(1);
		for (const [position, letter] of [...letters].entries()) {
			const name = byShort.get(letter);
			if (name === undefined) continue;
			if (spec[name].type === 'boolean') set(name, undefined);
			else if (position === letters.length - 1)
				set(name, word[2] === '=' ? word.slice(3) : argv[++index]);
		}
	}

	return {flags: values as ParsedFlags<Spec>, input};
}
