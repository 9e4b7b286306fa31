import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {maxLineLength, parseEventLine, parseFlowLine} from '../../source/remote/conntrack-line.js';
import {LineReader} from '../../source/remote/line-reader.js';

const now = 1_800_000_000_000;

// Lines printed by conntrack v1.4.7 (`conntrack -L -o extended,id`, `conntrack -E -o
// extended,id,timestamp`) and by /proc/net/nf_conntrack in a test namespace on Linux 6.x.
const tcp =
	'ipv4     2 tcp      6 431999 ESTABLISHED src=10.99.0.1 dst=10.99.0.2 sport=33718 dport=22 packets=25 bytes=5241 src=10.99.0.2 dst=10.99.0.1 sport=22 dport=33718 packets=25 bytes=5117 [ASSURED] mark=0 delta-time=3 use=1 id=1342066772';
const snat =
	'ipv4     2 tcp      6 49 SYN_SENT src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2 packets=0 bytes=0 src=192.168.1.1 dst=10.0.0.1 sport=2 dport=1 packets=0 bytes=0 mark=2 delta-time=0 use=1 id=1997616683';
const udpZone =
	'ipv4     2 udp      17 99 src=10.0.0.1 dst=10.0.0.2 sport=53 dport=53 packets=0 bytes=0 [UNREPLIED] src=10.0.0.2 dst=10.0.0.1 sport=53 dport=53 packets=0 bytes=0 mark=0 zone=7 delta-time=0 use=1 id=2741440034';
const icmp =
	'ipv4     2 icmp     1 29 src=10.1.1.1 dst=10.1.1.2 type=8 code=0 id=77 [UNREPLIED] src=10.1.1.2 dst=10.1.1.1 type=0 code=0 id=77 mark=0 use=1 id=1580814083';
const procV6 =
	'ipv6     10 icmpv6   58 29 src=2001:0db8:0000:0000:0000:0000:0000:0001 dst=2001:0db8:0000:0000:0000:0000:0000:0002 type=128 code=0 id=5 [UNREPLIED] src=2001:0db8:0000:0000:0000:0000:0000:0002 dst=2001:0db8:0000:0000:0000:0000:0000:0001 type=129 code=0 id=5 mark=0 zone=0 use=2';
const eventNew =
	'[1796168889.184084]\t    [NEW] ipv4     2 tcp      6 100 ESTABLISHED src=10.0.0.1 dst=10.0.0.2 sport=1234 dport=80 [UNREPLIED] src=10.0.0.2 dst=10.0.0.1 sport=80 dport=1234 [ASSURED] mark=0 id=2074741326 [USERSPACE] portid=30459';
const eventDestroy =
	'[1796168889.206268]\t[DESTROY] udp      17 99 src=10.0.0.1 dst=10.0.0.2 sport=53 dport=53 packets=0 bytes=0 [UNREPLIED] src=10.0.0.2 dst=10.0.0.1 sport=53 dport=53 packets=0 bytes=0 zone=7 delta-time=0 id=2741440034 [USERSPACE] portid=2228392823';

describe('parseFlowLine', () => {
	test('reads every field conntrack -L prints for a TCP flow', () => {
		const flow = parseFlowLine(tcp, now)!;
		assert.equal(flow.id, 1_342_066_772);
		assert.equal(flow.family, 'ipv4');
		assert.equal(flow.proto, 'tcp');
		assert.equal(flow.protonum, 6);
		assert.equal(flow.state, 'ESTABLISHED');
		assert.equal(flow.timeout, 431_999);
		assert.equal(flow.original.src, 0x0a_63_00_01);
		assert.equal(flow.original.dport, 22);
		assert.equal(flow.reply.sport, 22);
		assert.deepEqual(flow.counters, {
			original: {packets: 25, bytes: 5241},
			reply: {packets: 25, bytes: 5117},
		});
		assert.equal(flow.mark, 0);
		assert.equal(flow.use, 1);
		assert.equal(flow.zone, 0);
		assert.equal(flow.start, now - 3000);
		assert.equal(flow.nat, null);
		// SEEN_REPLY (no [UNREPLIED]), ASSURED, CONFIRMED.
		assert.equal(flow.status, 0b1110);
	});

	test('derives NAT from the tuples: a reply from another address is DNAT', () => {
		assert.equal(parseFlowLine(snat, now)!.nat, 'dnat');
	});

	test('reads the zone, and UNREPLIED clears SEEN_REPLY', () => {
		const flow = parseFlowLine(udpZone, now)!;
		assert.equal(flow.zone, 7);
		assert.equal(flow.state, null);
		assert.equal((flow.status ?? 0) & 2, 0);
	});

	test('tells the ICMP id inside the tuples from the conntrack id at the end', () => {
		const flow = parseFlowLine(icmp, now)!;
		assert.equal(flow.original.icmpId, 77);
		assert.equal(flow.original.icmpType, 8);
		assert.equal(flow.reply.icmpType, 0);
		assert.equal(flow.id, 1_580_814_083);
	});

	test("gives /proc's use one less (its reader holds a reference while printing), conntrack -L's as printed", () => {
		assert.equal(parseFlowLine(procV6, now, 'proc')!.use, 1);
		assert.equal(parseFlowLine(tcp, now, 'conntrack')!.use, 1);
		assert.equal(parseFlowLine(tcp, now)!.use, 1, 'conntrack -L is the default');
		assert.equal(
			parseFlowLine(procV6.replace('use=2', 'use=0'), now, 'proc'),
			undefined,
			'a /proc line cannot print use=0: refused',
		);
	});

	test('reads /proc lines: full-length IPv6 addresses, no id', () => {
		const flow = parseFlowLine(procV6, now, 'proc')!;
		assert.equal(flow.family, 'ipv6');
		assert.equal(flow.id, 0);
		assert.deepEqual(
			[...(flow.original.src as Uint8Array)],
			[0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
		);
	});

	// Each mutation of a good line must make the whole line unreadable.
	const bad: Array<[string, string]> = [
		['an escape sequence in a value', tcp.replace('mark=0', 'mark=0\u001B[2J')],
		['an escape sequence as its own token', tcp.replace('mark=0', '\u001B]0;pwned\u0007 mark=0')],
		['a C1 control character', tcp.replace('ESTABLISHED', 'ESTAB\u009BLISHED')],
		['a carriage return', `${tcp}\r`],
		['a NUL byte', tcp.replace('use=1', 'use=1\0')],
		['non-ASCII text', tcp.replace('ESTABLISHED', 'ÉSTABLISHED')],
		['shell metacharacters in an address', tcp.replace('src=10.99.0.1', 'src=10.99.0.1;reboot')],
		['command substitution as a token', tcp.replace('mark=0', '$(reboot) mark=0')],
		['backquotes in a state', tcp.replace('ESTABLISHED', '`reboot`')],
		['a port out of range', tcp.replace('sport=33718', 'sport=65536')],
		['a port with a sign', tcp.replace('sport=33718', 'sport=+3')],
		['an over-long number', tcp.replace('bytes=5241', `bytes=${'9'.repeat(30)}`)],
		['an octet over 255', tcp.replace('src=10.99.0.1', 'src=10.99.0.256')],
		['a leading zero in an octet', tcp.replace('src=10.99.0.1', 'src=010.99.0.1')],
		['an IPv6 address in an IPv4 flow', tcp.replace('src=10.99.0.1', 'src=::1')],
		['a protocol name that does not fit its number', tcp.replace('tcp      6', 'udp      6')],
		['a family number that does not fit its name', tcp.replace('ipv4     2', 'ipv4     10')],
		['a state on a UDP flow', udpZone.replace('99 src', '99 ESTABLISHED src')],
		['a missing reply tuple', tcp.slice(0, tcp.indexOf(' src=10.99.0.2'))],
		['counters on one side only', tcp.replace(' packets=25 bytes=5117', '')],
		['a key given twice', tcp.replace('use=1', 'use=1 use=2')],
		['a zone over 65535', udpZone.replace('zone=7', 'zone=65536')],
		['a token that is not key=value or a flag', tcp.replace('mark=0', 'mark=0 rm -rf /')],
		['an over-long state', tcp.replace('ESTABLISHED', 'E'.repeat(40))],
		['a helper with a slash', tcp.replace('use=1', 'helper=../x use=1')],
		['an empty line', ''],
		[
			'a conntrack summary line',
			'conntrack v1.4.7 (conntrack-tools): 3 flow entries have been shown.',
		],
		[
			'a line over the length limit',
			tcp.replace('mark=0', `secctx=${'a'.repeat(maxLineLength)} mark=0`),
		],
	];
	for (const [name, line] of bad) {
		test(`skips a line with ${name}`, () => {
			assert.equal(parseFlowLine(line, now), undefined);
		});
	}

	test('ignores well-formed fields it does not know, and keeps none of their text', () => {
		const flow = parseFlowLine(
			tcp.replace('use=1', 'use=1 secctx=system_u:object_r:x [SOMEFLAG]'),
			now,
		)!;
		assert.equal(flow.id, 1_342_066_772);
		assert.doesNotMatch(JSON.stringify(flow), /system_u|SOMEFLAG/);
	});

	test('every string in a parsed flow is from a fixed table or a narrow pattern', () => {
		for (const line of [tcp, snat, udpZone, icmp, procV6]) {
			const flow = parseFlowLine(line, now)!;
			for (const value of [flow.proto, flow.state ?? '', flow.helper ?? ''])
				assert.match(value, /^[A-Za-z0-9_.-]*$/);
		}
	});
});

describe('parseEventLine', () => {
	test('reads a NEW event with its time stamp, l3 prefix and trailing origin fields', () => {
		const event = parseEventLine(eventNew, now)!;
		assert.equal(event.type, 'new');
		assert.equal(event.flow.id, 2_074_741_326);
		assert.equal(event.flow.timeout, 100);
	});

	test('reads a DESTROY event without the l3 prefix (-o id,timestamp)', () => {
		const event = parseEventLine(eventDestroy, now)!;
		assert.equal(event.type, 'destroy');
		assert.equal(event.flow.family, 'ipv4');
		assert.equal(event.flow.zone, 7);
	});

	test('skips the ENOBUFS warning, unknown event types and escape sequences', () => {
		assert.equal(
			parseEventLine('WARNING: We have hit ENOBUFS! We are losing events.', now),
			undefined,
		);
		assert.equal(parseEventLine(eventNew.replace('[NEW]', '[BOOM]'), now), undefined);
		assert.equal(parseEventLine(eventNew.replace('[NEW]', '[NEW]\u001B[1m'), now), undefined);
		assert.equal(parseEventLine(eventNew.replace('[1796168889.184084]', '[now]'), now), undefined);
	});
});

describe('LineReader', () => {
	test('drops a line of 10 MB without a newline as it streams, and keeps the lines around it', () => {
		const lines: string[] = [];
		let overlong = 0;
		const reader = new LineReader(
			(line) => lines.push(line),
			() => overlong++,
			maxLineLength,
		);
		reader.push(Buffer.from(`${tcp}\n`));
		const megabyte = Buffer.alloc(1 << 20, 'A');
		for (let index = 0; index < 10; index++) reader.push(megabyte);
		reader.push(Buffer.from(`\u001B[2J\n${icmp}\n`));
		reader.end();
		assert.deepEqual(lines, [tcp, icmp]);
		assert.equal(overlong, 1);
	});

	test('joins a line cut across chunks at every byte', () => {
		const text = `${tcp}\n${icmp}\n`;
		for (let cut = 0; cut <= text.length; cut += 7) {
			const lines: string[] = [];
			const reader = new LineReader(
				(line) => lines.push(line),
				() => undefined,
				maxLineLength,
			);
			reader.push(Buffer.from(text.slice(0, cut)));
			reader.push(Buffer.from(text.slice(cut)));
			reader.end();
			assert.deepEqual(lines, [tcp, icmp]);
		}
	});

	test('reads bytes as Latin-1, so invalid UTF-8 reaches the parser as non-ASCII and is refused', () => {
		const lines: string[] = [];
		const reader = new LineReader(
			(line) => lines.push(line),
			() => undefined,
			maxLineLength,
		);
		reader.push(
			Buffer.concat([Buffer.from(tcp.slice(0, 20)), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]),
		);
		assert.equal(lines.length, 1);
		assert.equal(parseFlowLine(lines[0], now), undefined);
	});
});
