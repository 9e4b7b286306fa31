/**
 * The delete log read back as a test sees it: one JSON object a line, as source/sync/deleter.ts
 * writes them.
 */
import {readFileSync} from 'node:fs';
import type {FlowJson} from '../../source/flow/json.js';

/** One line of the delete log. */
export interface DeleteLogLine {
	/** When the flow was deleted, as an ISO 8601 time. */
	readonly deleted: string;
	readonly host: string;
	/** The namespace's name or inode, or null for the host's own namespace. */
	readonly netns: string | null;
	readonly flow: FlowJson;
}

/** The lines of the delete log at `path`, parsed. */
export function readDeleteLog(path: string): DeleteLogLine[] {
	return readFileSync(path, 'utf8')
		.trim()
		.split('\n')
		.map((line) => JSON.parse(line) as DeleteLogLine);
}
