/**
 * The `--ssh [user@]host[:port]` argument, checked before it goes anywhere near ssh: a value
 * that starts with `-` would be read by ssh as an option (`-oProxyCommand=...` runs a local
 * command), so only user, host and port in plain characters get through, and the host is put
 * after `--` on ssh's command line.
 */

/** Where to log in. */
export interface SshTarget {
	readonly user?: string;
	/** A host name, an alias from ssh_config, or an IP address (IPv6 without brackets). */
	readonly host: string;
	readonly port?: number;
	/** As given on the command line, for messages and the header. */
	readonly label: string;
}

const userPattern = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const hostPattern = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const ipv6Pattern = /^[0-9A-Fa-f:.]+$/;

/** The target in `text`, or a sentence saying what is wrong with it. */
export function parseSshTarget(text: string): SshTarget | {readonly error: string} {
	const usage = 'use [user@]host[:port], like root@192.168.1.1 or router:2222';
	if (text === '') return {error: `--ssh needs a host: ${usage}`};
	if (text.startsWith('-'))
		return {error: `--ssh takes a host, not something that starts with "-": ${usage}`};
	if (!/^[\x21-\x7E]+$/.test(text))
		return {error: `--ssh takes a host in plain characters, without spaces: ${usage}`};

	const at = text.lastIndexOf('@');
	const user = at === -1 ? undefined : text.slice(0, at);
	let rest = at === -1 ? text : text.slice(at + 1);
	if (user !== undefined && !userPattern.test(user))
		return {error: `--ssh: "${user}" is not a user name: ${usage}`};

	let port: number | undefined;
	let host: string;
	if (rest.startsWith('[')) {
		// [v6]:port, as ssh's own ssh:// form writes it.
		const close = rest.indexOf(']');
		if (close === -1) return {error: `--ssh: "${text}" has "[" without "]": ${usage}`};
		host = rest.slice(1, close);
		rest = rest.slice(close + 1);
		if (!ipv6Pattern.test(host)) return {error: `--ssh: "${host}" is not an IPv6 address`};
		if (rest !== '') {
			if (!rest.startsWith(':')) return {error: `--ssh: unexpected "${rest}" after "]"`};
			const parsed = parsePort(rest.slice(1));
			if (parsed === undefined) return {error: `--ssh: "${rest.slice(1)}" is not a port (1-65535)`};
			port = parsed;
		}
	} else if (rest.split(':').length > 2) {
		// Two colons or more: a bare IPv6 address, which cannot carry a port.
		if (!ipv6Pattern.test(rest)) return {error: `--ssh: "${rest}" is not a host: ${usage}`};
		host = rest;
	} else {
		const colon = rest.indexOf(':');
		host = colon === -1 ? rest : rest.slice(0, colon);
		if (colon !== -1) {
			const parsed = parsePort(rest.slice(colon + 1));
			if (parsed === undefined)
				return {error: `--ssh: "${rest.slice(colon + 1)}" is not a port (1-65535)`};
			port = parsed;
		}

		if (!hostPattern.test(host)) return {error: `--ssh: "${host}" is not a host: ${usage}`};
	}

	return {user, host, port, label: text};
}

function parsePort(text: string): number | undefined {
	if (!/^\d{1,5}$/.test(text)) return undefined;
	const port = Number(text);
	return port >= 1 && port <= 65_535 ? port : undefined;
}

/** The part of ssh's command line that names the target: `-p PORT -- [user@]host`. */
export function targetArgs(target: SshTarget): string[] {
	const destination = target.user === undefined ? target.host : `${target.user}@${target.host}`;
	return [...(target.port === undefined ? [] : ['-p', String(target.port)]), '--', destination];
}
