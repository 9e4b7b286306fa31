/**
 * Checks decoded flows (in their JSON form) against `conntrack -L -o extended,id,ktimestamp`
 * of the same table, field by field: the reference both the codec and the client answer to.
 */
import assert from 'node:assert/strict';
import type {FlowJson, TupleJson} from '../../source/flow/json.js';
import type {ListedFlow, ListedTuple} from './conntrack-list.js';

/** A key both sides can build: id plus the original tuple. */
export function flowKey(id: number, tuple: TupleJson | ListedTuple): string {
	return `${id} ${tuple.src} ${tuple.dst} ${tuple.sport ?? tuple.type} ${tuple.dport ?? tuple.id}`;
}

/** conntrack prints kernel start times as local ctime at second resolution. */
export function ctime(ms: number): string {
	const d = new Date(Math.floor(ms / 1000) * 1000);
	const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
	const months = [
		'Jan',
		'Feb',
		'Mar',
		'Apr',
		'May',
		'Jun',
		'Jul',
		'Aug',
		'Sep',
		'Oct',
		'Nov',
		'Dec',
	];
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${days[d.getDay()]} ${months[d.getMonth()]} ${d.getDate()} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} ${d.getFullYear()}`;
}

function assertTupleEqual(ours: TupleJson, theirs: ListedTuple, where: string): void {
	assert.equal(ours.src, theirs.src, `${where} src`);
	assert.equal(ours.dst, theirs.dst, `${where} dst`);
	assert.equal(ours.sport, theirs.sport, `${where} sport`);
	assert.equal(ours.dport, theirs.dport, `${where} dport`);
	assert.equal(ours.type, theirs.type, `${where} icmp type`);
	assert.equal(ours.code, theirs.code, `${where} icmp code`);
	assert.equal(ours.id, theirs.id, `${where} icmp id`);
}

/**
 * Asserts both lists hold the same flows with equal fields. Timeouts may differ by up to
 * `timeoutSlack` seconds (the two reads are not at the same instant). Returns what was seen,
 * for callers that check the variety.
 */
export function assertFlowsMatchList(
	ours: readonly FlowJson[],
	listed: readonly ListedFlow[],
	timeoutSlack = 2,
): {nat: Set<string>; families: Set<string>; protos: Set<string>; states: Set<string>} {
	assert.equal(ours.length, listed.length, 'same number of flows');
	const byKey = new Map(ours.map((flow) => [flowKey(flow.id, flow.original), flow]));
	const seen = {
		nat: new Set<string>(),
		families: new Set<string>(),
		protos: new Set<string>(),
		states: new Set<string>(),
	};
	for (const theirs of listed) {
		const flow = byKey.get(flowKey(theirs.id, theirs.original));
		assert.ok(flow, `conntrack lists ${flowKey(theirs.id, theirs.original)} but we lack it`);
		const where = `flow ${theirs.id} (${theirs.proto})`;
		assert.equal(flow.family, theirs.family, `${where} family`);
		assert.equal(flow.proto, theirs.proto, `${where} proto`);
		assert.equal(flow.protonum, theirs.protonum, `${where} protonum`);
		assert.equal(flow.state, theirs.state, `${where} state`);
		assert.ok(
			Math.abs((flow.timeout ?? -99) - theirs.timeout) <= timeoutSlack,
			`${where} timeout ${flow.timeout} vs ${theirs.timeout}`,
		);
		assertTupleEqual(flow.original, theirs.original, `${where} original`);
		assertTupleEqual(flow.reply, theirs.reply, `${where} reply`);
		assert.equal(
			flow.flags.includes('ASSURED'),
			theirs.flags.includes('ASSURED'),
			`${where} ASSURED`,
		);
		assert.equal(
			!flow.flags.includes('SEEN_REPLY'),
			theirs.flags.includes('UNREPLIED'),
			`${where} UNREPLIED`,
		);
		assert.equal(
			flow.flags.includes('OFFLOAD'),
			theirs.flags.includes('OFFLOAD'),
			`${where} OFFLOAD`,
		);
		assert.equal(flow.mark, theirs.mark, `${where} mark`);
		assert.equal(flow.zone, theirs.zone, `${where} zone`);
		assert.equal(flow.use, theirs.use, `${where} use`);
		if (theirs.original.packets === undefined) {
			assert.equal(flow.counters, null, `${where} counters (accounting off)`);
		} else {
			assert.ok(flow.counters, `${where} counters (accounting is on)`);
			assert.equal(
				flow.counters.original.packets,
				theirs.original.packets,
				`${where} original packets`,
			);
			assert.equal(flow.counters.original.bytes, theirs.original.bytes, `${where} original bytes`);
			assert.equal(flow.counters.reply.packets, theirs.reply.packets, `${where} reply packets`);
			assert.equal(flow.counters.reply.bytes, theirs.reply.bytes, `${where} reply bytes`);
		}

		if (theirs.start === undefined)
			assert.equal(flow.start, null, `${where} start (timestamps off)`);
		else
			assert.equal(
				ctime(Date.parse(flow.start!)),
				theirs.start.replace(/\s+/g, ' '),
				`${where} start`,
			);
		seen.families.add(flow.family);
		seen.protos.add(flow.proto);
		if (flow.state) seen.states.add(flow.state);
		if (flow.nat) seen.nat.add(flow.nat);
	}

	return seen;
}

/** Asserts the populate.ts variety is all there. */
export function assertVariety(seen: ReturnType<typeof assertFlowsMatchList>): void {
	assert.deepEqual([...seen.nat].sort(), ['dnat', 'snat']);
	assert.deepEqual([...seen.families].sort(), ['ipv4', 'ipv6']);
	for (const proto of ['tcp', 'udp', 'icmp', 'icmpv6', 'sctp'])
		assert.ok(seen.protos.has(proto), proto);
	for (const state of ['SYN_SENT', 'ESTABLISHED', 'TIME_WAIT', 'CLOSE_WAIT'])
		assert.ok(seen.states.has(state), state);
}
