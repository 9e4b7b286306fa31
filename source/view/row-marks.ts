/**
 * The marks and styles a flow row can carry, written once: the row renderer draws from these
 * tables and the help screen's legend is made from them, so the two cannot disagree.
 */
import type {NatKind} from '../flow/types.js';

/** A character a row can show, and what it tells the reader. */
export interface RowMark {
	readonly text: string;
	readonly meaning: string;
}

/** Marks in the two-character mark column: the first says tagged, the second how the flow is. */
export const flowMarks = {
	tagged: {text: '*', meaning: 'tagged for deletion'},
	new: {text: '+', meaning: 'new in the last seconds (bold row)'},
	closed: {text: '-', meaning: 'closed or deleted, about to leave (dim row)'},
	offloaded: {text: 'o', meaning: 'offloaded: its counters stop while it is'},
} as const satisfies Record<string, RowMark>;

/**
 * NAT kinds as one letter: alone in the narrow `N` column, before the translated endpoint in
 * the `NAT` column.
 */
export const natMarks = {
	snat: {text: 'S', meaning: 'source NAT: NAT shows the address the server sees'},
	dnat: {text: 'D', meaning: 'destination NAT: NAT shows the real server'},
	both: {text: 'B', meaning: 'both: NAT shows the real server'},
} as const satisfies Record<Exclude<NatKind, null>, RowMark>;

/** Marks inside cells. */
export const cellMarks = {
	shortened: {text: '…', meaning: 'shortened to fit (never an IPv4 address)'},
	noCounters: {text: '-', meaning: 'in Bytes, Rate, Pkts: no counters (accounting is off)'},
} as const satisfies Record<string, RowMark>;

/** An Ink colour name. */
export type Tone = 'green' | 'yellow' | 'gray' | 'magenta' | 'red' | 'cyan' | undefined;

/** The colour each state label is drawn in, grouped by what the colour means. */
export const stateTones: ReadonlyArray<{
	readonly tone: Exclude<Tone, undefined>;
	readonly meaning: string;
	readonly states: readonly string[];
}> = [
	{tone: 'green', meaning: 'established', states: ['ESTABLISHED', 'ASSURED', 'OPEN']},
	{
		tone: 'yellow',
		meaning: 'handshake',
		states: [
			'SYN_SENT',
			'SYN_RECV',
			'SYN_SENT2',
			'COOKIE_WAIT',
			'COOKIE_ECHOED',
			'REQUEST',
			'RESPOND',
		],
	},
	{
		tone: 'gray',
		meaning: 'closing',
		states: ['TIME_WAIT', 'CLOSE', 'CLOSE_WAIT', 'FIN_WAIT', 'LAST_ACK', 'CLOSED', 'TIMEWAIT'],
	},
	{tone: 'magenta', meaning: 'no reply yet', states: ['UNREPLIED']},
];

/**
 * State names as a narrow State column shows them (six columns, as `ss` shortens them); names
 * of six or fewer characters stay as they are.
 */
export const shortStates: Readonly<Record<string, string>> = {
	ESTABLISHED: 'ESTAB',
	SYN_SENT: 'SYN_S',
	SYN_RECV: 'SYN_R',
	SYN_SENT2: 'SYN_S2',
	FIN_WAIT: 'FIN_W',
	CLOSE_WAIT: 'CLS_W',
	LAST_ACK: 'LAST_A',
	TIME_WAIT: 'TIME_W',
	UNREPLIED: 'UNREP',
	ASSURED: 'ASSUR',
	REPLIED: 'REPLD',
	COOKIE_WAIT: 'CK_W',
	COOKIE_ECHOED: 'CK_ECH',
	SHUTDOWN_SENT: 'SD_S',
	SHUTDOWN_RECD: 'SD_R',
	SHUTDOWN_ACK_SENT: 'SD_AS',
	HEARTBEAT_SENT: 'HB_S',
	HEARTBEAT_ACKED: 'HB_A',
	PARTOPEN: 'PARTOP',
	CLOSEREQ: 'CLSREQ',
	TIMEWAIT: 'TIMEW',
	REQUEST: 'REQ',
	RESPOND: 'RESP',
	INVALID: 'INVAL',
};

/** One legend line: the mark as drawn, then its meaning. */
export interface LegendEntry {
	readonly mark: string;
	readonly meaning: string;
}

/**
 * The help screen's legend: every mark above, the row styles, and the state colours, in the
 * order a row is read (mark column, NAT, cells, colours).
 */
export function rowLegend(): LegendEntry[] {
	const entries: LegendEntry[] = [];
	for (const mark of [...Object.values(flowMarks), ...Object.values(natMarks)]) {
		entries.push({mark: mark.text, meaning: mark.meaning});
	}

	for (const mark of Object.values(cellMarks))
		entries.push({mark: mark.text, meaning: mark.meaning});
	entries.push({
		mark: `${shortStates.ESTABLISHED}, ${shortStates.TIME_WAIT}`,
		meaning: 'state names shortened on a narrow screen',
	});
	entries.push({mark: 'inverse', meaning: 'the cursor'});
	for (const {tone, meaning} of stateTones)
		entries.push({mark: tone, meaning: `state: ${meaning}`});
	return entries;
}
