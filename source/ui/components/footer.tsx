/**
 * The two lines under everything: the key hints for what has the keyboard, and the status
 * line (the latest message while it lasts, else a running delete).
 */
import type {KeyScope} from '../actions/dispatch.js';
import type {Message} from '../state.js';
import {hintSegments, statusSegments} from '../status-lines.js';
import {SegmentLine} from './segment-line.js';

/** Props of Footer. */
export interface FooterProps {
	/** What has the keyboard: its keys are the hints. */
	readonly scope: KeyScope;
	/** Columns the hints may take. */
	readonly width: number;
	/** Why deleting is off, if it is: the deleting keys are dimmed. */
	readonly disabled: string | undefined;
	/** The latest status message, if any. */
	readonly message: Message | undefined;
	/** A delete batch is running. */
	readonly deleting: boolean;
	/** The host clock (ms): messages fade after a few seconds. */
	readonly now: number;
	/** False draws no colours. */
	readonly color: boolean;
}

/** Hints, then status. */
export function Footer({scope, width, disabled, message, deleting, now, color}: FooterProps) {
	return (
		<>
			<SegmentLine segments={hintSegments(scope, width, disabled)} color={color} />
			<SegmentLine segments={statusSegments(message, deleting, now)} color={color} />
		</>
	);
}
