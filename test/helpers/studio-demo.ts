// One studio e2e setup: `stemhook serve` in demo mode on a fresh data dir with an add-instrumental
// task submitted from a short tone, and Chromium; plus reading what the mixer hears, per lane.
import { expect } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TaskView } from '../../shared/domain.ts';
import { callApi, launchBrowser, type Page, type TestBrowser } from './browser.ts';
import { cleanEnv, ROOT, startServeProcess, stopProcess, type ServeProcess } from './cli.ts';
import { writeToneMp3 } from './tone-mp3.ts';

/** Waits until `read` satisfies the matcher that follows (a state to reach, not a time to meet). */
export const poll = <T>(read: () => Promise<T> | T, timeout = 30_000) =>
  expect.poll(read, { timeout, interval: 100 });

/** Where e2e screenshots go (gitignored), for a person to look at. */
export const SHOTS = join(ROOT, 'test-results');

export interface StudioDemo {
  serve: ServeProcess;
  dataDir: string;
  /** The submitted task as `tasks.submit` answered. */
  song: TaskView;
  browser: TestBrowser;
  page: Page;
  close(): Promise<void>;
}

export async function startStudioDemo(
  prefix: string,
  title: string,
  env: Record<string, string>,
): Promise<StudioDemo> {
  mkdirSync(SHOTS, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  const source = await writeToneMp3(join(dataDir, 'vocal take.mp3'), { seconds: 2 });
  const serve = await startServeProcess(cleanEnv({ STEMHOOK_DATA_DIR: dataDir, ...env }), dataDir);
  await callApi(serve.hostFile, 'settings.update', { preferences: { 'ui.welcomed': '1' } });
  const song = await callApi<TaskView>(serve.hostFile, 'tasks.submit', {
    kind: 'add-instrumental',
    source: { path: source },
    title,
    tags: 'folk',
    negativeTags: '',
  });
  const browser = await launchBrowser();
  return {
    serve,
    dataDir,
    song,
    browser,
    page: browser.page,
    async close() {
      await browser.close();
      await stopProcess(serve.child, 'SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Drags a loop over most of the song on the ruler (from 12 % to 80 % of it, clear of the section
 * flags at either end, which take a click for themselves), so a short demo song keeps playing. */
export async function loopMostOfTheSong(page: Page): Promise<void> {
  const ruler = await page.getByTestId('ruler').boundingBox();
  if (!ruler) throw new Error('no ruler');
  await page.mouse.move(ruler.x + ruler.width * 0.12, ruler.y + ruler.height / 2);
  await page.mouse.down();
  await page.mouse.move(ruler.x + ruler.width * 0.8, ruler.y + ruler.height / 2, { steps: 5 });
  await page.mouse.up();
}

/**
 * The loudest meter reading per lane id over `ticks` mixer reports, after `skip` reports (which may
 * still carry a fade from before). The mixer meters only lanes it actually mixes: 0 means unheard.
 */
export function loudestPerLane(page: Page, ticks: number, skip = 0): Promise<Record<string, number>> {
  return page.evaluate(
    ({ count, skipped }) =>
      new Promise<Record<string, number>>((resolve) => {
        const loudest: Record<string, number> = {};
        let seen = 0;
        const stop = window.stemhookDebug?.studio?.engine.on((event) => {
          if (event.type !== 'tick') return;
          const meters = (event as unknown as { meters: Record<string, number> }).meters;
          if (++seen > skipped)
            for (const [id, value] of Object.entries(meters)) loudest[id] = Math.max(loudest[id] ?? 0, value);
          if (seen >= count + skipped) {
            stop?.();
            resolve(loudest);
          }
        });
      }),
    { count: ticks, skipped: skip },
  );
}
