import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import reactRefresh from 'eslint-plugin-react-refresh';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const FEATURES = [
  'auth',
  'generate',
  'gallery',
  'collections',
  'compare',
  'admin',
  'keys',
  'sharing',
];
const SHARED = ['lib', 'components', 'hooks', 'utils', 'types'];

// Patterns match the import string, so each zone names the folders it may not
// reach whatever the relative depth (`**/gallery/**` also catches `../gallery/x`).
const restrict = (files, patterns) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns }] },
});
const noApp = { group: ['**/app/**'], message: 'Only the app layer imports from src/app.' };
const noFeatures = {
  group: ['**/features/**'],
  message: 'Shared code never imports a feature; pass what it needs in from the feature.',
};

function importZones() {
  return [
    restrict(
      SHARED.map((dir) => `src/${dir}/**/*.{ts,tsx}`),
      [noApp, noFeatures],
    ),
    restrict(
      ['src/components/ui/**/*.{ts,tsx}'],
      [
        noApp,
        noFeatures,
        { group: ['**/lib/**', '**/image/**'], message: 'ui/ must stay generic.' },
      ],
    ),
    ...FEATURES.map((feature) =>
      restrict(
        [`src/features/${feature}/**/*.{ts,tsx}`],
        [
          noApp,
          {
            group: FEATURES.filter((other) => other !== feature).map((other) => `**/${other}/**`),
            message: 'Features do not import each other; compose them in src/app.',
          },
        ],
      ),
    ),
  ];
}

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'test-output', 'src/types/schema.ts'] },
  {
    files: ['src/**/*.{ts,tsx}'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: { ecmaVersion: 2022, globals: globals.browser },
    plugins: { 'react-hooks': reactHooks, 'react-refresh': reactRefresh },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'react-refresh/only-export-components': ['warn', { allowConstantExport: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  // One-way imports: shared code (lib, components, hooks, utils, types) →
  // features → app. A feature never reaches into another; the app composes them.
  ...importZones(),
  {
    // The route table is configuration, not a component module.
    files: ['src/app/router.tsx'],
    rules: { 'react-refresh/only-export-components': 'off' },
  },
  {
    files: ['src/**/*.test.{ts,tsx}', 'src/test/**'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: { 'react-refresh/only-export-components': 'off' },
  },
  {
    files: ['*.{js,mjs,ts}', 'scripts/**/*.mjs', 'e2e/**/*.{js,mjs}'],
    extends: [js.configs.recommended],
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: globals.node },
  },
  {
    // Functions passed to page.evaluate run in the browser.
    files: ['e2e/**/*.{js,mjs}'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    files: ['vite.config.ts'],
    extends: [...tseslint.configs.recommended],
  },
);
