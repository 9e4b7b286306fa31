/**
 * `npm run bench` (root): every benchmark, each printed as a table with ratios measured in the
 * same run. BENCH_SIZES=1000,10000,100000 (default) chooses the table sizes; IDLE_SECONDS the
 * idle windows of the terminal measurements; BENCH_SCALE_SIZES the sizes of the scale benchmark
 * (scale.ts; 100000,1000000 by default, `none` leaves it out). Supervised (guard.ts): an
 * interrupt still removes the namespaces and puts back the sysctls.
 */
import {spawnSync} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {TestNamespace} from '../helpers/netns.js';
import {benchDump, fillNamespace, printDumpTable} from './dump.js';
import {benchEvents, printEventTable} from './events.js';
import {benchTag, superviseUnlessWorker} from './guard.js';
import {benchRefresh, printRefreshTable} from './refresh.js';
import {benchTerminals, printTerminalTable} from './terminal.js';

const supervised = await superviseUnlessWorker(new URL(import.meta.url));
if (supervised !== undefined) process.exit(supervised);

const sizes = (process.env.BENCH_SIZES ?? '1000,10000,100000').split(',').map(Number);
const idleSeconds = Number(process.env.IDLE_SECONDS ?? 5);

function runScript(name: string, env: NodeJS.ProcessEnv = {}): void {
	const script = fileURLToPath(new URL(name, import.meta.url));
	const {CI: _ci, ...rest} = process.env;
	spawnSync(process.execPath, ['--import', 'tsx', script], {
		stdio: 'inherit',
		env: {...rest, ...env},
	});
}

console.log(`conntop benchmarks, Node ${process.version}, ${new Date().toISOString()}`);

printDumpTable(sizes.map((n) => benchDump(n)));
printRefreshTable(sizes.map((n) => benchRefresh(n)));

for (const n of sizes) {
	const ns = TestNamespace.create(benchTag('benchtty'), {acct: false, timestamp: false});
	try {
		fillNamespace(ns, n);
		printTerminalTable(n, benchTerminals(ns, idleSeconds));
	} finally {
		ns.remove();
	}
}

printEventTable([
	await benchEvents(30_000),
	await benchEvents(30_000, 10_000),
	await benchEvents(30_000, 30_000),
]);

if (process.env.BENCH_SCALE_SIZES !== 'none') runScript('scale.ts');

runScript('remote.ts');

console.log('\nModel (pure table, synthetic flows)');
runScript('model.ts');
console.log('\nTUI on a fake terminal (synthetic flows, CI unset)');
runScript('ui.ts', {FLOWS: sizes.join(','), IDLE_SECONDS: String(idleSeconds)});
