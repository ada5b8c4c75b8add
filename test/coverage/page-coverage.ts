// JS coverage of a Chromium page in a coverage run (Playwright's page.coverage), written with the
// scripts' code so merge.ts maps it to the renderer sources through the build's source maps.
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { COVERAGE_DIR_ENV, COVERAGE_TEST_ENV, type ScriptCoverage } from './records.ts';

export async function startPageCoverage(page: Page): Promise<void> {
  if (!process.env[COVERAGE_DIR_ENV]) return;
  await page.coverage.startJSCoverage({ resetOnNavigation: false });
}

/** Writes what the page ran of the built UI (scripts served under /assets/); call before closing it. */
export async function savePageCoverage(page: Page): Promise<void> {
  const dir = process.env[COVERAGE_DIR_ENV];
  if (!dir || page.isClosed()) return;
  const entries = await page.coverage.stopJSCoverage();
  const scripts: ScriptCoverage[] = entries
    .filter((entry) => /^https?:\/\/[^/]+\/assets\/[^?#]+\.js$/.test(entry.url))
    .map(({ url, source, functions }) => ({ url, source, functions }));
  const folder = join(dir, 'browser', process.env[COVERAGE_TEST_ENV] ?? 'unknown');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, `page-${randomUUID()}.json`), JSON.stringify({ scripts }));
}
