/**
 * `--once --sort` at a size no test namespace holds: one real dump of the namespace's table,
 * replayed `copies` times from memory (each copy's flows get other ids and IPv4 sources, so
 * they sort apart) through printSorted into /dev/null. Prints CPU per flow and the process's
 * peak RSS; run it once with 0 copies for the baseline, whose difference per flow is what the
 * sorted path keeps (compact records, keys, order).
 *
 *   ip netns exec NAME node --import tsx test/bench/sorted-scale.ts copies [column] [format]
 *
 * (root; column defaults to sport, format to text). The kernel's walk and the dump thread
 * are left out.
 */
import {closeSync, openSync} from 'node:fs';
import type {OnceFormat} from '../../source/cli/once.js';
import {printSorted} from '../../source/cli/once-sorted.js';
import {ChunkWriter} from '../../source/cli/stdout-writer.js';
import type {Flow} from '../../source/flow/types.js';
import {decodeDatagram} from '../../source/kernel/decode-datagram.js';
import {capture} from './capture-dump.js';
import type {SortChoice} from '../../source/model/sort-choice.js';

/** `flow` as copy `copy` of it: another id, and an IPv4 source moved by `copy` * 2^16. */
function shifted(flow: Flow, copy: number): Flow {
	if (copy === 0) return flow;
	const {src} = flow.original;
	return {
		...flow,
		id: (flow.id + Math.imul(copy, 0x9e3779b1)) >>> 0,
		original: {...flow.original, src: typeof src === 'number' ? (src + copy * 65_536) >>> 0 : src},
	};
}

const copies = Number(process.argv[2] ?? 10);
const sort = (process.argv[3] ?? 'sport') as SortChoice;
const format = (process.argv[4] ?? 'text') as OnceFormat;
const datagrams = await capture();
const fd = openSync('/dev/null', 'w');
const out = new ChunkWriter(fd);
let flows = 0;
const dump = async (onFlow: (flow: Flow) => void) => {
	for (let copy = 0; copy < copies; copy++) {
		// A dump arrives in pieces; the sorted path runs between them as it does on a socket.
		await Promise.resolve();
		for (const datagram of datagrams)
			decodeDatagram(datagram, {
				flow(flow: Flow) {
					flows++;
					onFlow(shifted(flow, copy));
				},
			});
	}

	return {flows, errors: [], interrupted: false, unknownAttributes: 0};
};

const used = process.cpuUsage();
const started = performance.now();
await printSorted({dump}, {sort, reverse: false, format, width: 160, color: false}, out);
out.flush();
const spent = process.cpuUsage(used);
const wall = performance.now() - started;
closeSync(fd);
const peak = process.resourceUsage().maxRSS * 1024;
const perFlow = (value: number) => (flows ? (value / flows).toFixed(2) : '-');
console.log(
	`${flows} flows (${copies} copies) --sort ${sort} ${format}: ` +
		`${perFlow(wall * 1000)} µs/flow wall, ${perFlow(spent.user + spent.system)} µs/flow cpu, ` +
		`peak RSS ${(peak / 1e6).toFixed(1)} MB`,
);
