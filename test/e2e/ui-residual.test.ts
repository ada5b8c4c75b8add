// The residual lane in Debian Chromium against `stemhook serve` (demo): a take split into 12 stems
// opens with "Residual (source − all stems)" as a drawn, playable lane beside its level, offset and
// leak meter, and the CLI's view of the task carries the same level.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportResultView, ResidualView } from '../../shared/api.ts';
import type { TaskView } from '../../shared/domain.ts';
import { callApi, launchBrowser, waitForTask, type TestBrowser } from '../helpers/browser.ts';
import {
  cleanEnv,
  ROOT,
  runJson,
  startServeProcess,
  stopProcess,
  type ServeProcess,
} from '../helpers/cli.ts';
import { writeToneMp3 } from '../helpers/tone-mp3.ts';

const SHOTS = join(ROOT, 'test-results');
const dataDir = mkdtempSync(join(tmpdir(), 'stemhook-ui-residual-'));
const env = cleanEnv({
  STEMHOOK_DATA_DIR: dataDir,
  STEMHOOK_DEMO_AUDIO_SECONDS: '8',
  STEMHOOK_DEMO_STAGE_MS: '100',
});
let serve: ServeProcess;
let browser: TestBrowser;
const isSaved = (task: TaskView) =>
  task.state === 'complete' && task.tracks.every((t) => t.state === 'ready');

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  serve = await startServeProcess(env, dataDir);
  await callApi(serve.hostFile, 'settings.update', { preferences: { 'ui.welcomed': '1' } });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  if (serve) await stopProcess(serve.child, 'SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('residual lane', () => {
  it('shows a split with its residual lane, level, offset and leak meter', async () => {
    const source = await writeToneMp3(join(dataDir, 'vocal take.mp3'), { seconds: 2 });
    const song = await callApi<TaskView>(serve.hostFile, 'tasks.submit', {
      kind: 'add-instrumental',
      source: { path: source },
      title: 'Harbor Lights',
      tags: 'folk',
      negativeTags: '',
    });
    const take = (await waitForTask<TaskView>(serve.hostFile, song.id, isSaved)).tracks[0]!;
    const submitted = await callApi<TaskView>(serve.hostFile, 'tasks.submit', {
      kind: 'split_stem',
      from: { taskId: song.id, audioId: take.audioId },
    });
    const split = await waitForTask<TaskView>(serve.hostFile, submitted.id, isSaved, 90_000);

    const { page } = browser;
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(serve.hostFile.uiUrl);
    await page.locator(`[data-task-id="${split.id}"]`).click();
    await page.getByRole('button', { name: 'Open in studio' }).click();
    await page.locator('.studio[data-all-drawn="true"][data-lane-count="14"]').waitFor({ timeout: 60_000 });
    const lane = page.locator('.lane[data-stem="residual"]');
    expect(await lane.getAttribute('aria-label')).toBe('Residual (source − all stems)');
    const meter = lane.locator('.leak-meter');
    await meter.waitFor();
    expect(await meter.locator('.leak-bars li').count()).toBe(4);
    const level = (await meter.locator('.leak-level').textContent()) ?? '';
    await page.screenshot({ path: join(SHOTS, 'studio-residual-lane.png') });

    // What the studio shows is what the core measured, and the CLI's `show --json` carries it too.
    const residual = await callApi<ResidualView>(serve.hostFile, 'tasks.residual', { id: split.id });
    expect(level).toBe(`−${Math.abs(residual.levelDb).toFixed(0)} dB`);
    expect(residual.levelDb).toBeLessThan(-15);
    const shown = await runJson<TaskView & { residual: { levelDb: number } | null }>(['show', split.id], env);
    expect(shown.residual?.levelDb).toBe(residual.levelDb);
    const exported = await runJson<ExportResultView>(
      ['export', split.id, '--residual', '--out', join(dataDir, 'export')],
      env,
    );
    expect(exported.files.filter((f) => f.kind === 'residual').map((f) => f.name)).toEqual([
      'Harbor Lights_Residual.wav',
    ]);
  }, 180_000);
});
