// ESLint: typescript-eslint's type-checked rules, React's hook rules, and the layer order.
//
// The layers (README, "How it works"): the flow vocabulary at the bottom; kernel and remote read
// tables; sync keeps a table in step; model is the pure table; view lays rows out as text for
// both the TUI and --once; ui renders; cli composes them all. Each layer may import only what
// this table lists, so a fact about flows is written once and a newcomer can trust the arrows.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/** What each folder under source/ may import, besides itself and Node's built-ins. */
const layers = {
	flow: [],
	kernel: ['flow'],
	remote: ['flow'],
	sync: ['flow'],
	model: ['flow'],
	view: ['flow', 'model'],
	ui: ['flow', 'model', 'view'],
	cli: ['flow', 'kernel', 'remote', 'sync', 'model', 'view', 'ui'],
};

const folders = Object.keys(layers);

/** One config block per layer: importing a folder it may not is an error that names the rule. */
const boundaries = Object.entries(layers).map(([layer, allowed]) => ({
	files: [`source/${layer}/**/*.{ts,tsx,cts}`, ...(layer === 'cli' ? ['source/cli.tsx'] : [])],
	rules: {
		'no-restricted-imports': [
			'error',
			{
				patterns: folders
					.filter((folder) => folder !== layer && !allowed.includes(folder))
					.map((folder) => ({
						group: [`**/${folder}/*`, `**/${folder}.js`, `../${folder}`],
						message: `source/${layer}/ may import ${allowed.length > 0 ? `only ${allowed.join(', ')}` : 'no other layer'} (see eslint.config.js).`,
					})),
			},
		],
	},
}));

export default tseslint.config(
	{ignores: ['dist/**', 'node_modules/**', 'media/**', 'eslint.config.js']},
	// An eslint-disable comment that no longer silences anything is an error, so none goes stale.
	{linterOptions: {reportUnusedDisableDirectives: 'error'}},
	js.configs.recommended,
	...tseslint.configs.recommendedTypeChecked,
	{
		languageOptions: {
			parserOptions: {
				projectService: {allowDefaultProject: ['test/helpers/*.mjs']},
				tsconfigRootDir: import.meta.dirname,
			},
		},
		plugins: {'react-hooks': reactHooks},
		rules: {
			...reactHooks.configs.recommended.rules,
			// tsconfig's noFallthroughCasesInSwitch checks this with the types: it knows a case whose
			// inner switch is exhaustive and returns in every branch ends there; this rule does not.
			'no-fallthrough': 'off',
			// A rest pattern is how we copy an object without some keys (`const {CI: _ci, ...rest}`).
			'@typescript-eslint/no-unused-vars': ['error', {ignoreRestSiblings: true}],
			// node:test's test() and describe() return promises the runner itself awaits.
			'@typescript-eslint/no-floating-promises': [
				'error',
				{
					allowForKnownSafeCalls: [
						{
							from: 'package',
							package: 'node:test',
							name: [
								'test',
								'describe',
								'it',
								'suite',
								'before',
								'after',
								'beforeEach',
								'afterEach',
							],
						},
					],
				},
			],
		},
	},
	// Plain Node scripts (test/helpers/fake-ssh.mjs): no-undef checks their names, so name Node's.
	{files: ['**/*.mjs'], languageOptions: {globals: {process: 'readonly', console: 'readonly'}}},
	...boundaries,
);
