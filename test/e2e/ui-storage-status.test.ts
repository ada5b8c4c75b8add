// The status bar says plainly when the library cannot be written: `stemhook serve` in demo mode, a
// second connection holds SQLite's write lock past busy_timeout while a task runs, the bar shows
// "Database busy", and the notice goes away by itself once the lock is released.
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TaskView } from '../../shared/domain.ts';
import { callApi, launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { cleanEnv, startServeProcess, stopProcess, type ServeProcess } from '../helpers/cli.ts';
import { writeToneMp3 } from '../helpers/tone-mp3.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'stemhook-ui-storage-'));
const env = cleanEnv({
  STEMHOOK_DATA_DIR: dataDir,
  STEMHOOK_DEMO_AUDIO_SECONDS: '2',
  STEMHOOK_DEMO_STAGE_MS: '300',
});
let serve: ServeProcess;
let browser: TestBrowser;

beforeAll(async () => {
  serve = await startServeProcess(env, dataDir);
  browser = await launchBrowser();
  await browser.page.goto(serve.hostFile.uiUrl);
});

afterAll(async () => {
  await browser?.close();
  if (serve) await stopProcess(serve.child, 'SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('status bar under a storage fault', () => {
  it('shows "Database busy" while another connection holds the lock, and clears it after', async () => {
    const page = browser.page;
    await page.getByTestId('receiver-status').waitFor();
    expect(await page.getByTestId('storage-status').count()).toBe(0);

    const source = await writeToneMp3(join(dataDir, 'vox.mp3'), { seconds: 1 });
    const task = await callApi<TaskView>(serve.hostFile, 'tasks.submit', {
      kind: 'add-instrumental',
      source: { path: source },
      title: 'Harbor',
      tags: 'folk',
      negativeTags: 'edm',
    });
    const holder = new Database(join(dataDir, 'stemhook.db'));
    holder.pragma('busy_timeout = 10000');
    holder.exec('BEGIN IMMEDIATE');
    try {
      const notice = page.getByTestId('storage-status');
      await expect.poll(() => notice.count(), { timeout: 60_000, interval: 100 }).toBe(1);
      expect(await notice.textContent()).toMatch(/^Database busy: .*Close it/);
      expect(await notice.getAttribute('role')).toBe('alert');
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    await expect
      .poll(() => page.getByTestId('storage-status').count(), { timeout: 60_000, interval: 100 })
      .toBe(0);
    await expect
      .poll(async () => (await callApi<TaskView>(serve.hostFile, 'tasks.get', { id: task.id })).state, {
        timeout: 60_000,
        interval: 200,
      })
      .toBe('complete');
  });
});
