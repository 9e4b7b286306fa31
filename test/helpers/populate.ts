/**
 * Fills a test namespace with a variety of real conntrack entries: TCP in several states,
 * UDP, ICMP, IPv6 TCP/UDP/ICMPv6, SCTP, a marked entry, an entry in zone 7 (all made with
 * `conntrack -I`), and real loopback traffic through one DNAT and one SNAT rule.
 */
import {fileURLToPath} from 'node:url';
import type {TestNamespace} from './netns.js';

const trafficScript = fileURLToPath(new URL('traffic.mts', import.meta.url));

/** `conntrack -I` argument lists, one entry each, with long timeouts so nothing expires mid-test. */
export const insertedEntries: readonly string[][] = [
	'-p tcp -s 10.1.0.1 -d 10.1.0.2 --sport 40001 --dport 80 --state SYN_SENT -t 600',
	'-p tcp -s 10.1.0.1 -d 10.1.0.2 --sport 40002 --dport 443 --state ESTABLISHED -u ASSURED,SEEN_REPLY -t 3600',
	'-p tcp -s 10.1.0.3 -d 10.1.0.2 --sport 40003 --dport 22 --state TIME_WAIT -u SEEN_REPLY -t 600',
	'-p tcp -s 10.1.0.3 -d 10.1.0.4 --sport 40004 --dport 25 --state CLOSE_WAIT -u SEEN_REPLY -t 600',
	'-p tcp -s 10.1.0.9 -d 10.1.0.2 --sport 40005 --dport 8080 --state ESTABLISHED -u SEEN_REPLY -m 42 -t 600',
	'-p tcp -s 10.1.0.9 -d 10.1.0.2 --sport 40006 --dport 8080 --state ESTABLISHED -u SEEN_REPLY -w 7 -t 600',
	'-p udp -s 10.1.0.1 -d 10.1.0.53 --sport 5353 --dport 53 -t 600',
	'-p icmp -s 10.1.0.1 -d 10.1.0.2 --icmp-type 8 --icmp-code 0 --icmp-id 77 -t 600',
	'-p tcp -s fd00::1 -d fd00::2 --sport 40010 --dport 443 --state ESTABLISHED -u ASSURED,SEEN_REPLY -t 3600',
	'-p udp -s fd00::1 -d fd00::53 --sport 5353 --dport 53 -t 600',
	'-p icmpv6 -s fd00::1 -d fd00::2 --icmpv6-type 128 --icmpv6-code 0 --icmpv6-id 5 -t 600',
	'-p sctp -s 10.1.0.1 -d 10.1.0.2 --sport 3868 --dport 3868 --state ESTABLISHED --orig-vtag 1 --reply-vtag 2 -t 600',
].map((line) => line.split(' '));

/** Adds the entries and runs the traffic; leaves the NAT table in place. */
export function populateVariety(ns: TestNamespace): void {
	for (const args of insertedEntries) ns.conntrack(['-I', ...args]);
	ns.nft(`table ip conntop_nat {
	chain out { type nat hook output priority -100; tcp dport 9999 dnat to 127.0.0.1:8090; }
	chain post { type nat hook postrouting priority 100; udp dport 7777 snat to 127.0.0.5; }
}`);
	runTraffic(ns, ['tcp', '8090', '1'], {CONNECT_PORT: '9999'});
	runTraffic(ns, ['udp', '7777', '1']);
	runTraffic(ns, ['tcp', '8091', '1', '::1']);
	runTraffic(ns, ['udp', '7778', '2', '::1']);
}

/** Runs traffic.mts in the namespace with these arguments (bounded: it exits by itself). */
export function runTraffic(
	ns: TestNamespace,
	args: readonly string[],
	env: Record<string, string> = {},
): void {
	const assignments = Object.entries(env).map(([k, v]) => `${k}=${v}`);
	ns.run('env', [...assignments, process.execPath, '--import', 'tsx', trafficScript, ...args]);
}
