/**
 * The event pane's memory: a bounded ring of the latest events, and their one-line form (like
 * `conntrack -E`, shortened to the screen).
 */
import type {FlowEvent} from '../flow.js';
import {endpointCell, hasPorts, stateLabel, type NameResolver} from './flow-cells.js';
import {padCell, truncateEnd} from './text.js';

/** The latest `capacity` events, oldest dropped first; O(1) per event. */
export class EventRing {
	private readonly items: Array<FlowEvent | undefined>;
	private next = 0;
	private count = 0;

	constructor(readonly capacity: number) {
		this.items = Array.from({length: capacity});
	}

	/** Events held. */
	get size(): number {
		return this.count;
	}

	/** Adds an event, dropping the oldest when full. */
	push(event: FlowEvent): void {
		this.items[this.next] = event;
		this.next = (this.next + 1) % this.capacity;
		this.count = Math.min(this.capacity, this.count + 1);
	}

	/** The newest `n` events, oldest first. */
	latest(n: number): FlowEvent[] {
		const take = Math.max(0, Math.min(n, this.count));
		const out: FlowEvent[] = [];
		for (let i = take; i > 0; i--) {
			out.push(this.items[(this.next - i + this.capacity) % this.capacity]!);
		}

		return out;
	}
}

const tags: Readonly<Record<FlowEvent['type'], string>> = {
	new: '[NEW]',
	update: '[UPDATE]',
	destroy: '[DESTROY]',
};

function clock(time: number): string {
	const date = new Date(time);
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/**
 * One event in `width` columns: local time, `[NEW]`/`[UPDATE]`/`[DESTROY]`, protocol, source
 * and destination, and the state when the event carries one.
 */
export function formatEventLine(event: FlowEvent, width: number, resolve?: NameResolver): string {
	const {flow} = event;
	const o = flow.original;
	const ports = hasPorts(flow.protonum);
	const src = endpointCell(o.src, o.sport, ports, 30, resolve);
	const dst = endpointCell(o.dst, o.dport, ports, 30, resolve);
	const state = flow.state !== undefined || flow.status !== undefined ? ` ${stateLabel(flow)}` : '';
	const line = `${clock(event.time)} ${tags[event.type].padEnd(9)} ${flow.proto} ${src} → ${dst}${state}`;
	return padCell(truncateEnd(line, width), width);
}
