/**
 * The event pane: a bounded ring of the latest events, the pane's own state (focus, size,
 * scroll), which events it shows under the current filter, and their one-line form (like
 * `conntrack -E`, shortened to the screen).
 */
import {eventTags} from '../flow/events.js';
import {hasPorts} from '../flow/protocols.js';
import type {FlowEvent} from '../flow/types.js';
import {eventSubject, type Filter} from '../model/filter.js';
import {endpointCell, stateLabel, type NameResolver} from '../view/flow-cells.js';
import {padCell, truncateEnd} from '../view/text.js';

/** The latest `capacity` events, oldest dropped first; O(1) per event. */
export class EventRing {
	private readonly items: Array<FlowEvent | undefined>;
	private next = 0;
	private count = 0;
	/** Events pushed so far; also the number the next push gets (the pane pauses at one). */
	pushes = 0;

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
		this.pushes++;
	}

	/**
	 * The events held that were pushed as push number `from` up to (not including) `to`,
	 * oldest first; pushes are numbered from 0.
	 */
	range(from: number, to = this.pushes): FlowEvent[] {
		const first = Math.max(from, this.pushes - this.count);
		const last = Math.min(to, this.pushes);
		const out: FlowEvent[] = [];
		for (let seq = first; seq < last; seq++) out.push(this.items[seq % this.capacity]!);
		return out;
	}
}

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
	const line = `${clock(event.time)} ${eventTags[event.type].padEnd(9)} ${flow.proto} ${src} → ${dst}${state}`;
	return padCell(truncateEnd(line, width), width);
}

/** How much of the screen the pane takes, in the order `E` steps through them. */
export const paneSizes = ['half', 'most', 'third'] as const;

/** One of `paneSizes`. */
export type PaneSize = (typeof paneSizes)[number];

/** The pane's own state; whether it is shown at all is `UiState.events`. */
export interface EventPane {
	/** Whether keys go to the pane (scrolling) instead of the table. */
	readonly focused: boolean;
	readonly size: PaneSize;
	/** Lines scrolled back from the newest shown event. */
	readonly back: number;
	/**
	 * The ring's push count when the pane was scrolled back or paused: events pushed since wait
	 * below, so what is being read does not move; undefined while it follows new events.
	 */
	readonly until: number | undefined;
}

/** The pane when the TUI starts: unfocused, half the screen, following new events. */
export const initialEventPane: EventPane = {
	focused: false,
	size: 'half',
	back: 0,
	until: undefined,
};

/**
 * Rows the pane takes (its title line included) out of `available` rows shared with the
 * table, which keeps at least three rows.
 */
export function paneHeight(size: PaneSize, available: number): number {
	const wanted =
		size === 'half'
			? Math.floor(available / 2)
			: size === 'third'
				? Math.floor(available / 3)
				: available - 3;
	return Math.max(3, Math.min(wanted, available - 3));
}

/** What the pane shows. */
export interface PaneView {
	/** The events on screen, oldest first. */
	readonly events: FlowEvent[];
	/** Events that match the filter up to where the pane stops (`until`). */
	readonly total: number;
	/** Matching events that came after `until`, waiting below. */
	readonly newer: number;
	/** `back` clamped to what there is. */
	readonly back: number;
}

/**
 * The pane's `rows` lines: the events held that match `filter` at `now` (all when undefined),
 * up to where the pane stops, scrolled back by `pane.back`.
 */
export function paneView(
	ring: EventRing,
	pane: EventPane,
	filter: Filter | undefined,
	now: number,
	rows: number,
): PaneView {
	const matches = (event: FlowEvent) => !filter || filter.test(eventSubject(event), now);
	const until = pane.until ?? ring.pushes;
	const shown = ring.range(0, until).filter(matches);
	const newer = pane.until === undefined ? 0 : ring.range(until).filter(matches).length;
	const back = Math.max(0, Math.min(pane.back, shown.length - rows));
	const end = shown.length - back;
	return {events: shown.slice(Math.max(0, end - rows), end), total: shown.length, newer, back};
}

/** What a pane key needs besides the pane: the view as last drawn and the ring's push count. */
export interface PaneContext {
	/** `PaneView.total`. */
	readonly total: number;
	/** Event lines on screen. */
	readonly rows: number;
	/** `EventRing.pushes`. */
	readonly pushes: number;
}

/** The pane keys' moves: lines back from the newest, or back to following new events. */
export type PaneMove = 'down' | 'up' | 'pageDown' | 'pageUp' | 'top' | 'bottom' | 'pause';

/**
 * The pane after `move`. Scrolling back pauses it where it is (new events wait below);
 * scrolling down past the newest shown event, End and un-pausing follow new events again.
 */
export function movePane(pane: EventPane, move: PaneMove, context: PaneContext): EventPane {
	const page = Math.max(1, context.rows - 1);
	const oldest = Math.max(0, context.total - context.rows);
	const back = Math.min(pane.back, oldest);
	const follow = {...pane, back: 0, until: undefined};
	const pinned = (lines: number) => ({
		...pane,
		back: Math.max(0, Math.min(oldest, lines)),
		until: pane.until ?? context.pushes,
	});
	switch (move) {
		case 'up':
			return pinned(back + 1);
		case 'pageUp':
			return pinned(back + page);
		case 'top':
			return pinned(oldest);
		case 'down':
			return back === 0 ? follow : pinned(back - 1);
		case 'pageDown':
			return back === 0 ? follow : pinned(back - page);
		case 'bottom':
			return follow;
		case 'pause':
			return pane.until === undefined ? pinned(back) : follow;
	}
}

/**
 * The pane's title: what it shows (filtered or every event), whether it follows or waits, and
 * its keys.
 */
export function paneTitle(
	pane: EventPane,
	view: PaneView,
	filter: Filter | undefined,
	held: number,
): string {
	const what = filter ? `Events matching ${filter.text}` : 'Events, all';
	const where =
		pane.until === undefined
			? 'newest last'
			: `paused${view.newer > 0 ? `, ${view.newer} newer below` : ''} (End follows)`;
	const keys = pane.focused ? 'Tab: table, E: size, e: hide' : 'Tab: scroll, E: size, e: hide';
	return `${what} (${view.total} of ${held} kept), ${where}; ${keys}`;
}
