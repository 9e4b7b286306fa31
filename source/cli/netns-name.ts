/**
 * The name of the network namespace conntop runs in when it was started inside one by hand
 * (`ip netns exec NAME conntop`), so the header can say which table it shows as `--netns` does.
 */
import {readdirSync, statSync} from 'node:fs';
import {join} from 'node:path';

/** Where `ip netns add` keeps the named namespaces. */
export const namedNetnsDirectory = '/run/netns';

/**
 * The name under `directory` whose namespace is the one of `self` (default: this process),
 * or undefined: the host's namespace, or one that has no name. Each name there is a bind mount
 * of its namespace, so it has the namespace's device and inode, as `ip netns identify` compares.
 */
export function currentNetnsName(
	self = '/proc/self/ns/net',
	directory: string = namedNetnsDirectory,
): string | undefined {
	let own;
	let names;
	try {
		own = statSync(self);
		names = readdirSync(directory).sort();
	} catch {
		return undefined;
	}

	for (const name of names) {
		try {
			const entry = statSync(join(directory, name));
			if (entry.ino === own.ino && entry.dev === own.dev) return name;
		} catch {
			// A namespace deleted while we looked, or a stray file: not ours.
		}
	}

	return undefined;
}
