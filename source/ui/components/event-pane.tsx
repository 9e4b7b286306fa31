/**
 * The event pane under the table: a title bar (cyan while it has the keyboard) and the
 * latest events, one line each, new ones green and destroyed ones grey.
 */
import {Box, Text} from 'ink';
import type {FlowEvent} from '../../flow/types.js';
import type {NameResolver} from '../../view/flow-cells.js';
import {padCell} from '../../view/text.js';
import {formatEventLine} from '../event-log.js';
import {paint} from '../paint.js';

const eventTones = {new: 'green', update: undefined, destroy: 'gray'} as const;

/** Props of EventPane. */
export interface EventPaneProps {
	/** The title bar's text (paneTitle's, or why there is no feed). */
	readonly title: string;
	/** The events shown, top first. */
	readonly events: readonly FlowEvent[];
	/** Lines it takes, its title included. */
	readonly height: number;
	/** Columns it spans. */
	readonly width: number;
	/** Whether it has the keyboard. */
	readonly focused: boolean;
	/** Cached reverse DNS, while names are on. */
	readonly resolveName?: NameResolver;
	/** False draws no colours. */
	readonly color: boolean;
}

/** The title bar and the events. */
export function EventPane(props: EventPaneProps) {
	const {title, events, height, width, focused, resolveName, color} = props;
	return (
		<Box flexDirection="column" height={height}>
			<Text wrap="truncate-end">
				{paint(
					padCell(title, width),
					{bold: true, inverse: true, color: focused ? 'cyan' : undefined},
					color,
				)}
			</Text>
			{events.map((event, i) => (
				<Text key={i} wrap="truncate-end">
					{paint(
						formatEventLine(event, width, resolveName),
						{color: eventTones[event.type]},
						color,
					)}
				</Text>
			))}
		</Box>
	);
}
