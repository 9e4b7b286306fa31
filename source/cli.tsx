#!/usr/bin/env node
/**
 * conntop's command line: composes the kernel client, the sync, the model and the UI.
 * The interactive UI is imported lazily so `--once`, `--events` and JSON never load React.
 */
import {hostname} from 'node:os';
import {isatty} from 'node:tty';
import {SourceError} from './flow/source-error.js';
import {KernelError} from './kernel/kernel-error.js';
import type {Filter} from './model/filter.js';
import {groupBys, groupSortColumns, type GroupBy} from './model/group.js';
import {isGroupSortColumn, isSortColumn, type SortChoice} from './model/sort-choice.js';
import {sortColumns} from './model/sort-columns.js';
import {netnsEnvironment, reexecInNetns, resolveNetns} from './cli/netns.js';
import {currentNetnsName} from './cli/netns-name.js';
import type {InteractiveOptions} from './cli/interactive.js';
import type {OnceOptions} from './cli/once.js';
import {describeFilterError} from './cli/messages.js';
import {checkArgv, parseArgv, type FlagShape} from './cli/argv.js';
import type {RemoteOptions} from './cli/remote.js';
import {parseReaderChoice, readerEnvironment} from './remote/reader-choice.js';
import {parseSshTarget} from './remote/ssh-target.js';

// React picks its build from NODE_ENV when the TUI loads it (lazily, below): unset, it runs the
// development build, whose checks cost a large share of every frame. A user's own setting wins.
process.env.NODE_ENV ??= 'production';

const helpText = `
	Usage
	  $ sudo conntop [options]

	A live, top-like view of the Linux conntrack table: sort, filter, inspect, tag and delete
	entries from the keyboard. Needs root (CAP_NET_ADMIN).

	Options
	  -f, --filter EXPR        Show only flows matching EXPR (e.g. 'proto:tcp state:syn_sent dport:443')
	  -s, --sort COLUMN        Sort by ${sortColumns.join(', ')} (default src);
	                           with -g also by ${groupSortColumns.join(', ')}
	  -r, --reverse            Reverse the sort
	  -g, --group-by KEY       Aggregate by ${groupBys.join(', ')}
	  -4, --ipv4 / -6, --ipv6  Only one address family
	      --netns NAME|PID     Show another network namespace (a name from \`ip netns list\`, or a PID)
	      --ssh [USER@]HOST[:PORT]
	                           Show a router's table, read over SSH (OpenSSH's ssh, your ssh_config
	                           and agent; conntrack or /proc/net/nf_conntrack there, nothing installed)
	      --ssh-config FILE    Passed to ssh as -F FILE
	      --read-only          Disable every key that deletes
	      --no-confirm         x deletes at once, without asking (D still asks)
	      --no-color           Plain output (NO_COLOR is honoured too)
	      --dns                Show DNS names instead of addresses (toggle with n)
	      --interval SECONDS   Redraw period (default 1)
	      --resync SECONDS     Background re-read of the whole table (counters, timeouts, flows
	                           no event reported): default auto, from the table's size;
	                           0 = off (the rows on screen are still re-read every tick)
	      --delete-log PATH    Where deleted flows are logged as JSON lines
	                           (default ~/.local/state/conntop/deleted.jsonl)

	Scripting
	      --once               Print the table once and exit (like iptstate -s)
	      --json, --csv        With --once: JSON array or CSV; with --events: NDJSON (--json)
	      --width N            With --once: fit the text table to N columns
	      --events             Stream NEW/UPDATE/DESTROY events until interrupted (like conntrack -E)

	Examples
	  $ sudo conntop -f 'state:syn_sent dport:443'
	  $ sudo conntop --once -s bytes -r | head
	  $ sudo conntop --once --json -f 'proto:udp flag:unreplied age>60' | jq length
	  $ sudo conntop --events --json -f 'host:10.0.0.0/8'
	  $ sudo conntop --netns my-pod-ns -g dport
	  $ conntop --ssh root@192.168.1.1
	  $ conntop --ssh root@router --once --json | jq length

	Environment
	  CONNTOP_SSH             The ssh client to run (default ssh)
	  CONNTOP_REMOTE_READER   With --ssh: auto (default), conntrack, proc, or proc:/PATH
`;

/** Exit code for bad usage (flags, columns, filters), as BSD sysexits' EX_USAGE is too rare to know. */
const usageExit = 2;

function usageError(message: string): never {
	process.stderr.write(`conntop: ${message}\n`);
	process.exit(usageExit);
}

// meow takes no digit flags: map -4/-6 to their long names first.
const argv = process.argv
	.slice(2)
	.map((arg) => (arg === '-4' ? '--ipv4' : arg === '-6' ? '--ipv6' : arg));

/** The flags, given to meow and to our own check of the command line's shape. */
const flagSpec = {
	filter: {type: 'string', shortFlag: 'f'},
	// No default: without --sort, --once prints in the kernel's order (the TUI sorts by src).
	sort: {type: 'string', shortFlag: 's'},
	reverse: {type: 'boolean', shortFlag: 'r', default: false},
	groupBy: {type: 'string', shortFlag: 'g'},
	ipv4: {type: 'boolean', default: false},
	ipv6: {type: 'boolean', default: false},
	netns: {type: 'string'},
	ssh: {type: 'string'},
	sshConfig: {type: 'string'},
	readOnly: {type: 'boolean', default: false},
	confirm: {type: 'boolean', default: true},
	color: {type: 'boolean', default: true},
	dns: {type: 'boolean', default: false},
	interval: {type: 'number', default: 1},
	resync: {type: 'string', default: 'auto'},
	deleteLog: {type: 'string'},
	once: {type: 'boolean', default: false},
	json: {type: 'boolean', default: false},
	csv: {type: 'boolean', default: false},
	width: {type: 'number'},
	events: {type: 'boolean', default: false},
} satisfies Record<string, FlagShape & {default?: unknown}>;

const shapeError = checkArgv(argv, flagSpec);
if (shapeError !== undefined) usageError(shapeError);

// --help and --version are meow's (its help layout, the version from package.json), so meow is
// loaded only for them: it prints and exits. Every other run parses with parseArgv (argv.ts).
const options = argv.slice(0, argv.includes('--') ? argv.indexOf('--') : argv.length);
if (options.includes('--help') || options.includes('--version')) {
	const {default: meow} = await import('meow');
	meow(helpText, {importMeta: import.meta, argv, allowUnknownFlags: false, flags: flagSpec});
}

const {flags, input} = parseArgv(argv, flagSpec);

if (input.length > 0) usageError(`unexpected argument "${input[0]}" (see --help)`);
/** --sort as a column: a flow sort column, or with --group-by a group sort column too. */
function sortChoice(value: string): SortChoice {
	if (isSortColumn(value) || (flags.groupBy !== undefined && isGroupSortColumn(value)))
		return value;
	const known = flags.groupBy === undefined ? sortColumns : [...sortColumns, ...groupSortColumns];
	return usageError(`unknown sort column "${value}": use one of ${[...new Set(known)].join(', ')}`);
}

const sort = sortChoice(flags.sort ?? 'src');
/** --once without --sort or --reverse streams in the kernel's order, like `conntrack -L`. */
const onceSort = flags.sort === undefined && !flags.reverse ? undefined : sort;

if (flags.groupBy !== undefined && !groupBys.includes(flags.groupBy as GroupBy)) {
	usageError(`unknown group-by key "${flags.groupBy}": use one of ${groupBys.join(', ')}`);
}

if (flags.ipv4 && flags.ipv6)
	usageError('-4 and -6 exclude each other: give one, or neither for both');
if (flags.once && flags.events) usageError('--once and --events exclude each other');
if (flags.json && flags.csv) usageError('--json and --csv exclude each other');
if ((flags.json || flags.csv) && !flags.once && !flags.events)
	usageError('--json and --csv go with --once or --events');
if (flags.csv && flags.events) usageError('--events prints text or --json, not --csv');
if (flags.width !== undefined && !flags.once) usageError('--width goes with --once');
if (flags.width !== undefined && !(Number.isInteger(flags.width) && flags.width >= 20))
	usageError('--width takes a whole number of columns, at least 20, like 132');

// Below 0.1 s a redraw would cost more than it shows (htop's floor too).
if (!(flags.interval >= 0.1 && flags.interval <= 3600))
	usageError('--interval takes seconds from 0.1 to 3600, like 1 or 0.5');
// Timers cap at 2^31 ms (24.8 days) and fire at once past it; a re-dump more often than each
// second would never rest on a big table.
const resyncSeconds = flags.resync === 'auto' ? undefined : Number(flags.resync);
if (
	resyncSeconds !== undefined &&
	!(resyncSeconds === 0 || (resyncSeconds >= 1 && resyncSeconds <= 86_400))
)
	usageError(
		'--resync takes auto, seconds from 1 to 86400, or 0 to turn the background re-read off',
	);

let remote: RemoteOptions | undefined;
if (flags.ssh !== undefined) {
	if (flags.netns !== undefined) usageError('--ssh and --netns exclude each other');
	const target = parseSshTarget(flags.ssh);
	if ('error' in target) usageError(target.error);
	const reader = parseReaderChoice(process.env[readerEnvironment]);
	if ('error' in reader) usageError(reader.error);
	if (flags.sshConfig === '') usageError('--ssh-config needs a file');
	remote = {
		ssh: {target, binary: process.env.CONNTOP_SSH || 'ssh', configFile: flags.sshConfig},
		reader,
	};
} else if (flags.sshConfig !== undefined) usageError('--ssh-config goes with --ssh');

let filter: Filter | undefined;
if (flags.filter !== undefined && flags.filter.trim() !== '') {
	// The filter language loads only for a filter.
	const {parseFilter} = await import('./model/filter.js');
	const parsed = parseFilter(flags.filter);
	if (!parsed.ok) usageError(describeFilterError(flags.filter, parsed.error));
	filter = parsed.filter;
}

/**
 * A closed stdout (`| head`) ends us quietly. Not for --once: touching `process.stdout` makes
 * a pipe non-blocking, and --once writes to fd 1 itself (cli/stdout-writer.ts says why).
 */
function quietOnClosedStdout(): void {
	process.stdout.on('error', (error: NodeJS.ErrnoException) => {
		if (error.code === 'EPIPE') process.exit(0);
		throw error;
	});
}

/** The terminal's width, else $COLUMNS, else 120 (a pipe has no width of its own). */
function onceWidth(): number {
	// A terminal's stdout is safe to touch: libuv opens the terminal again for itself.
	if (isatty(1)) return process.stdout.columns;
	const columns = Number.parseInt(process.env.COLUMNS ?? '', 10);
	return columns >= 20 ? columns : 120;
}

const family = flags.ipv4 ? 'ipv4' : flags.ipv6 ? 'ipv6' : undefined;

/** What `--once` prints and how, the same for the local table and a router's. */
function onceOptions(): OnceOptions {
	return {
		filter,
		sort: onceSort,
		reverse: flags.reverse,
		group: flags.groupBy as GroupBy | undefined,
		format: flags.json ? 'json' : flags.csv ? 'csv' : 'text',
		family,
		width: flags.width ?? onceWidth(),
		color: flags.color && !process.env.NO_COLOR,
	};
}

/** The TUI's options from the flags, the same for the local table and a router's. */
function tuiOptions(): Omit<InteractiveOptions, 'events' | 'hostname' | 'netns'> {
	return {
		filter,
		sort,
		reverse: flags.reverse,
		group: flags.groupBy as GroupBy | undefined,
		readOnly: flags.readOnly,
		confirm: flags.confirm,
		color: flags.color && !process.env.NO_COLOR,
		dns: flags.dns,
		intervalMs: flags.interval * 1000,
		resyncMs: resyncSeconds === undefined ? undefined : resyncSeconds * 1000,
		family,
		deleteLog: flags.deleteLog,
	};
}

async function main(): Promise<number> {
	if (remote) return mainRemote(remote);
	const netnsLabel = process.env[netnsEnvironment];
	if (flags.netns !== undefined && netnsLabel === undefined) {
		const resolved = resolveNetns(flags.netns);
		if ('error' in resolved) usageError(resolved.error);
		if (process.getuid?.() !== 0) {
			throw new KernelError(
				'permission',
				'needs root to enter another network namespace: run it with sudo.',
			);
		}

		return reexecInNetns(resolved.path, flags.netns);
	}

	if (flags.events) {
		quietOnClosedStdout();
		const {runEvents} = await import('./cli/modes.js');
		return runEvents({filter, json: flags.json, family});
	}

	const {ConntrackClient} = await import('./kernel/client.js');
	const once = flags.once ? onceOptions() : undefined;
	// Streamed JSON does the most per flow, so the dump thread pays for it from a smaller table
	// than the client's default (docs/facts.md#dump-thread: crossover ~70k entries).
	const streamedJson = once?.format === 'json' && once.sort === undefined && !once.group;
	const client = ConntrackClient.open(streamedJson ? {threadFrom: 70_000} : {});
	if (once) {
		const {runOnce} = await import('./cli/once.js');
		try {
			return await runOnce(client, once);
		} finally {
			client.close();
		}
	}

	quietOnClosedStdout();
	const [{startInteractive}, {EventStream}] = await Promise.all([
		import('./cli/interactive.js'),
		import('./kernel/events.js'),
	]);
	return startInteractive(client, {
		...tuiOptions(),
		// Started by hand inside a namespace (`ip netns exec NAME conntop`): name it as --netns does.
		netns: netnsLabel ?? currentNetnsName(),
		hostname: hostname(),
		events: () => new EventStream(),
	});
}

/** --ssh: the same modes on a router's table (loaded only then). */
async function mainRemote(options: RemoteOptions): Promise<number> {
	const {runRemote} = await import('./cli/remote.js');
	if (!flags.once) quietOnClosedStdout();
	if (flags.events)
		return runRemote(options, {kind: 'events', options: {filter, json: flags.json, family}});
	if (flags.once) {
		return runRemote(options, {kind: 'once', options: onceOptions()});
	}

	return runRemote(options, {
		kind: 'interactive',
		options: {...tuiOptions(), hostname: options.ssh.target.label},
	});
}

main().then(
	(code) => {
		process.exitCode = code;
	},
	(error: unknown) => {
		if (error instanceof SourceError) {
			process.stderr.write(`conntop: ${error.message}\n`);
			process.exitCode = error.exitCode;
			return;
		}

		process.stderr.write(`conntop: ${(error as Error).stack ?? String(error)}\n`);
		process.exitCode = 1;
	},
);
