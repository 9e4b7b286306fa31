/**
 * One screen line made of styled segments, as a single Ink text node: one <Text> per line
 * costs 2-2.5x less CPU than a <Box> of cells (docs/facts.md#one-text-node-per-row).
 */
import {Text} from 'ink';
import type {Segment} from '../header.js';
import {paint} from '../paint.js';

/** Props of SegmentLine. */
export interface SegmentLineProps {
	/** The runs of the line, left to right; they must fit the width (the rest is cut). */
	readonly segments: readonly Segment[];
	/** False draws no colours (bold, dim and inverse remain: NO_COLOR allows them). */
	readonly color: boolean;
}

/** A line of styled segments; an empty line when there are none. */
export function SegmentLine({segments, color}: SegmentLineProps) {
	if (segments.length === 0) return <Text> </Text>;
	let text = '';
	for (const segment of segments) text += paint(segment.text, segment, color);
	return <Text wrap="truncate-end">{text}</Text>;
}
