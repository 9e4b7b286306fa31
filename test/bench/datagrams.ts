/**
 * How many datagrams one dump of N flows takes with the netlink package's message peeking on
 * (its default) and off (what the kernel client uses): see docs/facts.md#datagrams.
 *
 *   node --import tsx test/bench/datagrams.ts [N]     (root; N defaults to 100000)
 */
import {fileURLToPath} from 'node:url';
import {TestNamespace, tsNode} from '../helpers/netns.js';
import {fillNamespace} from './dump.js';

const probe = fileURLToPath(new URL('datagrams-probe.mts', import.meta.url));
const n = Number(process.argv[2] ?? 100_000);
const ns = TestNamespace.create('dgram', {acct: false, timestamp: false});
try {
	fillNamespace(ns, n);
	for (const flag of ['--peek', '--no-peek']) {
		const [node, ...args] = tsNode();
		console.log(ns.run(node, [...args, probe, flag]).trim());
	}
} finally {
	ns.remove();
}
