/**
 * The router-side commands, as POSIX sh text (busybox ash runs them): nothing is copied to the
 * router and nothing is left there. Every value put in a command comes from the parser (numbers,
 * canonical addresses) or from conntop's own options, and is quoted for the shell all the same.
 */
import {hasPorts, isIcmp, protocolName} from '../flow/protocols.js';
import type {Flow} from '../flow/types.js';
import {addressText} from './address-text.js';
import {shellCommand, shellQuote} from './shell-quote.js';

/** How the router's table is read. */
export type Reader =
	/** `conntrack -L`: ids, events and deletes. */
	| {readonly kind: 'conntrack'}
	/** A file in /proc/net/nf_conntrack's format, read whole each time: read-only, no events. */
	| {readonly kind: 'proc'; readonly path: string};

/** Where the kernel shows the table to a router without conntrack-tools. */
export const procTablePath = '/proc/net/nf_conntrack';

/**
 * What the router has, one fact a line: `uid N`, `host NAME`, `conntrack` when the tool is on
 * the PATH, `proc` when `procPath` is readable, then `end` (so a cut-off answer is noticed).
 */
export function probeCommand(procPath: string): string {
	return [
		'printf "uid %s\\n" "$(id -u)"',
		'printf "host %s\\n" "$(cat /proc/sys/kernel/hostname 2>/dev/null)"',
		'if command -v conntrack >/dev/null 2>&1; then echo conntrack; fi',
		`if [ -r ${shellQuote(procPath)} ]; then echo proc; fi`,
		'echo end',
	].join('; ');
}

/** The line between the table and the stats in a dump's output. */
export const statsMarker = 'conntop-stats';

/**
 * The whole table, one flow a line (conntrack's count summary goes to stderr), then
 * `statsMarker` and the stats (statsCommand): one round trip for both, so the router is not
 * asked for its stats on a timer of their own. Exits with the table reader's status.
 */
export function dumpCommand(reader: Reader): string {
	const table =
		reader.kind === 'conntrack' ? 'conntrack -L -o extended,id' : `cat ${shellQuote(reader.path)}`;
	return `${table}; status=$?; echo ${statsMarker}; ${statsCommand(reader)}; exit $status`;
}

/** Events until the connection ends, each stamped; the ENOBUFS warning goes to stderr. */
export function eventsCommand(): string {
	return 'exec conntrack -E -o extended,id,timestamp';
}

/** The sysctls the header shows, each as `sysctl NAME VALUE` (empty when unreadable). */
const sysctls = ['count', 'max', 'acct', 'timestamp'] as const;

/**
 * The table's size and health in one round trip: the sysctls, then the per-CPU counters from
 * `conntrack -S` (`cpu=N found=...` lines) or, without it, from /proc/net/stat/nf_conntrack
 * (a header line and hexadecimal rows).
 */
export function statsCommand(reader: Reader): string {
	const lines = sysctls.map(
		(name) =>
			`printf "sysctl ${name} %s\\n" "$(cat /proc/sys/net/netfilter/nf_conntrack_${name} 2>/dev/null)"`,
	);
	lines.push(
		reader.kind === 'conntrack'
			? 'conntrack -S 2>/dev/null'
			: 'cat /proc/net/stat/nf_conntrack 2>/dev/null',
	);
	return lines.join('; ');
}

function checked(value: number, max: number): number {
	if (!Number.isInteger(value) || value < 0 || value > max)
		throw new Error(`refusing to send ${value} to the router: out of range`);
	return value;
}

/**
 * The arguments naming `flow`'s original tuple for conntrack's -G, -L and -D: conntrack selects
 * by tuple only the protocols whose tuples carry ports or ICMP fields.
 */
function tupleArgs(flow: Flow): Array<string | number> | undefined {
	const ports = hasPorts(flow.protonum);
	if (!ports && !isIcmp(flow.protonum)) return undefined;
	const name = protocolName(flow.protonum);
	const {original} = flow;
	const args: Array<string | number> = [
		'-p',
		name,
		'-s',
		addressText(original.src),
		'-d',
		addressText(original.dst),
	];
	if (ports) {
		args.push(
			'--sport',
			checked(original.sport, 65_535),
			'--dport',
			checked(original.dport, 65_535),
		);
	} else {
		args.push(
			`--${name}-type`,
			checked(original.icmpType, 255),
			`--${name}-code`,
			checked(original.icmpCode, 255),
			`--${name}-id`,
			checked(original.icmpId, 65_535),
		);
	}

	return args;
}

/**
 * Deletes `flow` on the router when the entry with its original tuple and zone still has its
 * id, so a tuple reused by a newer flow is left alone; prints `deleted`, `gone`, or `error`
 * followed by conntrack's message. Undefined for protocols conntrack cannot select by tuple
 * (gre and others). `conntrack -G` looks in zone 0 only, so other zones are checked with a
 * filtered `-L`.
 */
export function deleteCommand(flow: Flow): string | undefined {
	const tuple = tupleArgs(flow);
	if (!tuple) return undefined;
	const zone = checked(flow.zone, 65_535);
	const id = checked(flow.id, 0xffffffff);
	const get =
		zone === 0
			? shellCommand(['conntrack', '-G', ...tuple, '-o', 'id'])
			: shellCommand(['conntrack', '-L', ...tuple, '-w', zone, '-o', 'id']);
	const remove = shellCommand(['conntrack', '-D', ...tuple, '-w', zone]);
	return [
		`found=$(${get} 2>/dev/null) || { echo gone; exit 0; }`,
		// The id is the last field of conntrack's line.
		`case "$found" in *${shellQuote(` id=${id}`)}) ;; *) echo gone; exit 0 ;; esac`,
		`if said=$(${remove} 2>&1 >/dev/null); then echo deleted; exit 0; fi`,
		`case "$said" in *" 0 flow entries"*) echo gone ;; *) echo error; printf "%s\\n" "$said" ;; esac`,
	].join('\n');
}
