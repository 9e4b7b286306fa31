/**
 * The columns a table can show, before any are fitted to a width: each one's title, alignment,
 * the sort keys it shows the arrow for, its preferred width and how far it may flex, and the
 * order they stand in. column-layout.ts chooses which fit and how wide.
 */

/** Every column a flow or group table can show. */
export type ColumnId =
	| 'tag'
	| 'proto'
	| 'src'
	| 'dst'
	| 'nat'
	| 'natKind'
	| 'state'
	| 'ttl'
	| 'bytes'
	| 'rate'
	| 'packets'
	| 'age'
	| 'ctmark'
	| 'zone'
	| 'key'
	| 'count';

/** A column placed on screen: its final width, excluding the one-space separator. */
export interface Column {
	readonly id: ColumnId;
	readonly title: string;
	readonly width: number;
	readonly align: 'left' | 'right';
	/** Sort keys (SortColumn or GroupSortColumn) this column shows the arrow for. */
	readonly sorts: readonly string[];
	/** A title for some of those sort keys, saying which part of the cell is sorted. */
	readonly sortTitles?: Readonly<Record<string, string>>;
}

/** A column before it is placed: its fixed or preferred width, and how far it may flex. */
export interface Spec {
	readonly id: ColumnId;
	readonly title: string;
	readonly align: 'left' | 'right';
	readonly sorts: readonly string[];
	readonly sortTitles?: Readonly<Record<string, string>>;
	/** Fixed width, or the width a flexible column asks for before it grows or shrinks. */
	readonly pref: number;
	/** Flexible columns only: how far they shrink and grow. */
	readonly min?: number;
	readonly max?: number;
}

/** The widest IPv4 endpoint, `255.255.255.255:65535`: an address column never goes below it. */
export const ipv4EndpointWidth = 21;

/** The widest IPv6 endpoint, `[ffff:…:ffff]:65535` with all eight groups written out. */
export const ipv6EndpointWidth = 47;

/** Every column's spec, by id. */
export const specs: Readonly<Record<ColumnId, Spec>> = {
	tag: {id: 'tag', title: '', align: 'left', sorts: [], pref: 2},
	proto: {id: 'proto', title: 'Proto', align: 'left', sorts: ['proto'], pref: 5},
	src: {
		id: 'src',
		title: 'Source',
		align: 'left',
		sorts: ['src', 'sport'],
		sortTitles: {sport: 'Source:port'},
		pref: ipv4EndpointWidth,
		max: ipv6EndpointWidth,
	},
	dst: {
		id: 'dst',
		title: 'Destination',
		align: 'left',
		sorts: ['dst', 'dport'],
		sortTitles: {dport: 'Destination:port'},
		pref: ipv4EndpointWidth,
		max: ipv6EndpointWidth,
	},
	nat: {
		id: 'nat',
		title: 'NAT',
		align: 'left',
		sorts: ['nat'],
		pref: ipv4EndpointWidth + 2,
		max: ipv6EndpointWidth + 2,
	},
	natKind: {id: 'natKind', title: 'N', align: 'left', sorts: ['nat'], pref: 1},
	state: {id: 'state', title: 'State', align: 'left', sorts: ['state'], pref: 11},
	ttl: {id: 'ttl', title: 'TTL', align: 'right', sorts: ['ttl'], pref: 10},
	bytes: {id: 'bytes', title: 'Bytes', align: 'right', sorts: ['bytes'], pref: 6},
	rate: {id: 'rate', title: 'Rate', align: 'right', sorts: ['rate'], pref: 8},
	packets: {id: 'packets', title: 'Pkts', align: 'right', sorts: ['packets'], pref: 6},
	age: {id: 'age', title: 'Age', align: 'right', sorts: ['age'], pref: 10},
	ctmark: {id: 'ctmark', title: 'Mark', align: 'right', sorts: ['mark'], pref: 10},
	zone: {id: 'zone', title: 'Zone', align: 'right', sorts: ['zone'], pref: 5},
	key: {id: 'key', title: 'Group', align: 'left', sorts: ['key'], pref: 24, min: 12, max: 47},
	count: {id: 'count', title: 'Flows', align: 'right', sorts: ['count'], pref: 7},
};

/** The flow table's columns, left to right, when all of them fit. */
export const flowDisplayOrder: readonly ColumnId[] = [
	'tag',
	'proto',
	'src',
	'dst',
	'nat',
	'natKind',
	'state',
	'ttl',
	'bytes',
	'rate',
	'packets',
	'age',
	'ctmark',
	'zone',
];

/** The group table's columns, left to right. */
export const groupDisplayOrder: readonly ColumnId[] = ['key', 'count', 'bytes', 'rate', 'packets'];
