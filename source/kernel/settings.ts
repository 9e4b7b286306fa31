/**
 * The conntrack sysctls that decide what a flow can carry: packet and byte counters
 * (nf_conntrack_acct) and a start time (nf_conntrack_timestamp). Rows cannot tell: a flow that
 * arrived by NEW event has no counters even with accounting on, so the sysctls are read.
 */
import {readFile} from 'node:fs/promises';
import {join} from 'node:path';
import type {TrackingSettings} from '../flow/source.js';

/** Where the netfilter sysctls live in procfs. */
export const netfilterSysctls = '/proc/sys/net/netfilter';

/**
 * Reads nf_conntrack_acct and nf_conntrack_timestamp. procfs answers for the network namespace
 * of the reading process, so call it from the process that is inside the namespace shown
 * (with --netns, conntop has re-executed itself there). Never rejects: a missing file (conntrack
 * not loaded) leaves that setting undefined.
 */
export async function readTrackingSettings(
	directory: string = netfilterSysctls,
): Promise<TrackingSettings> {
	const [accounting, timestamps] = await Promise.all([
		readSwitch(join(directory, 'nf_conntrack_acct')),
		readSwitch(join(directory, 'nf_conntrack_timestamp')),
	]);
	return {accounting, timestamps};
}

async function readSwitch(path: string): Promise<boolean | undefined> {
	try {
		const value = Number.parseInt(await readFile(path, 'utf8'), 10);
		return Number.isNaN(value) ? undefined : value !== 0;
	} catch {
		return undefined;
	}
}
