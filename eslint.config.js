// Lint rules; the import restrictions enforce the architecture's boundaries (see ARCHITECTURE.md).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Outside store/, the core sees the store only through its contract (store/index.ts, which
// re-exports interface.ts): no store module, no migration, no SQLite driver.
const storeInternals = {
  group: ['**/store/*', '!**/store/index.ts', '**/store/migrations/**', 'better-sqlite3'],
  message: 'Outside electron/core/store/, use the Store from store/index.ts (no SQL, no store internals).',
};

const electronOnlyInShell = {
  paths: [
    {
      name: 'electron',
      message:
        'Only electron/main.ts, electron/preload.ts and electron/shell/ may import electron; electron/core/ runs under plain Node.',
    },
  ],
};

const corePatterns = [
  { group: ['**/renderer/**'], message: 'electron/ never imports the renderer.' },
  {
    group: ['**/shell/**', '**/main.ts', '**/preload.ts'],
    message: 'electron/core/ is plain Node: it never imports the Electron shell.',
  },
];

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'dist/', 'release/', 'test-results/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2024, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'node:*',
                'fs',
                'path',
                'react',
                'electron',
                '../electron/*',
                '../renderer/*',
                '../../electron/*',
                '../../renderer/*',
              ],
              message: 'shared/ is pure TypeScript: no Node, DOM, React or other folders.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: electronOnlyInShell.paths,
          patterns: [
            { group: ['**/electron/**', 'node:*'], message: 'The renderer talks only to window.api.' },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/core/**/*.ts'],
    ignores: ['electron/core/store/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: electronOnlyInShell.paths, patterns: [...corePatterns, storeInternals] },
      ],
    },
  },
  {
    files: ['electron/core/store/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: electronOnlyInShell.paths, patterns: corePatterns }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
