/**
 * Makes media/screenshot.svg and media/detail.svg from real frames: the built conntop runs in
 * tmux on a namespace with real entries and live traffic, `tmux capture-pane -e` takes the
 * screen with its colours, and the SGR escapes become SVG text spans.
 *   npm run build && node --import tsx test/helpers/make-screenshot.ts
 */
import type {ChildProcess} from 'node:child_process';
import {writeFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {TestNamespace} from './netns.js';
import {populateVariety} from './populate.js';
import {Tmux} from './tmux.js';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const traffic = fileURLToPath(new URL('steady-traffic.mts', import.meta.url));
const output = fileURLToPath(new URL('../../media/screenshot.svg', import.meta.url));
const detailOutput = fileURLToPath(new URL('../../media/detail.svg', import.meta.url));
const width = 110;
const height = 30;

const palette = [
	'#1d1f21',
	'#cc6666',
	'#b5bd68',
	'#f0c674',
	'#81a2be',
	'#b294bb',
	'#8abeb7',
	'#c5c8c6',
];
const bright = [
	'#666666',
	'#d54e53',
	'#b9ca4a',
	'#e7c547',
	'#7aa6da',
	'#c397d8',
	'#70c0b1',
	'#eaeaea',
];

interface Style {
	fg?: string;
	bg?: string;
	bold?: boolean;
	dim?: boolean;
	inverse?: boolean;
}

function color256(n: number): string {
	if (n < 8) return palette[n];
	if (n < 16) return bright[n - 8];
	if (n >= 232) {
		const v = 8 + (n - 232) * 10;
		return `rgb(${v},${v},${v})`;
	}

	const i = n - 16;
	const scale = (x: number) => (x === 0 ? 0 : 55 + x * 40);
	return `rgb(${scale(Math.floor(i / 36))},${scale(Math.floor(i / 6) % 6)},${scale(i % 6)})`;
}

function applySgr(style: Style, params: number[]): Style {
	const next = {...style};
	for (let i = 0; i < params.length; i++) {
		const p = params[i];
		if (p === 0)
			Object.assign(next, {fg: undefined, bg: undefined, bold: false, dim: false, inverse: false});
		else if (p === 1) next.bold = true;
		else if (p === 2) next.dim = true;
		else if (p === 22) next.bold = next.dim = false;
		else if (p === 7) next.inverse = true;
		else if (p === 27) next.inverse = false;
		else if (p >= 30 && p <= 37) next.fg = palette[p - 30];
		else if (p >= 90 && p <= 97) next.fg = bright[p - 90];
		else if (p === 39) next.fg = undefined;
		else if (p >= 40 && p <= 47) next.bg = palette[p - 40];
		else if (p >= 100 && p <= 107) next.bg = bright[p - 100];
		else if (p === 49) next.bg = undefined;
		else if ((p === 38 || p === 48) && params[i + 1] === 5) {
			const c = color256(params[i + 2]);
			if (p === 38) next.fg = c;
			else next.bg = c;
			i += 2;
		} else if ((p === 38 || p === 48) && params[i + 1] === 2) {
			const c = `rgb(${params[i + 2]},${params[i + 3]},${params[i + 4]})`;
			if (p === 38) next.fg = c;
			else next.bg = c;
			i += 4;
		}
	}

	return next;
}

function escapeXml(text: string): string {
	return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** Turns captured lines with SGR escapes into an SVG of a terminal. */
export function ansiToSvg(lines: readonly string[], columns: number): string {
	const cell = {w: 8.4, h: 17};
	const body: string[] = [];
	lines.forEach((line, row) => {
		let style: Style = {};
		let col = 0;
		// eslint-disable-next-line no-control-regex -- SGR escapes, which start with ESC, and the text between
		const pattern = /\u001B\[([\d;]*)m|([^\u001B]+)/g;
		for (const match of line.matchAll(pattern)) {
			if (match[1] !== undefined) {
				style = applySgr(style, match[1] === '' ? [0] : match[1].split(';').map(Number));
				continue;
			}

			const text = match[2];
			const fg = (style.inverse ? (style.bg ?? palette[0]) : style.fg) ?? '#c5c8c6';
			const bg = style.inverse ? (style.fg ?? '#c5c8c6') : style.bg;
			const x = 10 + col * cell.w;
			const y = 10 + row * cell.h;
			const length = [...text].length;
			if (bg)
				body.push(
					`<rect x="${x}" y="${y}" width="${length * cell.w}" height="${cell.h}" fill="${bg}"/>`,
				);
			const weight = style.bold ? ' font-weight="bold"' : '';
			const opacity = style.dim ? ' opacity="0.6"' : '';
			body.push(
				`<text x="${x}" y="${y + 13}" fill="${fg}"${weight}${opacity} textLength="${length * cell.w}" lengthAdjust="spacingAndGlyphs">${escapeXml(text)}</text>`,
			);
			col += length;
		}
	});
	const svgWidth = Math.ceil(20 + columns * cell.w);
	const svgHeight = Math.ceil(20 + lines.length * cell.h);
	return [
		`<svg xmlns="http://www.w3.org/2000/svg" width="${svgWidth}" height="${svgHeight}" font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="14" xml:space="preserve">`,
		`<rect width="100%" height="100%" fill="${palette[0]}" rx="6"/>`,
		...body,
		'</svg>',
		'',
	].join('\n');
}

/** The pane's screen with its colours, as lines. */
function capture(tmux: Tmux): string[] {
	return tmux.screenWithEscapes().replace(/\n$/, '').split('\n');
}

/**
 * Two frames of a table with live traffic: a namespace with the populated variety plus two
 * steady TCP transfers and UDP streams to a peer namespace over a veth pair (so bytes, rates
 * and sparklines on the picture are real and moving), sorted by rate; then the detail view of
 * the busiest flow after a minute's half of history.
 */
async function main(): Promise<void> {
	const ns = TestNamespace.create('shot');
	const peer = TestNamespace.create('shotpeer');
	let tmux: Tmux | undefined;
	const children: ChildProcess[] = [];
	try {
		ns.vethTo(peer);
		populateVariety(ns);
		children.push(
			peer.spawn(process.execPath, ['--import', 'tsx', traffic, 'server', '10.77.0.2', '90'], {
				stdio: 'ignore',
			}),
		);
		for (const rate of ['900', '150']) {
			children.push(
				ns.spawn(
					process.execPath,
					['--import', 'tsx', traffic, 'client', '10.77.0.2', '80', rate],
					{stdio: 'ignore'},
				),
			);
		}

		tmux = Tmux.start({
			command: `env -u CI TERM=xterm-256color ${process.execPath} ${cli} --netns ${ns.name} -s rate -r`,
			width,
			height,
		});
		await tmux.waitForScreen((text) => text.includes('10.77.0.2:5001'), 'the traffic', 60_000);
		tmux.keys('c');
		// Half a minute of history for the sparklines, then the frame.
		const since = Date.now();
		await tmux.waitForScreen(
			(text) => Date.now() - since > 30_000 && text.includes('Rate'),
			'half a minute of history with counters',
			60_000,
		);
		writeFileSync(output, ansiToSvg(capture(tmux), width));
		console.log(`wrote ${output} from a ${width}x${height} frame`);

		// The busiest flow is first: its details, with the byte-rate sparklines.
		tmux.keys('Enter');
		await tmux.waitForScreen(
			(text) => text.includes('Sent/s') && text.includes('peak'),
			'the detail view',
			60_000,
		);
		writeFileSync(detailOutput, ansiToSvg(capture(tmux), width));
		console.log(`wrote ${detailOutput}`);
	} finally {
		tmux?.kill();
		for (const child of children) child.kill('SIGKILL');
		ns.remove();
		peer.remove();
	}
}

await main();
