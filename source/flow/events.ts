/**
 * Events as conntrack-tools names them: the tags `conntrack -E` prints before each flow, which
 * the text form writes, the event pane shows and the remote parser reads.
 */
import type {FlowEventType} from './types.js';

/** The tag of each event type, as `conntrack -E` prints it. */
export const eventTags: Readonly<Record<FlowEventType, string>> = {
	new: '[NEW]',
	update: '[UPDATE]',
	destroy: '[DESTROY]',
};
