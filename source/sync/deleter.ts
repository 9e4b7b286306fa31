/**
 * Deleting flows from the kernel, with a record: every deleted flow is appended as one JSON
 * line to a log file, so what was removed can always be seen afterwards.
 */
import {mkdir, open} from 'node:fs/promises';
import {dirname} from 'node:path';
import {flowToJson} from '../flow/json.js';
import type {DeleteOutcome} from '../flow/source.js';
import type {Flow} from '../flow/types.js';

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
 * Where deleted flows lived, written on every log line so a log gathered from several
 * namespaces or machines still says which table each flow was removed from.
 */
export interface DeleteOrigin {
	/** The machine whose kernel held the flows: this host's name, or a remote source's host. */
	readonly host: string;
	/** The network namespace (the --netns name or PID); undefined for the host's own. */
	readonly netns?: string;
}

/**
 * Deletes a batch of flows and logs the deleted ones; also knows which batches are still
 * running, so the program can let them finish (and be logged) before it exits.
 */
export interface Deleter {
	(flows: readonly Flow[]): Promise<DeleteReport>;
	/** Batches started and not finished yet. */
	readonly pending: number;
	/** Resolves once every batch started so far (and any started meanwhile) has finished. */
	idle(): Promise<void>;
}

/** Appends `text` to `path` and syncs it: a delete that was reported must be in the log after a crash too. */
async function appendSynced(path: string, text: string): Promise<void> {
	await mkdir(dirname(path), {recursive: true});
	const file = await open(path, 'a');
	try {
		await file.appendFile(text);
		await file.sync();
	} finally {
		await file.close();
	}
}

/**
 * Makes a deleter over `remove` (the kernel client's delete): one flow at a time, in order,
 * so a failure midway leaves a clear report. `now` stamps the log lines; `origin` names the
 * host and namespace on each.
 */
export function makeDeleter(
	remove: (flow: Flow) => Promise<DeleteOutcome>,
	logPath: string,
	now: () => number,
	origin: DeleteOrigin,
): Deleter {
	const running = new Set<Promise<unknown>>();
	const run = async (flows: readonly Flow[]): Promise<DeleteReport> => {
		let deleted = 0;
		let gone = 0;
		const failed: Array<{flow: Flow; reason: string}> = [];
		const lines: string[] = [];
		for (const flow of flows) {
			const outcome = await remove(flow);
			if (outcome.result === 'deleted') {
				deleted++;
				lines.push(
					JSON.stringify({
						deleted: new Date(now()).toISOString(),
						host: origin.host,
						// Null rather than absent, so a reader sees "the host's own namespace" said.
						netns: origin.netns ?? null,
						flow: flowToJson(flow),
					}),
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
				await appendSynced(logPath, lines.join('\n') + '\n');
			} catch (error) {
				logError = `could not write ${logPath}: ${(error as Error).message}`;
			}
		}

		return {deleted, gone, failed, logError};
	};

	const deleter = async (flows: readonly Flow[]): Promise<DeleteReport> => {
		const batch = run(flows);
		running.add(batch);
		try {
			return await batch;
		} finally {
			running.delete(batch);
		}
	};

	// defineProperties, not Object.assign: assign would copy the getter's value once.
	return Object.defineProperties(deleter, {
		pending: {
			get: () => running.size,
		},
		idle: {
			async value() {
				while (running.size > 0) await Promise.allSettled([...running]);
			},
		},
	}) as Deleter;
}
