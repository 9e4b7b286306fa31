import assert from 'node:assert/strict';
import {test} from 'node:test';
import {checkArgv, parseArgv, type FlagShape} from '../../source/cli/argv.js';

const flags: Record<string, FlagShape> = {
	filter: {type: 'string', shortFlag: 'f'},
	reverse: {type: 'boolean', shortFlag: 'r'},
	readOnly: {type: 'boolean'},
	color: {type: 'boolean'},
	interval: {type: 'number'},
};

const cases: Array<{name: string; argv: string[]; expected: string | undefined}> = [
	{name: 'no flags', argv: [], expected: undefined},
	{name: 'long flags, kebab-case', argv: ['--read-only', '--interval', '2'], expected: undefined},
	{name: 'values after =', argv: ['--filter=proto:udp', '--interval=2'], expected: undefined},
	{name: 'a negated switch', argv: ['--no-color'], expected: undefined},
	{name: 'a group of switches ending in a value flag', argv: ['-rf', 'x'], expected: undefined},
	{name: 'a short flag with =', argv: ['-f=x'], expected: undefined},
	{name: 'a negative number as a value', argv: ['--interval', '-1'], expected: undefined},
	{name: "meow's own --help and --version", argv: ['--help', '--version'], expected: undefined},
	{name: 'words and everything after --', argv: ['extra', '--', '--bogus'], expected: undefined},
	{name: 'a switch given twice', argv: ['-r', '--reverse'], expected: undefined},
	{
		name: 'an unknown long flag',
		argv: ['--bogus'],
		expected: 'unknown flag --bogus (see --help)',
	},
	{
		name: 'a camel-case spelling',
		argv: ['--readOnly'],
		expected: 'unknown flag --readOnly (did you mean --read-only?)',
	},
	{
		name: 'a negated value flag',
		argv: ['--no-filter'],
		expected: 'unknown flag --no-filter (see --help)',
	},
	{name: 'an unknown short flag', argv: ['-z'], expected: 'unknown flag -z (see --help)'},
	{
		name: 'an unknown letter in a group',
		argv: ['-rz'],
		expected: 'unknown flag -z in -rz (see --help)',
	},
	{
		name: 'a value flag inside a group',
		argv: ['-fr', 'x'],
		expected: '-f needs a value after it, so it goes last in -fr',
	},
	{
		name: 'a value flag at the end',
		argv: ['--interval'],
		expected: '--interval needs a value (see --help)',
	},
	{
		name: 'a value flag followed by a flag',
		argv: ['-f', '--read-only'],
		expected: '-f needs a value (see --help)',
	},
	{
		name: 'a value given to a switch',
		argv: ['--read-only=yes'],
		expected: '--read-only is a switch and takes no value',
	},
	{
		name: 'a value flag given twice under both names',
		argv: ['-f', 'a', '--filter=b'],
		expected: '--filter is given more than once',
	},
];

for (const {name, argv, expected} of cases) {
	test(`checkArgv: ${name} ${expected === undefined ? 'passes' : 'is refused'}`, () => {
		assert.equal(checkArgv(argv, flags), expected);
	});
}

test('parseArgv reads what checkArgv accepts the way meow did: values, switches, --no-, groups, defaults, input', () => {
	const spec = {
		filter: {type: 'string', shortFlag: 'f'},
		sort: {type: 'string', shortFlag: 's', default: 'src'},
		reverse: {type: 'boolean', shortFlag: 'r', default: false},
		readOnly: {type: 'boolean', default: false},
		color: {type: 'boolean', default: true},
		interval: {type: 'number', default: 1},
		netns: {type: 'string'},
	} satisfies Record<string, FlagShape & {default?: unknown}>;
	const argv = [
		'-rf',
		'proto:udp',
		'--read-only',
		'--no-color',
		'--interval=0.5',
		'--netns=',
		'word',
		'--',
		'--sort',
		'x',
	];
	assert.equal(checkArgv(argv, spec), undefined);
	assert.deepEqual(parseArgv(argv, spec), {
		flags: {
			filter: 'proto:udp',
			sort: 'src',
			reverse: true,
			readOnly: true,
			color: false,
			interval: 0.5,
			netns: '',
		},
		input: ['word', '--sort', 'x'],
	});
	assert.deepEqual(parseArgv(['-s', 'bytes', '--interval', 'soon'], spec).flags.sort, 'bytes');
	assert.ok(Number.isNaN(parseArgv(['--interval', 'soon'], spec).flags.interval));
	assert.deepEqual(parseArgv([], spec), {
		flags: {sort: 'src', reverse: false, readOnly: false, color: true, interval: 1},
		input: [],
	});
});
