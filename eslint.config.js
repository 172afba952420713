import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import svelteConfig from './svelte.config.js';

// The dependency direction is enforced here: core imports nothing of ours, workers import core,
// the UI imports core and only the types of workers.
const noTfjsOrDom = {
  patterns: [
    { group: ['@tensorflow/*'], message: 'src/core is pure TypeScript: tfjs belongs in workers/.' },
    { group: ['svelte', 'svelte/*', '*.svelte'], message: 'src/core is pure TypeScript: Svelte belongs in src/ui/.' },
    { group: ['**/ui/*', '**/workers/*', '../../workers/*'], message: 'src/core imports nothing of ours outside src/core.' },
    { group: ['node:*'], message: 'src/core runs in browsers: no Node APIs.' },
  ],
};

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'test-results/', 'playwright-report/', 'out/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { projectService: true, extraFileExtensions: ['.svelte'], parser: tseslint.parser, svelteConfig } },
    rules: { 'svelte/no-at-html-tags': 'error' },
  },
  {
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', noTfjsOrDom] },
  },
  {
    files: ['src/core/**/*.ts'],
    languageOptions: { globals: { ...globals['shared-node-browser'] } },
  },
  {
    files: ['src/ui/**/*', 'src/main.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@tensorflow/*'], message: 'The UI never runs tfjs: training happens in the worker.' },
            { group: ['**/workers/*', '!**/workers/contract'], message: 'The UI imports only the worker contract types.', allowTypeImports: true },
          ],
        },
      ],
    },
  },
);
