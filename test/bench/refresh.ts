/**
 * Refresh benchmark: what a background re-dump costs at each size, the period conntop then
 * chooses (3% of a core), and the cost of re-reading the 50 rows on screen, beside
 * `conntrack -L` in the same namespace.
 */
import {spawnSync} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {TestNamespace} from '../helpers/netns.js';
import {fillNamespace, timeCommand} from './dump.js';
import {benchTag} from './guard.js';

const probe = fileURLToPath(new URL('refresh-probe.mts', import.meta.url));

/** One size's figures. */
export interface RefreshFigures {
	flows: number;
	conntrackMs: number;
	dumpCostMs: number;
	periodMs: number;
	rereadMs: number;
	rereadFound: number;
}

/** Fills a namespace with `n` entries and measures. */
export function benchRefresh(n: number): RefreshFigures {
	const ns = TestNamespace.create(benchTag('benchrf'), {acct: true, timestamp: false});
	try {
		fillNamespace(ns, n);
		const conntrackMs = timeCommand(ns, ['conntrack', '-L']).ms;
		const run = spawnSync(
			'ip',
			['netns', 'exec', ns.name, process.execPath, '--import', 'tsx', probe],
			{encoding: 'utf8'},
		);
		const figures = JSON.parse(run.stdout) as Omit<RefreshFigures, 'conntrackMs'>;
		return {...figures, flows: n, conntrackMs};
	} finally {
		ns.remove();
	}
}

/** Prints the figures as a table. */
export function printRefreshTable(rows: readonly RefreshFigures[]): void {
	console.log(
		'\nRefresh: background re-dump cost and period (target 3% of a core), re-read of 50 rows on screen (target < 2 ms)',
	);
	console.log(
		'flows    conntrack -L  dump+merge CPU  period chosen  share  re-read 50 rows  found',
	);
	for (const r of rows) {
		console.log(
			[
				String(r.flows).padEnd(8),
				`${r.conntrackMs.toFixed(0)} ms`.padStart(12),
				`${r.dumpCostMs.toFixed(0)} ms`.padStart(15),
				`${(r.periodMs / 1000).toFixed(1)} s`.padStart(14),
				`${((r.dumpCostMs / r.periodMs) * 100).toFixed(1)}%`.padStart(6),
				`${r.rereadMs.toFixed(2)} ms`.padStart(16),
				String(r.rereadFound).padStart(6),
			].join(' '),
		);
	}
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const sizes = (process.env.BENCH_SIZES ?? '1000,10000,100000').split(',').map(Number);
	printRefreshTable(sizes.map((n) => benchRefresh(n)));
}
