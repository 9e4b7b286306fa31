/**
 * The TUI's key latencies and memory on a namespace that already exists, for quick checks
 * while working on one target of the scale bench (which fills its own namespaces):
 *
 *   NS=sc1m FLOWS=1000000 PRESSES=5 IDLE=10 node --import tsx test/bench/tui-keys.ts
 *
 * Same measurement as scale.ts (scale-tui.ts), without waiting for a background re-dump.
 */
import {measureTui, median} from './scale-tui.js';

const name = process.env.NS;
if (!name) throw new Error('set NS to the name of a filled network namespace');
const flows = Number(process.env.FLOWS ?? 1);
const figures = measureTui({name}, flows, {
	idleSeconds: Number(process.env.IDLE ?? 10),
	presses: Number(process.env.PRESSES ?? 5),
	waitForRedump: false,
});
console.log(
	`first screen ${figures.firstScreenMs.toFixed(0)} ms, whole table ${figures.loadedMs.toFixed(0)} ms`,
);
console.log(
	`idle ${figures.idleCpuPercent.toFixed(1)}% over ${figures.idleSeconds.toFixed(0)} s, RSS ${(figures.rssKb / 1024).toFixed(0)} MB (${figures.processes.join(', ')})`,
);
for (const [key, values] of Object.entries(figures.keys)) {
	console.log(
		`${key}: median ${median(values).toFixed(0)} ms (${values.map((v) => v.toFixed(0)).join(', ')})`,
	);
}
