/**
 * The per-flow cost of `--once` in JavaScript alone: decoding, and decoding plus each of the
 * three writers, over the datagrams of one real dump replayed from memory. The kernel's walk
 * and the pipe are left out, so the figures are steady while the machine is busy.
 *
 *   ip netns exec NAME node --import tsx test/bench/writers.ts [rounds] [mode...]
 *
 * (root; rounds defaults to 7, modes to decode json csv text sort)
 *
 * Prints, per mode, the median over the rounds of wall and CPU (user+sys) µs per flow.
 */
import {closeSync, openSync} from 'node:fs';
import {flowPrinter, type OnceFormat} from '../../source/cli/once.js';
import {printSorted} from '../../source/cli/once-sorted.js';
import {ChunkWriter} from '../../source/cli/stdout-writer.js';
import {decodeDatagram} from '../../source/kernel/decode-datagram.js';
import {capture} from './capture-dump.js';
import type {Flow} from '../../source/flow/types.js';

/** `sort`: text sorted by source port, as `--once --sort sport` prints it. */
type Mode = 'decode' | OnceFormat | 'sort';

/** Replays `datagrams` through the decoder and, unless `decode`, the printer of `mode`. */
async function replay(datagrams: readonly Buffer[], mode: Mode, fd: number): Promise<number> {
	let flows = 0;
	const now = Date.now();
	if (mode === 'decode') {
		const sink = {
			flow() {
				flows++;
			},
		};
		for (const datagram of datagrams) decodeDatagram(datagram, sink);
		return flows;
	}

	const out = new ChunkWriter(fd);
	if (mode === 'sort') {
		const dump = async (onFlow: (flow: Flow) => void) => {
			await Promise.resolve();
			const sink = {
				flow(flow: Flow) {
					flows++;
					onFlow(flow);
				},
			};
			for (const datagram of datagrams) decodeDatagram(datagram, sink);
			return {flows, errors: [], interrupted: false, unknownAttributes: 0};
		};
		const options = {
			sort: 'sport',
			reverse: false,
			format: 'text',
			width: 160,
			color: false,
		} as const;
		await printSorted({dump}, options, out);
		out.flush();
		return flows;
	}

	const printer = await flowPrinter(out, mode, 160);
	const sink = {
		flow(flow: Flow) {
			flows++;
			printer.add(flow, now);
		},
	};
	for (const datagram of datagrams) decodeDatagram(datagram, sink);
	printer.end();
	out.flush();
	return flows;
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

const rounds = Number(process.argv[2] ?? 7);
const datagrams = await capture();
const fd = openSync('/dev/null', 'w');
const asked = process.argv.slice(3) as Mode[];
const modes: Mode[] = asked.length > 0 ? asked : ['decode', 'json', 'csv', 'text', 'sort'];
const wall = new Map<Mode, number[]>(modes.map((mode) => [mode, []]));
const cpu = new Map<Mode, number[]>(modes.map((mode) => [mode, []]));
let flows = 0;
// A first round warms every path up; it is not counted.
for (let round = 0; round <= rounds; round++) {
	for (const mode of modes) {
		const started = performance.now();
		const used = process.cpuUsage();
		flows = await replay(datagrams, mode, fd);
		const spent = process.cpuUsage(used);
		if (round === 0) continue;
		wall.get(mode)!.push(((performance.now() - started) * 1000) / flows);
		cpu.get(mode)!.push((spent.user + spent.system) / flows);
	}
}

closeSync(fd);
console.log(`${flows} flows in ${datagrams.length} datagrams, median of ${rounds} rounds`);
for (const mode of modes) {
	const w = median(wall.get(mode)!).toFixed(2);
	const c = median(cpu.get(mode)!).toFixed(2);
	console.log(`${mode.padEnd(7)} ${w.padStart(6)} µs/flow wall ${c.padStart(6)} µs/flow cpu`);
}
