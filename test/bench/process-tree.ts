/**
 * A process and everything below it, read from /proc: conntop's event socket lives in a child
 * process and `--netns` runs through nsenter, so fair CPU and memory figures count every
 * process of the program, not the one that was started.
 */
import {spawnSync} from 'node:child_process';
import {readdirSync, readFileSync, readlinkSync} from 'node:fs';
import {basename} from 'node:path';

const clockTicks =
	Number(spawnSync('getconf', ['CLK_TCK'], {encoding: 'utf8'}).stdout.trim()) || 100;

/** One process as /proc shows it. */
export interface ProcessFigures {
	readonly pid: number;
	readonly parent: number;
	/** The kernel's command name (`comm`): `node`, `nsenter`, `sh`; conntop names itself. */
	readonly command: string;
	/** The file it runs, without its directory (`node` for conntop under any title). */
	readonly executable: string;
	/** User plus system CPU seconds so far. */
	readonly cpuSeconds: number;
	/** The same of its children that have ended and been waited for (cutime + cstime). */
	readonly endedChildrenCpuSeconds: number;
	/** Resident set now and its peak (VmRSS, VmHWM), kB; 0 for a zombie. */
	readonly rssKb: number;
	readonly peakRssKb: number;
}

function readProcess(pid: number): ProcessFigures | undefined {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		const close = stat.lastIndexOf(')');
		// After the command: state, ppid (field 4), then utime and stime (fields 14 and 15).
		const fields = stat.slice(close + 2).split(' ');
		const status = readFileSync(`/proc/${pid}/status`, 'utf8');
		const kb = (name: string) =>
			Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
		return {
			pid,
			parent: Number(fields[1]),
			command: stat.slice(stat.indexOf('(') + 1, close),
			executable: basename(readlinkSync(`/proc/${pid}/exe`)),
			cpuSeconds: (Number(fields[11]) + Number(fields[12])) / clockTicks,
			endedChildrenCpuSeconds: (Number(fields[13]) + Number(fields[14])) / clockTicks,
			rssKb: kb('VmRSS'),
			peakRssKb: kb('VmHWM'),
		};
	} catch {
		return undefined;
	}
}

/** `root` and every process below it (empty once `root` is gone). */
export function processTree(root: number): ProcessFigures[] {
	const all = new Map<number, ProcessFigures>();
	for (const name of readdirSync('/proc')) {
		const pid = Number(name);
		if (!Number.isInteger(pid)) continue;
		const figures = readProcess(pid);
		if (figures) all.set(pid, figures);
	}

	const tree: ProcessFigures[] = [];
	for (const [pid, figures] of all) {
		for (let at: number | undefined = pid; at !== undefined && at > 1; at = all.get(at)?.parent) {
			if (at === root) {
				tree.push(figures);
				break;
			}
		}
	}

	return tree;
}

/**
 * CPU seconds of `root` and every process below it, those that ended too (conntop restarts
 * its event child; the ended one's time moves into its parent's cutime).
 */
export function cpuSeconds(root: number): number {
	return processTree(root).reduce(
		(sum, figures) => sum + figures.cpuSeconds + figures.endedChildrenCpuSeconds,
		0,
	);
}
