// `npm run coverage`: builds with source maps kept aside, runs the whole suite once with V8 coverage
// collected in every process (Vitest workers, the children tests start, Chromium pages), merges it
// per source file and prints totals per area and the least-covered files (also coverage/report.md).
// Options: `--merge-only` re-reads the last run's data; `--keep <test files>` re-runs those files
// into the last run's data (same build; e.g. one that failed under load); `--without <test file>`
// (repeatable) leaves that file's records out of the report. Test file paths go to `vitest run`.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { mergeCoverage } from './merge.ts';
import { COVERAGE_DIR_ENV, ROOT, testSlug } from './records.ts';
import { formatReport } from './report.ts';

const COVERAGE_DIR = join(ROOT, 'coverage');
const { values: options, positionals: vitestArgs } = parseArgs({
  options: {
    'merge-only': { type: 'boolean' },
    keep: { type: 'boolean' },
    without: { type: 'string', multiple: true },
  },
  allowPositionals: true,
  strict: false,
});
const withoutTests = (options.without ?? []).map((path) => resolve(ROOT, String(path)));

function run(command: string[], env: NodeJS.ProcessEnv): number {
  const result = spawnSync(process.execPath, command, { cwd: ROOT, env, stdio: 'inherit' });
  return result.status ?? 1;
}

/**
 * Moves the build's source maps out of out/ into coverage/maps/ (same relative paths): the pages
 * never see them, and the packaged-app test packs out/ exactly as a release would.
 */
function setSourceMapsAside(): void {
  const walk = (relative: string) => {
    for (const entry of readdirSync(join(ROOT, 'out', relative), { withFileTypes: true })) {
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path);
      else if (path.endsWith('.map')) {
        const target = join(COVERAGE_DIR, 'maps', path);
        mkdirSync(dirname(target), { recursive: true });
        cpSync(join(ROOT, 'out', path), target);
        rmSync(join(ROOT, 'out', path));
      }
    }
  };
  walk('');
}

let testStatus = 0;
const isKept = options.keep === true && existsSync(join(COVERAGE_DIR, 'maps'));
if (!options['merge-only']) {
  if (isKept) {
    for (const test of vitestArgs)
      for (const kind of ['v8', 'scripts', 'browser'])
        rmSync(join(COVERAGE_DIR, kind, testSlug(resolve(ROOT, test))), { recursive: true, force: true });
  } else {
    rmSync(COVERAGE_DIR, { recursive: true, force: true });
    mkdirSync(join(COVERAGE_DIR, 'v8'), { recursive: true });
    const buildStatus = run(['node_modules/electron-vite/bin/electron-vite.js', 'build'], {
      ...process.env,
      STEMHOOK_COVERAGE_BUILD: '1',
    });
    if (buildStatus !== 0) process.exit(buildStatus);
    setSourceMapsAside();
  }
  testStatus = run(['node_modules/vitest/vitest.mjs', 'run', ...vitestArgs], {
    ...process.env,
    NODE_V8_COVERAGE: join(COVERAGE_DIR, 'v8'),
    NODE_OPTIONS: [
      process.env.NODE_OPTIONS,
      `--import=${pathToFileURL(join(ROOT, 'test/coverage/flush-on-signal.mjs')).href}`,
    ]
      .filter(Boolean)
      .join(' '),
    [COVERAGE_DIR_ENV]: COVERAGE_DIR,
  });
}

const report = formatReport(mergeCoverage(COVERAGE_DIR, withoutTests));
writeFileSync(join(COVERAGE_DIR, 'report.md'), `${report}\n`);
console.log(`\n${report}\n\nWritten to coverage/report.md.`);
if (testStatus !== 0)
  console.error(`Some tests failed (vitest exited ${testStatus}): the figures miss what they skipped.`);
process.exit(testStatus);
