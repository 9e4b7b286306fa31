/**
 * Fixtures for UI tests: hand-made flows, a fake clock, a fake sync, a recording deleter, and
 * a way to wait for a frame instead of sleeping.
 */
import {EventEmitter} from 'node:events';
import type {Flow, FlowEvent} from '../../source/flow.js';
import {parseIpv4, parseIpv6} from '../../source/model/address.js';
import {FlowTable} from '../../source/model/table.js';
import type {DeleteReport} from '../../source/sync/deleter.js';
import type {SyncStatus} from '../../source/sync/table-sync.js';
import type {TuiDeps, TuiOptions} from '../../source/ui/types.js';

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

function address(text: string) {
	return text.includes(':') ? parseIpv6(text)! : parseIpv4(text)!;
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

const protonums = {tcp: 6, udp: 17, icmp: 1} as const;

/** A flow as the kernel layer would decode it. */
export function makeFlow(spec: FlowSpec): Flow {
	const proto = spec.proto ?? 'tcp';
	const protonum = protonums[proto];
	const icmp = proto === 'icmp';
	const src = address(spec.src);
	const dst = address(spec.dst);
	const sport = icmp ? 0 : (spec.sport ?? 40_000 + spec.id);
	const dport = icmp ? 0 : (spec.dport ?? 443);
	const icmpFields = icmp
		? {icmpType: 8, icmpCode: 0, icmpId: spec.id}
		: {icmpType: -1, icmpCode: -1, icmpId: -1};
	const replySrc = spec.dnat ? address(spec.dnat.address) : dst;
	const replySport = spec.dnat ? spec.dnat.port : dport;
	const replyDst = spec.snat ? address(spec.snat.address) : src;
	const replyDport = spec.snat ? spec.snat.port : sport;
	const bytes = spec.bytes ?? 1000 * spec.id;
	const nat = spec.snat && spec.dnat ? 'both' : spec.snat ? 'snat' : spec.dnat ? 'dnat' : null;
	return {
		id: spec.id,
		family: typeof src === 'number' ? 'ipv4' : 'ipv6',
		protonum,
		proto,
		original: {src, dst, sport, dport, ...icmpFields},
		reply: {
			src: replySrc,
			dst: replyDst,
			sport: icmp ? 0 : replySport,
			dport: icmp ? 0 : replyDport,
			...icmpFields,
		},
		status: (spec.status ?? 0b1110) | (spec.snat ? 1 << 4 : 0) | (spec.dnat ? 1 << 5 : 0),
		state: spec.state === undefined ? (proto === 'tcp' ? 'ESTABLISHED' : null) : spec.state,
		timeout: spec.timeout ?? 300,
		mark: spec.mark ?? 0,
		use: 1,
		zone: spec.zone ?? 0,
		counters: spec.noCounters
			? undefined
			: {
					original: {packets: 10, bytes: Math.floor(bytes / 2)},
					reply: {packets: 8, bytes: Math.ceil(bytes / 2)},
				},
		nat,
	};
}

/** A table holding `flows`, snapshotted at `now`. */
export function tableWith(flows: readonly Flow[], now: number): FlowTable {
	const table = new FlowTable();
	table.applySnapshot(flows, now);
	return table;
}

/** A stand-in for TableSync: emit 'changed', 'status' and 'stats' by hand. */
export class FakeSync extends EventEmitter {
	status: SyncStatus = {resyncs: 0, refreshes: 0, refreshAuto: true, eventsDown: false, skipped: 0};
	readonly resyncs: string[] = [];
	/** What the app last said is on screen (see TableSync.watch). */
	watched: readonly Flow[] = [];
	watch(flows: readonly Flow[]): void {
		this.watched = flows;
	}

	async resync(reason: string): Promise<void> {
		this.resyncs.push(reason);
	}

	setStatus(status: Partial<SyncStatus>): void {
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
		deleter: async (flows) => {
			calls.push([...flows]);
			return answer(flows);
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
