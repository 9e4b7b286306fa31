import assert from 'node:assert/strict';
import {EventEmitter} from 'node:events';
import {describe, test} from 'node:test';
import type {Flow, FlowEvent, RereadResult} from '../../source/flow/types.js';
import type {
	DeleteOutcome,
	DumpSummary,
	FlowSource,
	KernelStats,
} from '../../source/flow/source.js';
import {refreshPeriodMs} from '../../source/sync/refresh-period.js';
import {
	TableSync,
	refreshReason,
	type SyncTarget,
	type TableSyncOptions,
} from '../../source/sync/table-sync.js';

function flow(id: number, family: 'ipv4' | 'ipv6' = 'ipv4'): Flow {
	const tuple = {src: 1, dst: 2, sport: id, dport: 80, icmpType: -1, icmpCode: -1, icmpId: -1};
	return {id, family, protonum: 6, proto: 'tcp', original: tuple, reply: tuple, zone: 0};
}

/** A source whose dump waits for `release()`, so a test can emit events mid-dump. */
class FakeSource implements FlowSource {
	dumps = 0;
	flows: Flow[] = [];
	fail: Error | undefined;
	private gate: (() => void) | undefined;
	hold = false;

	async dump(onFlow: (flow: Flow) => void): Promise<DumpSummary> {
		this.dumps++;
		if (this.hold) await new Promise<void>((resolve) => (this.gate = resolve));
		if (this.fail) throw this.fail;
		for (const f of this.flows) onFlow(f);
		return {flows: this.flows.length, errors: [], interrupted: false, unknownAttributes: 0};
	}

	release(): void {
		this.hold = false;
		this.gate?.();
	}

	stats(): Promise<KernelStats> {
		return Promise.resolve({count: this.flows.length, max: 100, counters: {}});
	}

	delete(): Promise<DeleteOutcome> {
		return Promise.resolve({result: 'deleted'});
	}

	/** What `reread` answers, by id; a flow not listed reads as gone. */
	current = new Map<number, RereadResult>();
	rereads: number[][] = [];
	reread(flows: readonly Flow[]): Promise<RereadResult[]> {
		this.rereads.push(flows.map((f) => f.id));
		return Promise.resolve(flows.map((f) => this.current.get(f.id) ?? 'gone'));
	}

	close(): void {}
}

class FakeEvents extends EventEmitter {
	stop(): void {}
}

class RecordingTarget implements SyncTarget {
	calls: string[] = [];
	applySnapshot(flows: Iterable<Flow>): void {
		this.calls.push(`snapshot ${[...flows].map((f) => f.id).join(',')}`);
	}

	applyEvent(event: FlowEvent): void {
		this.calls.push(`${event.type} ${event.flow.id}`);
	}

	applyReread(flows: readonly Flow[], results: readonly RereadResult[]): void {
		const said = results.map((r, i) =>
			typeof r === 'string' ? `${flows[i].id}:${r}` : `${flows[i].id}:${r.id}`,
		);
		this.calls.push(`reread ${said.join(',')}`);
	}
}

function setup(family?: 'ipv4' | 'ipv6', options: Partial<TableSyncOptions> = {}) {
	const source = new FakeSource();
	const events = new FakeEvents();
	const target = new RecordingTarget();
	const sync = new TableSync({
		source,
		events,
		target,
		now: () => 1000,
		resyncIntervalMs: 0,
		statsIntervalMs: 0,
		rereadIntervalMs: 0,
		family,
		...options,
	});
	return {source, events, target, sync};
}

const event = (type: FlowEvent['type'], id: number): FlowEvent => ({
	type,
	flow: flow(id),
	time: 1000,
});
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('table sync', () => {
	test('events that arrive during the dump are applied after its snapshot, in order', async () => {
		const {source, events, target, sync} = setup();
		source.flows = [flow(1), flow(2)];
		source.hold = true;
		const started = sync.start();
		await tick();
		events.emit('event', event('new', 3));
		events.emit('event', event('destroy', 1));
		assert.deepEqual(target.calls, [], 'nothing applied while the dump runs');
		source.release();
		await started;
		assert.deepEqual(target.calls, ['snapshot 1,2', 'new 3', 'destroy 1']);
		events.emit('event', event('update', 2));
		assert.equal(target.calls.at(-1), 'update 2');
	});

	test('a lost-events report re-dumps and the status says when and why', async () => {
		const {source, events, target, sync} = setup();
		source.flows = [flow(1)];
		await sync.start();
		source.flows = [flow(1), flow(5)];
		events.emit('resync', 'the kernel dropped events (receive buffer overflow)');
		await tick();
		await tick();
		assert.equal(source.dumps, 2);
		assert.equal(target.calls.at(-1), 'snapshot 1,5');
		assert.equal(sync.status.resyncs, 1);
		assert.equal(
			sync.status.lastResync?.reason,
			'the kernel dropped events (receive buffer overflow)',
		);
	});

	test('a storm of resync requests during one dump costs one more dump, not one each', async () => {
		const {source, events, sync} = setup();
		await sync.start();
		source.hold = true;
		for (let i = 0; i < 50; i++) events.emit('resync', `lost ${i}`);
		await tick();
		source.release();
		await tick();
		for (let i = 0; i < 5; i++) await tick();
		assert.equal(source.dumps, 3, 'the first dump, the one in flight, and one folded re-dump');
		assert.equal(sync.status.lastResync?.reason, 'lost 49');
	});

	test('a failing re-dump keeps the table, and the status carries the error', async () => {
		const {source, events, target, sync} = setup();
		source.flows = [flow(1)];
		await sync.start();
		source.fail = new Error('socket closed');
		events.emit('resync', 'test');
		await tick();
		await tick();
		assert.deepEqual(target.calls, ['snapshot 1']);
		assert.equal(sync.status.error, 'socket closed');
	});

	test('the first dump failing rejects start, so the CLI can report it', async () => {
		const {source, sync} = setup();
		source.fail = new Error('no permission');
		await assert.rejects(sync.start(), /no permission/);
	});

	test('a family filter keeps only that family from dumps and events', async () => {
		const {source, events, target, sync} = setup('ipv6');
		source.flows = [flow(1), flow(2, 'ipv6')];
		await sync.start();
		events.emit('event', event('new', 3));
		events.emit('event', {type: 'new', flow: flow(4, 'ipv6'), time: 1000});
		assert.deepEqual(target.calls, ['snapshot 2', 'new 4']);
	});

	test('an event socket failure marks events down without clearing the table', async () => {
		const {source, events, target, sync} = setup();
		source.flows = [flow(1)];
		await sync.start();
		events.emit('error', new Error('EPERM'));
		assert.equal(sync.status.eventsDown, true);
		assert.equal(sync.status.error, 'EPERM');
		assert.deepEqual(target.calls, ['snapshot 1']);
	});

	test('after a loss, a queued event for a flow the dump lacks costs one more dump, whose snapshot wins', async () => {
		const {source, events, target, sync} = setup();
		source.flows = [flow(1)];
		await sync.start();
		source.flows = [flow(2)];
		source.hold = true;
		events.emit('resync', 'the kernel dropped events (receive buffer overflow)');
		await tick();
		// A stale NEW for flow 9, read from the socket after the overflow: its DESTROY was lost.
		events.emit('event', event('new', 9));
		source.release();
		for (let i = 0; i < 5; i++) await tick();
		assert.equal(source.dumps, 3, 'the first dump, the re-dump, and the check');
		assert.equal(target.calls.at(-1), 'snapshot 2', 'the stale NEW was not replayed');
	});

	test('a periodic re-read replays the events queued during it without a second dump', async () => {
		const {source, events, target, sync} = setup();
		source.flows = [flow(1)];
		await sync.start();
		source.hold = true;
		const resync = sync.resync('periodic consistency check');
		await tick();
		events.emit('event', event('new', 9));
		source.release();
		await resync;
		assert.equal(source.dumps, 2);
		assert.deepEqual(target.calls.slice(-2), ['snapshot 1', 'new 9']);
	});

	test('a deleted or already-gone flow leaves the table at once, a failed delete does not', async () => {
		const {source, target, sync} = setup();
		source.flows = [flow(1)];
		await sync.start();
		assert.deepEqual(await sync.delete(flow(1)), {result: 'deleted'});
		assert.equal(target.calls.at(-1), 'destroy 1');
		source.delete = () => Promise.resolve({result: 'gone'});
		await sync.delete(flow(2));
		assert.equal(target.calls.at(-1), 'destroy 2');
		source.delete = () => Promise.resolve({result: 'error', reason: 'EPERM'});
		await sync.delete(flow(3));
		assert.equal(target.calls.at(-1), 'destroy 2');
	});

	test('the watched flows are re-read and merged; nothing is re-read while a dump runs', async () => {
		const {source, target, sync} = setup();
		source.flows = [flow(1), flow(2)];
		await sync.start();
		sync.watch([flow(1), flow(2)]);
		source.current.set(1, {...flow(1), timeout: 99});
		await sync.reread();
		assert.deepEqual(source.rereads, [[1, 2]]);
		assert.equal(target.calls.at(-1), 'reread 1:1,2:gone');
		assert.ok(sync.status.lastReread !== undefined);

		source.hold = true;
		const resync = sync.resync('asked for with R');
		await tick();
		await sync.reread();
		assert.equal(source.rereads.length, 1, 'no re-read during the dump');
		source.release();
		await resync;
	});

	test('no re-read within an interval of a dump: the dump brought the rows up to date', async () => {
		let now = 1000;
		const {source, sync} = setup(undefined, {rereadIntervalMs: 1000, now: () => now});
		source.flows = [flow(1)];
		await sync.start();
		sync.watch([flow(1)]);
		source.current.set(1, flow(1));
		now = 1500;
		await sync.reread();
		assert.deepEqual(source.rereads, [], 'half an interval after the dump');
		now = 2000;
		await sync.reread();
		assert.deepEqual(source.rereads, [[1]]);
		sync.stop();
	});

	test('with no watched flows, or a source that cannot re-read, nothing is asked', async () => {
		const {source, sync} = setup();
		await sync.start();
		await sync.reread();
		assert.deepEqual(source.rereads, []);
		const bare = new FakeSource();
		const noReread: FlowSource = {
			dump: bare.dump.bind(bare),
			stats: bare.stats.bind(bare),
			delete: bare.delete.bind(bare),
			close() {},
		};
		const other = new TableSync({
			source: noReread,
			events: null,
			target: new RecordingTarget(),
			now: () => 1000,
			statsIntervalMs: 0,
		});
		await other.start();
		other.watch([flow(1)]);
		await other.reread();
		other.stop();
	});

	test('background refreshes follow the period the cost of the last dump chose, and are counted apart from resyncs', async () => {
		const {source, sync} = setup(undefined, {
			resyncIntervalMs: undefined,
			refreshBudget: {minMs: 20, maxMs: 20},
		});
		source.flows = [flow(1)];
		await sync.start();
		assert.equal(sync.status.refreshAuto, true);
		assert.equal(sync.status.refreshEveryMs, 20, 'never rounded below the lower bound');
		sync.stop();

		const timed = setup(undefined, {resyncIntervalMs: 30});
		timed.source.flows = [flow(1)];
		await timed.sync.start();
		assert.equal(timed.sync.status.refreshAuto, false);
		assert.equal(timed.sync.status.refreshEveryMs, 30);
		// The sync's timers are unref'd (they must not keep conntop alive): hold the loop open.
		const hold = setTimeout(() => undefined, 10_000);
		await new Promise<void>((resolve) => {
			timed.sync.on('status', (status) => {
				if (status.refreshes >= 2) resolve();
			});
		});
		clearTimeout(hold);
		assert.equal(timed.sync.status.resyncs, 0, 'refreshes are not resyncs');
		assert.ok(timed.source.dumps >= 3);
		assert.equal(timed.sync.status.lastResync, undefined);
		timed.sync.stop();
		assert.equal(refreshReason, 'background refresh');
	});
});

describe('refresh period', () => {
	test('a dump costing 3% of the period: 30 ms every second, 450 ms every 15 s', () => {
		assert.equal(refreshPeriodMs(30), 1000);
		assert.equal(refreshPeriodMs(450), 15_000);
	});

	test('stays within its bounds and never below the screen tick', () => {
		assert.equal(refreshPeriodMs(0), 1000);
		assert.equal(refreshPeriodMs(2), 1000);
		assert.equal(refreshPeriodMs(10_000), 333_300);
		assert.equal(refreshPeriodMs(60_000), 900_000);
		assert.equal(refreshPeriodMs(100, {share: 0.01, minMs: 500, maxMs: 5000}), 5000);
		assert.equal(refreshPeriodMs(4, {share: 0.01, minMs: 100}), 400);
	});
});

describe('stats that come with dumps', () => {
	/** A source that reads its stats in the dump's round trip, as the remote one does. */
	class StatsInDumpSource extends FakeSource {
		statsCalls = 0;
		override async dump(onFlow: (flow: Flow) => void): Promise<DumpSummary> {
			const summary = await super.dump(onFlow);
			return {...summary, stats: {count: this.dumps, max: 100, counters: {}}};
		}

		override async stats(): Promise<KernelStats> {
			this.statsCalls++;
			return super.stats();
		}
	}

	test('are emitted once per dump, and the source is not polled for stats as well', async () => {
		const source = new StatsInDumpSource();
		const sync = new TableSync({
			source,
			events: null,
			target: new RecordingTarget(),
			now: () => 1000,
			resyncIntervalMs: 0,
			statsIntervalMs: 1000,
			rereadIntervalMs: 0,
		});
		const seen: number[] = [];
		sync.on('stats', (stats) => seen.push(stats.count));
		try {
			await sync.start();
			await sync.resync('test');
			assert.deepEqual(seen, [1, 2], "each dump's stats, in order");
			assert.equal(source.statsCalls, 0, 'no stats command of its own');
		} finally {
			sync.stop();
		}
	});
});
