import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';

const textModule = new URL('../../source/view/text.ts', import.meta.url).href;

// Reports every `import` of string-width on stderr (module hooks see imports, not require()).
const hooks = `export async function resolve(specifier, context, next) {
	if (specifier === 'string-width') process.stderr.write('string-width imported\\n');
	return next(specifier, context);
}`;
const register = `import {register} from 'node:module';
register(${JSON.stringify('data:text/javascript,' + encodeURIComponent(hooks))});`;

/** Runs `body` in a fresh Node with the text helpers imported as `t`; returns stdout and stderr. */
function withText(body: string): {stdout: string; stderr: string} {
	const script = `const t = await import(${JSON.stringify(textModule)});\n${body}`;
	const result = spawnSync(
		process.execPath,
		[
			'--import',
			'tsx',
			'--import',
			'data:text/javascript,' + encodeURIComponent(register),
			'--input-type=module',
			'-e',
			script,
		],
		{cwd: fileURLToPath(new URL('../..', import.meta.url)), encoding: 'utf8'},
	);
	assert.equal(result.status, 0, result.stderr);
	return {stdout: result.stdout, stderr: result.stderr};
}

test('ASCII, the ellipsis and the sort arrows are measured without loading string-width', () => {
	const {stdout, stderr} = withText(`
		await t.textWidthReady();
		console.log(JSON.stringify([
			t.textWidth('10.0.0.1:443'),
			t.textWidth('State↑'),
			t.textWidth('Bytes↓'),
			t.padCell('Src↑', 6),
			t.shortenMiddle('2001:db8:1:2:3:4:5:6', 9),
			t.truncateEnd('ESTABLISHED', 5),
		]));
	`);
	assert.deepEqual(JSON.parse(stdout), [12, 6, 6, 'Src↑  ', '2001…:5:6', 'ESTA…']);
	assert.equal(stderr, '');
});

test('wider text is still measured by string-width once it turns up: CJK takes two columns', () => {
	const {stdout} = withText(`
		console.log(JSON.stringify([
			t.textWidth('日本'),
			t.padCell('日本語x', 5),
			t.shortenMiddle('名前.例え.jp', 7),
			t.textWidth('é'),
		]));
	`);
	assert.deepEqual(JSON.parse(stdout), [4, '日本…', '名….jp', 1]);
});
