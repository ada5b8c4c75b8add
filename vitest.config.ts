// Test runner configuration: Node environment, generous timeouts for real HTTP/SQLite/browser tests.
import { defineConfig } from 'vitest/config';

// `npm run coverage` (test/coverage/run.ts) sets this; each worker then records its V8 coverage.
const collectsCoverage = Boolean(process.env.STEMHOOK_COVERAGE_DIR);

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
    setupFiles: collectsCoverage ? ['test/coverage/collect-vitest.ts'] : [],
  },
});
