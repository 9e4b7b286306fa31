/**
 * Deleting flows from the kernel, with a record: every deleted flow is appended as one JSON
 * line to a log file, so what was removed can always be seen afterwards.
 */
import {appendFile, mkdir} from 'node:fs/promises';
import {dirname} from 'node:path';
import {flowToJson} from '../cli/flow-json.js';
import type {Flow} from '../flow.js';
import type {DeleteOutcome} from '../kernel/client.js';

/** What a batch of deletes did. */
export interface DeleteReport {
	readonly deleted: number;
	/** Already gone (ENOENT), or the tuple now belongs to another flow (CTA_ID differs). */
	readonly gone: number;
	readonly failed: ReadonlyArray<{readonly flow: Flow; readonly reason: string}>;
	/** Set when the log could not be written (the deletes themselves still happened). */
	readonly logError?: string;
}

/** Where the delete log goes unless --delete-log says otherwise. */
export function defaultDeleteLogPath(): string {
	const base = process.env.XDG_STATE_HOME ?? `${process.env.HOME ?? '/root'}/.local/state`;
	return `${base}/conntop/deleted.jsonl`;
}

/**
 * Makes a deleter over `remove` (the kernel client's delete): one flow at a time, in order,
 * so a failure midway leaves a clear report. `now` stamps the log lines.
 */
export function makeDeleter(
	remove: (flow: Flow) => Promise<DeleteOutcome>,
	logPath: string,
	now: () => number,
): (flows: readonly Flow[]) => Promise<DeleteReport> {
	return async (flows) => {
		let deleted = 0;
		let gone = 0;
		const failed: Array<{flow: Flow; reason: string}> = [];
		const lines: string[] = [];
		for (const flow of flows) {
			const outcome = await remove(flow);
			if (outcome.result === 'deleted') {
				deleted++;
				lines.push(
					JSON.stringify({deleted: new Date(now()).toISOString(), flow: flowToJson(flow)}),
				);
			} else if (outcome.result === 'gone') {
				gone++;
			} else {
				failed.push({flow, reason: outcome.reason});
			}
		}

		let logError: string | undefined;
		if (lines.length > 0) {
			try {
				await mkdir(dirname(logPath), {recursive: true});
				await appendFile(logPath, lines.join('\n') + '\n');
			} catch (error) {
				logError = `could not write ${logPath}: ${(error as Error).message}`;
			}
		}

		return {deleted, gone, failed, logError};
	};
}
