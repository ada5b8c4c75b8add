// Lint rules; the import restrictions enforce the architecture's boundaries (see ARCHITECTURE.md).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import noImportCycle from './eslint-rules/no-import-cycle.js';

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

const coreIsPlainNode = [
  { group: ['**/renderer/**'], message: 'electron/ never imports the renderer.' },
  {
    group: ['**/shell/**', '**/main.ts', '**/preload.ts'],
    message: 'electron/core/ is plain Node: it never imports the Electron shell.',
  },
];

/** One config per layer: the core-wide patterns plus the higher core folders this layer may not import. */
function coreLayers(layers) {
  return layers.map(({ files, forbidden }) => ({
    files,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: electronOnlyInShell.paths,
          patterns: [
            ...coreIsPlainNode,
            ...(files.some((glob) => glob.startsWith('electron/core/store/')) ? [] : [storeInternals]),
            ...forbidden.map((folder) => ({
              group: [`../${folder}/**`, `../../${folder}/**`],
              message: `Layer order (ARCHITECTURE.md): this folder never imports electron/core/${folder}/.`,
            })),
          ],
        },
      ],
    },
  }));
}

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'coverage/', 'dist/', 'release/', 'test-results/', 'bench/results/'] },
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
  // Layers of the core: a module may import its own layer and the ones listed after it, never
  // one before it (store ← pipeline ← receiver ← host). Flat config does not merge two
  // `no-restricted-imports` entries for one file, so each layer repeats the core-wide patterns.
  ...coreLayers([
    { files: ['electron/core/**/*.ts'], forbidden: [] },
    { files: ['electron/core/store/**/*.ts'], forbidden: ['pipeline', 'receiver', 'host'] },
    { files: ['electron/core/pipeline/**/*.ts'], forbidden: ['receiver', 'host'] },
    { files: ['electron/core/receiver/**/*.ts'], forbidden: ['host'] },
    {
      files: [
        'electron/core/export/**/*.ts',
        'electron/core/audio/**/*.ts',
        'electron/core/analysis/**/*.ts',
        'electron/core/kie/**/*.ts',
        'electron/core/tunnel/**/*.ts',
      ],
      forbidden: ['host'],
    },
  ]),
  {
    files: ['electron/**/*.ts', 'shared/**/*.ts', 'renderer/**/*.ts', 'renderer/**/*.tsx'],
    plugins: { stemhook: { rules: { 'no-import-cycle': noImportCycle } } },
    rules: { 'stemhook/no-import-cycle': 'error' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
