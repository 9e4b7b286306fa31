/**
 * Parses `conntrack -L -o extended,id,ktimestamp` lines into records of strings, the reference
 * the kernel client and the CLI are checked against.
 */

/** One tuple as conntrack prints it. */
export interface ListedTuple {
	src: string;
	dst: string;
	sport?: number;
	dport?: number;
	type?: number;
	code?: number;
	id?: number;
	zone?: number;
	packets?: number;
	bytes?: number;
}

/** One line of `conntrack -L -o extended,id,ktimestamp`. */
export interface ListedFlow {
	family: string;
	proto: string;
	protonum: number;
	timeout: number;
	state: string | null;
	original: ListedTuple;
	reply: ListedTuple;
	flags: string[];
	mark: number;
	zone: number;
	use: number;
	id: number;
	start?: string;
	helper?: string;
}

/** Parses the whole output; lines it does not recognise throw, so a format change is noticed. */
export function parseConntrackList(text: string): ListedFlow[] {
	return text
		.split('\n')
		.filter((line) => /^ipv[46]\s/.test(line))
		.map(parseLine);
}

function parseLine(line: string): ListedFlow {
	const start = /\[start=([^\]]+)\]/.exec(line)?.[1];
	const cleaned = line.replace(/\[start=[^\]]+\]/, '').replace(/\[stop=[^\]]+\]/, '');
	const words = cleaned.trim().split(/\s+/);
	const [family, , proto, protonum, timeout] = words;
	let i = 5;
	let state: string | null = null;
	if (!words[i].includes('=') && !words[i].startsWith('[')) state = words[i++];
	const tuples: ListedTuple[] = [];
	const flags: string[] = [];
	const meta: Record<string, number> = {};
	let current: ListedTuple | undefined;
	let helper: string | undefined;
	for (; i < words.length; i++) {
		const word = words[i];
		if (word.startsWith('[')) {
			flags.push(word.slice(1, -1));
			continue;
		}

		const eq = word.indexOf('=');
		if (eq < 0) throw new Error(`unparsed word ${word} in: ${line}`);
		const key = word.slice(0, eq);
		const value = word.slice(eq + 1);
		if (key === 'src') {
			current = {src: value, dst: ''};
			tuples.push(current);
		} else if (key === 'dst' && current) current.dst = value;
		else if (['sport', 'dport', 'type', 'code', 'packets', 'bytes'].includes(key) && current) {
			current[key as 'sport'] = Number(value);
		} else if (key === 'id' && current && tuples.length <= 2 && !('mark' in meta)) {
			current.id = Number(value);
		} else if (key === 'helper') {
			helper = value;
		} else if (key === 'zone' && current && !('mark' in meta)) {
			current.zone = Number(value);
		} else {
			meta[key] = Number(value);
		}
	}

	if (tuples.length !== 2) throw new Error(`expected two tuples in: ${line}`);
	return {
		family,
		proto,
		protonum: Number(protonum),
		timeout: Number(timeout),
		state,
		original: tuples[0],
		reply: tuples[1],
		flags,
		mark: meta.mark ?? 0,
		zone: meta.zone ?? 0,
		use: meta.use ?? 0,
		id: meta.id,
		start,
		helper,
	};
}
