/**
 * Fixtures for UI tests: hand-made flows, a fake clock, a fake sync, a recording deleter, and
 * a way to wait for a frame instead of sleeping.
 */
import {EventEmitter} from 'node:events';
import type {Flow, FlowEvent} from '../../source/flow/types.js';
import {FlowTable} from '../../source/model/table.js';
import type {DeleteReport, SyncState, TuiDeps, TuiOptions} from '../../source/ui/types.js';
import {makeFlow as buildFlow} from './synthetic-flows.js';

/** The start of every fake clock: 2026-01-01T00:00:00Z. */
export const epoch = Date.UTC(2026, 0, 1);

/** A clock that moves only when told. */
export class FakeClock {
	constructor(public time = epoch) {}
	readonly now = (): number => this.time;
	advance(ms: number): void {
		this.time += ms;
	}
}

/** What a test flow is made from; everything but the endpoints has a default. */
export interface FlowSpec {
	readonly id: number;
	readonly proto?: 'tcp' | 'udp' | 'icmp';
	readonly src: string;
	readonly dst: string;
	readonly sport?: number;
	readonly dport?: number;
	readonly state?: string | null;
	readonly timeout?: number;
	/** IPS_* bits; default SEEN_REPLY|ASSURED|CONFIRMED. */
	readonly status?: number;
	/** SNAT: the address and port the reply goes to. */
	readonly snat?: {readonly address: string; readonly port: number};
	/** DNAT: the address and port the reply comes from. */
	readonly dnat?: {readonly address: string; readonly port: number};
	readonly bytes?: number;
	/** No counters (accounting off). */
	readonly noCounters?: boolean;
	readonly mark?: number;
	readonly zone?: number;
}

/**
 * A flow as the kernel layer would decode it, for screens: the one builder of
 * synthetic-flows.ts with the defaults UI tests read on screen (source port 40000 + id,
 * 1000 bytes per id split over both directions, a 300 s timeout, NAT from `snat`/`dnat`).
 */
export function makeFlow(spec: FlowSpec): Flow {
	const icmp = spec.proto === 'icmp';
	// For ICMP the builder takes the echo id where ports would be.
	const sport = icmp ? spec.id : (spec.sport ?? 40_000 + spec.id);
	const dport = icmp ? spec.id : (spec.dport ?? 443);
	const bytes = spec.bytes ?? 1000 * spec.id;
	return buildFlow({
		id: spec.id,
		proto: spec.proto,
		src: spec.src,
		dst: spec.dst,
		sport,
		dport,
		replySrc: spec.dnat?.address,
		replySport: spec.dnat?.port,
		replyDst: spec.snat?.address,
		replyDport: spec.snat?.port,
		state: spec.state,
		status: (spec.status ?? 0b1110) | (spec.snat ? 1 << 4 : 0) | (spec.dnat ? 1 << 5 : 0),
		timeout: spec.timeout ?? 300,
		mark: spec.mark,
		zone: spec.zone,
		packets: spec.noCounters ? undefined : [10, 8],
		bytes: spec.noCounters ? undefined : [Math.floor(bytes / 2), Math.ceil(bytes / 2)],
		nat: spec.snat && spec.dnat ? 'both' : spec.snat ? 'snat' : spec.dnat ? 'dnat' : null,
	});
}

/** A table holding `flows`, snapshotted at `now`. */
export function tableWith(flows: readonly Flow[], now: number): FlowTable {
	const table = new FlowTable();
	table.applySnapshot(flows, now);
	return table;
}

/** A stand-in for TableSync: emit 'changed', 'status' and 'stats' by hand. */
export class FakeSync extends EventEmitter {
	status: SyncState = {resyncs: 0, refreshAuto: true, eventsDown: false, skipped: 0};
	readonly resyncs: string[] = [];
	/** What the app last said is on screen (see TableSync.watch). */
	watched: readonly Flow[] = [];
	watch(flows: readonly Flow[]): void {
		this.watched = flows;
	}

	resync(reason: string): Promise<void> {
		this.resyncs.push(reason);
		return Promise.resolve();
	}

	setStatus(status: Partial<SyncState>): void {
		this.status = {...this.status, ...status};
		this.emit('status', this.status);
	}
}

/** An event feed for the event pane. */
export class FakeEvents extends EventEmitter {
	send(event: FlowEvent): void {
		this.emit('event', event);
	}
}

/** A deleter that records what it was asked to delete and answers with `answer`. */
export function recordingDeleter(
	answer: (flows: readonly Flow[]) => DeleteReport = (flows) => ({
		deleted: flows.length,
		gone: 0,
		failed: [],
	}),
): {calls: Flow[][]; deleter: TuiDeps['deleter']} {
	const calls: Flow[][] = [];
	return {
		calls,
		deleter: (flows) => {
			calls.push([...flows]);
			return Promise.resolve(answer(flows));
		},
	};
}

/** Options as the CLI passes them by default, with overrides. */
export function tuiOptions(overrides: Partial<TuiOptions> = {}): TuiOptions {
	return {
		sort: 'src',
		reverse: false,
		readOnly: false,
		color: true,
		dns: false,
		intervalMs: 20,
		hostname: 'router1',
		canDelete: true,
		...overrides,
	};
}

/**
 * Polls `read` until `accept` holds, every 5 ms, for at most `timeoutMs`; returns the last
 * value read, or throws with it.
 */
export async function waitFor<T>(
	read: () => T,
	accept: (value: T) => boolean,
	timeoutMs = 2000,
	what = 'condition',
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let value = read();
	while (!accept(value)) {
		if (Date.now() > deadline) {
			throw new Error(`timed out waiting for ${what}; last value:\n${String(value)}`);
		}

		await new Promise((resolve) => setTimeout(resolve, 5));
		value = read();
	}

	return value;
}
