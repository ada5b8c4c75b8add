// Test runner configuration: Node environment, generous timeouts for real HTTP/SQLite/browser tests.
import { defineConfig } from 'vitest/config';

// `npm run coverage` (test/coverage/run.ts) sets this; each worker then records its V8 coverage.
// Block coverage in every process (decoders included) runs code 2-3 times slower: more time per test.
const collectsCoverage = Boolean(process.env.STEMHOOK_COVERAGE_DIR);
const timeout = collectsCoverage ? 180_000 : 60_000;

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: timeout,
    hookTimeout: timeout,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
    setupFiles: collectsCoverage ? ['test/coverage/collect-vitest.ts'] : [],
  },
});
