/**
 * Event ingest benchmark: N inserts through `conntrack -R` as fast as the kernel takes them,
 * while conntop's EventStream counts what it decodes. Prints events/s and what was lost.
 */
import {writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {TestNamespace, tsNode} from '../helpers/netns.js';
import {startReadyProbe} from '../helpers/probe.js';
import {benchTag} from './guard.js';

const probe = fileURLToPath(new URL('events-probe.mts', import.meta.url));

/** One run's figures. */
export interface EventFigures {
	inserted: number;
	received: number;
	lostReports: number;
	eventsPerSecond: number;
	insertSeconds: number;
}

/**
 * Inserts `n` entries while the probe listens: in one `conntrack -R` burst, or paced at
 * `perSecond` (chunks every 100 ms) to find the rate that is followed without loss.
 */
export async function benchEvents(n: number, perSecond?: number): Promise<EventFigures> {
	const ns = TestNamespace.create(benchTag('benchev'), {acct: false, timestamp: false});
	try {
		const listener = await startReadyProbe(
			[...tsNode(), probe, String(Math.max(8000, (n / (perSecond ?? n)) * 1000 + 5000))],
			{ns},
		);
		const lines = Array.from(
			{length: n},
			(_, i) =>
				`-I -p udp -s 10.5.${(i >> 8) & 255}.${i & 255} -d 10.6.0.1 --sport ${1024 + (i % 60000)} --dport 53 -t 3600`,
		);
		const chunk = perSecond ? Math.max(1, Math.round(perSecond / 10)) : n;
		const start = performance.now();
		for (let at = 0, round = 0; at < n; at += chunk, round++) {
			const file = join(tmpdir(), `${ns.name}-events-${round}.txt`);
			writeFileSync(file, lines.slice(at, at + chunk).join('\n') + '\n');
			ns.conntrack(['-R', file]);
			const due = start + (round + 1) * 100;
			if (perSecond)
				while (performance.now() < due) await new Promise((resolve) => setTimeout(resolve, 5));
		}

		const insertSeconds = (performance.now() - start) / 1000;
		await listener.exited;
		const result = listener.jsonLines<{news: number; lost: number; ms: number}>().at(-1)!;
		return {
			inserted: n,
			received: result.news,
			lostReports: result.lost,
			eventsPerSecond: result.news / (result.ms / 1000),
			insertSeconds,
		};
	} finally {
		ns.remove();
	}
}

/** Prints the ingest figures. */
export function printEventTable(rows: readonly EventFigures[]): void {
	console.log(
		'\nEvent ingest: NEW events from `conntrack -R` inserts, one burst or paced (8 MiB receive buffer requested)',
	);
	console.log('inserted  received   lost reports  kernel insert rate   decoded events/s');
	for (const r of rows) {
		console.log(
			[
				String(r.inserted).padEnd(9),
				String(r.received).padStart(9),
				String(r.lostReports).padStart(14),
				`${(r.inserted / r.insertSeconds).toFixed(0)}/s`.padStart(20),
				`${r.eventsPerSecond.toFixed(0)}/s`.padStart(18),
			].join(' '),
		);
	}
}
