import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {headerHeight, headerLines, type HeaderInfo, type Segment} from '../../source/ui/header.js';
import type {TroubleFigure} from '../../source/ui/kernel-rates.js';
import {epoch, FakeSync} from '../helpers/ui-flows.js';

/** A quiet header: 1,348 live flows, nothing wrong, settings not read yet. */
function info(overrides: Partial<HeaderInfo> = {}): HeaderInfo {
	return {
		hostname: 'router1',
		matched: 1348,
		total: 1348,
		closed: 0,
		count: 1348,
		max: 262_144,
		byProtocol: {tcp: 1276, udp: 72},
		eventsPerSecond: 12,
		sort: 'src',
		reverse: false,
		paused: false,
		tagged: 0,
		sync: new FakeSync().status,
		now: epoch,
		offloaded: 0,
		...overrides,
	};
}

function text(line: readonly Segment[]): string {
	return line.map((segment) => segment.text).join('');
}

function lines(header: HeaderInfo, width = 120): string[] {
	return headerLines(header, width).map((line) => text(line));
}

/** Every trouble counter at 0 except those given. */
function figures(...risen: Array<Partial<TroubleFigure> & Pick<TroubleFigure, 'name'>>) {
	return (['insert_failed', 'drop', 'early_drop', 'invalid'] as const).map(
		(name): TroubleFigure => ({
			name,
			sinceStart: 0,
			perSecond: 0,
			burst: false,
			...risen.find((figure) => figure.name === name),
		}),
	);
}

function segmentWith(line: readonly Segment[], needle: string): Segment | undefined {
	return line.find((segment) => segment.text.includes(needle));
}

describe('headerLines', () => {
	test('always returns headerHeight lines', () => {
		assert.equal(headerLines(info(), 80).length, headerHeight);
		assert.equal(headerLines(info({trouble: figures()}), 60).length, headerHeight);
	});

	test('matches and flows count the same rows: closed flows are in both, and said apart', () => {
		const [first] = lines(info({matched: 1505, total: 1348, closed: 157}));
		assert.match(first, /flows 1,505\/1,505 {2}\[/);
		assert.match(first, /157 closed$/);
		const [filtered] = lines(info({matched: 12, total: 1348, closed: 157, filter: 'dport:53'}));
		assert.match(filtered, /flows 12\/1,505/);
	});

	test('no closed flows: no closed count', () => {
		const [first] = lines(info());
		assert.match(first, /^conntop {2}router1 {2}flows 1,348\/1,348 {2}\[/);
		assert.doesNotMatch(first, /closed/);
	});

	test('accounting off in the namespace is a warning with the sysctl that turns it on, once', () => {
		const warning = lines(info({accounting: false, timestamps: true}))[3];
		assert.equal(warning, 'accounting off: sysctl -w net.netfilter.nf_conntrack_acct=1');
	});

	test('timestamps off in the namespace is a warning with its sysctl, once', () => {
		const warning = lines(info({accounting: true, timestamps: false}))[3];
		assert.equal(warning, 'timestamps off: sysctl -w net.netfilter.nf_conntrack_timestamp=1');
	});

	test('both off: both warnings when the width allows, accounting first', () => {
		const warning = lines(info({accounting: false, timestamps: false}), 160)[3];
		assert.equal(
			warning,
			'accounting off: sysctl -w net.netfilter.nf_conntrack_acct=1  ' +
				'timestamps off: sysctl -w net.netfilter.nf_conntrack_timestamp=1',
		);
		assert.equal(warning.split('accounting off').length, 2);
		const narrow = lines(info({accounting: false, timestamps: false}), 80)[3];
		assert.equal(narrow, 'accounting off: sysctl -w net.netfilter.nf_conntrack_acct=1');
	});

	test('settings on or not read yet: no warning, the freshness note instead', () => {
		for (const settings of [{accounting: true, timestamps: true}, {}]) {
			const warning = lines(
				info({...settings, sync: {...new FakeSync().status, lastDump: epoch}}),
			)[3];
			assert.equal(warning, 'counters 0s old, background re-read off, following events');
		}
	});

	test('trouble counters all still: one quiet note, before the protocols', () => {
		const [, second] = headerLines(info({trouble: figures()}), 120);
		assert.match(text(second), /^events\/s 12 +no drops or invalid since start {2}tcp 1,276/);
		assert.equal(segmentWith(second, 'no drops')?.dim, true);
	});

	test('a rising counter shows its total since start and its rate, in red', () => {
		const trouble = figures({name: 'invalid', sinceStart: 60, perSecond: 10, burst: true});
		const [, second] = headerLines(info({trouble}), 120);
		assert.match(text(second), /since start: invalid 60 \+10\/s {2}tcp/);
		const invalid = segmentWith(second, 'invalid');
		assert.equal(invalid?.color, 'red');
		assert.equal(invalid?.bold, true);
	});

	test('after the burst the total stays, in yellow, without a rate', () => {
		const trouble = figures({name: 'invalid', sinceStart: 60, perSecond: 0, burst: false});
		const [, second] = headerLines(info({trouble}), 120);
		assert.match(text(second), /since start: invalid 60 {2}tcp/);
		assert.equal(segmentWith(second, 'invalid')?.color, 'yellow');
		assert.equal(segmentWith(second, 'invalid')?.bold, false);
	});

	test('several counters that rose show in the fixed order', () => {
		const trouble = figures(
			{name: 'invalid', sinceStart: 3},
			{name: 'insert_failed', sinceStart: 1_200, perSecond: 0.5, burst: true},
		);
		const [, second] = lines(info({trouble}), 160);
		assert.match(second, /since start: insert_failed 1,200 \+0\.5\/s invalid 3 {2}tcp/);
	});

	test('at 80 columns the protocol counts keep their order and place as numbers change width', () => {
		const places = new Set<number>();
		for (const eventsPerSecond of [0, 2.5, 12, 1234, 56_789]) {
			for (const [tcp, udp] of [
				[1276, 562],
				[3, 40_000],
				[99_999, 0],
			]) {
				const [, second] = lines(
					info({eventsPerSecond, byProtocol: {udp, tcp}, trouble: figures()}),
					80,
				);
				assert.match(second, /tcp [\d,]+ {2}udp [\d,]+$/, second);
				places.add(second.indexOf('tcp'));
			}
		}

		assert.equal(places.size, 1, `tcp started at columns ${[...places].join(', ')}`);
	});

	test('tcp and udp show even at 0; other protocols follow in a fixed order', () => {
		const [, second] = lines(info({byProtocol: {gre: 1, icmp: 4, esp: 2}}), 200);
		assert.match(second, /tcp 0 {2}udp 0 {2}icmp 4 {2}gre 1 {2}esp 2$/);
	});

	test('an item that does not fit ends the line: a narrower one after it does not take its place', () => {
		const header = info({byProtocol: {tcp: 1_234_567, udp: 5}, trouble: figures()});
		const full = lines(header, 200)[1];
		const width = full.indexOf('  udp');
		const cut = lines(header, width - 1)[1];
		assert.doesNotMatch(cut, /tcp|udp/);
		assert.match(lines(header, width)[1], /tcp 1,234,567$/);
	});

	test('a namespace name follows the host', () => {
		assert.match(lines(info({netns: 'pod-a'}))[0], /^conntop {2}router1 \[netns pod-a\] {2}flows/);
	});

	test('a grouped view counts groups and flows', () => {
		assert.match(lines(info({groups: 7, matched: 1348}))[0], /groups 7 of 1,348 flows/);
	});

	test('the freshness note says how old the counters are and how often they refresh', () => {
		const sync = {
			...new FakeSync().status,
			lastDump: epoch - 4000,
			refreshEveryMs: 12_000,
			lastReread: epoch - 500,
		};
		assert.equal(
			lines(info({sync}))[3],
			'counters 4s old, refreshed every 12s, rows on screen live, following events',
		);
		assert.match(lines(info({sync: {...sync, refreshAuto: false}}))[3], /every 12s \(--resync\)/);
		assert.match(
			lines(info({sync: {...sync, refreshEveryMs: undefined, lastReread: undefined}}))[3],
			/^counters 4s old, background re-read off, following events$/,
		);
	});

	test('a minute of churn and fill as sparklines: one scale for new and closed, fill against the limit', () => {
		const seconds = 60;
		const opened = Array.from({length: seconds}, (_, i) => (i < 56 ? 0 : 40));
		const closed = Array.from({length: seconds}, () => 10);
		const flows = Array.from({length: seconds}, () => 131_072);
		const [first, second] = headerLines(
			info({bytesPerSecond: 1_500_000, history: {flows, opened, closed}}),
			200,
		);
		const line = text(second);
		assert.match(line, /1\.5MB\/s/);
		assert.match(line, /new ▁{14}█ closed ▃{15}/, line);
		// Half the limit draws a middle block, not a full one.
		assert.match(text(first), / ▅{15}$|▄{15}$/, text(first));
	});
});
