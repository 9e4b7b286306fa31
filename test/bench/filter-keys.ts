/**
 * The model's part of filter keystrokes on a real table, in-process: the namespace's dump is
 * read once into a `FlowTable`, then the text index is built (as `/` does) and the bench's
 * keystrokes (`7`, `77`, `777`, then Backspace back to none) each resolve the 22-row view the
 * TUI draws, as `resolveView` does. Every step's CPU time is printed, ROUNDS times over
 * (each round starts from no filter, so the kept results are the previous round's).
 *
 *   ip netns exec sc1m node --import tsx test/bench/filter-keys.ts
 */
import {performance} from 'node:perf_hooks';
import type {Flow} from '../../source/flow/types.js';
import {decodeDatagram} from '../../source/kernel/decode-datagram.js';
import {parseFilter, type Filter} from '../../source/model/filter.js';
import {FlowTable} from '../../source/model/table.js';
import {initialState, resolveView, type UiState} from '../../source/ui/state.js';
import {capture} from './capture-dump.js';

const rounds = Number(process.env.ROUNDS ?? 3);
const datagrams = await capture();
const table = new FlowTable();
const now = Date.now();
table.startSnapshot();
for (const datagram of datagrams) {
	decodeDatagram(datagram, {
		flow(flow: Flow) {
			table.addToSnapshot(flow, now);
		},
	});
}

table.endSnapshot(now);
datagrams.length = 0;

function compile(text: string): Filter | undefined {
	if (text === '') return undefined;
	const result = parseFilter(text);
	if (!result.ok) throw new Error(`bench filter '${text}': ${result.error.message}`);
	return result.filter;
}

/** CPU ms of `run` (this process is alone on its thread; wall time would count the neighbours). */
function cpuMs(run: () => void): number {
	const before = process.cpuUsage();
	run();
	const spent = process.cpuUsage(before);
	return (spent.user + spent.system) / 1000;
}

let state: UiState = initialState({sort: 'src', reverse: false, names: false});
const draw = () => resolveView(state, table, now, 22);
draw();
console.log(`${table.size} flows`);
for (let round = 0; round < rounds; round++) {
	const figures: string[] = [];
	const wallStart = performance.now();
	figures.push(`prepare ${cpuMs(() => table.prepareTextSearch()).toFixed(0)}`);
	for (const text of ['7', '77', '777', '77', '7', '']) {
		const filter = compile(text);
		state = {...state, filter, cursorKey: undefined, top: 0, cursorIndex: 0};
		let total = 0;
		const ms = cpuMs(() => {
			total = draw().total;
		});
		figures.push(`'${text}' ${ms.toFixed(0)} (${total})`);
	}

	const wall = performance.now() - wallStart;
	console.log(`round ${round}: ${figures.join(', ')} ms cpu; ${wall.toFixed(0)} ms wall in all`);
}
