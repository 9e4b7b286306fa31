/**
 * The filter prompt's two lines above the table: what is typed with its match count, then
 * the help, or a caret under the error and why.
 */
import type {Prompt} from '../state.js';
import {promptSegments} from '../status-lines.js';
import {SegmentLine} from './segment-line.js';

/** Props of PromptLine. */
export interface PromptLineProps {
	/** The open prompt. */
	readonly prompt: Prompt;
	/** Flows the filter in force matches. */
	readonly matched: number;
	/** Columns the lines span. */
	readonly width: number;
	/** False draws no colours. */
	readonly color: boolean;
}

/** The typed text, then help or error. */
export function PromptLine({prompt, matched, width, color}: PromptLineProps) {
	const [line, help] = promptSegments(prompt, matched, width);
	return (
		<>
			<SegmentLine segments={line} color={color} />
			<SegmentLine segments={help} color={color} />
		</>
	);
}
