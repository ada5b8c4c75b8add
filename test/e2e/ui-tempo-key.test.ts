// Tempo and key in Debian Chromium against `stemhook serve` (demo): the library's track list and
// the studio header show what the analysis found in the simulator's song, and a correction typed
// in the studio header is stored in the core and shown as the producer's everywhere.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TaskView } from '../../shared/domain.ts';
import { callApi, launchBrowser, waitForTask, type TestBrowser } from '../helpers/browser.ts';
import {
  cleanEnv,
  ROOT,
  runCli,
  runJson,
  startServeProcess,
  stopProcess,
  type ServeProcess,
} from '../helpers/cli.ts';
import { writeToneMp3 } from '../helpers/tone-mp3.ts';

const SHOTS = join(ROOT, 'test-results');
const dataDir = mkdtempSync(join(tmpdir(), 'stemhook-ui-tempo-'));
let serve: ServeProcess;
let browser: TestBrowser;
let song: TaskView;

const isAnalysed = (task: TaskView) =>
  task.state === 'complete' && task.tracks.every((t) => t.state === 'ready' && t.analysis === 'done');

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  const source = await writeToneMp3(join(dataDir, 'idea.mp3'), { seconds: 2 });
  serve = await startServeProcess(
    cleanEnv({
      STEMHOOK_DATA_DIR: dataDir,
      STEMHOOK_DEMO_AUDIO_SECONDS: '12',
      STEMHOOK_DEMO_STAGE_MS: '100',
    }),
    dataDir,
  );
  await callApi(serve.hostFile, 'settings.update', { preferences: { 'ui.welcomed': '1' } });
  const submitted = await callApi<TaskView>(serve.hostFile, 'tasks.submit', {
    kind: 'add-instrumental',
    source: { path: source },
    title: 'Tempo Test',
    tags: 'house',
    negativeTags: '',
  });
  song = await waitForTask<TaskView>(serve.hostFile, submitted.id, isAnalysed, 120_000);
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  if (serve) await stopProcess(serve.child, 'SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('tempo and key in the UI', () => {
  it('shows the detected tempo and key and takes a correction from the studio header', async () => {
    const { page } = browser;
    const take = song.tracks[0];
    const detected = `${take?.tempo?.bpm.toFixed(1)} BPM`;
    await page.goto(serve.hostFile.uiUrl);
    await page.locator(`[data-task-id="${song.id}"]`).click();
    const row = page.locator('.track-item').first();
    await expect.poll(() => row.getByTestId('tempo-key').textContent()).toContain(detected);
    expect(await row.getByTestId('tempo-key').textContent()).toContain(take?.key?.name ?? '?');

    await page.getByRole('button', { name: 'Open in studio' }).click();
    const header = page.locator('.studio-header');
    await expect.poll(() => header.getByTestId('tempo-key').textContent()).toContain(detected);
    await page.screenshot({ path: join(SHOTS, 'tempo-key-studio.png') });

    await header.getByRole('button', { name: /Correct tempo and key/ }).click();
    await header.getByLabel('Tempo in BPM').fill('87.5');
    await header.getByLabel('Key', { exact: true }).selectOption({ label: 'F# minor' });
    await header.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() => header.getByTestId('tempo-key').textContent())
      .toBe('87.5 BPM (set by you) · F# minor (set by you)edit');
    await page.screenshot({ path: join(SHOTS, 'tempo-key-corrected.png') });

    const stored = await callApi<TaskView>(serve.hostFile, 'tasks.get', { id: song.id });
    expect(stored.tracks[0]?.tempo).toMatchObject({
      bpm: 87.5,
      isCorrected: true,
      detectedBpm: take?.tempo?.bpm,
    });
    expect(stored.tracks[0]?.key).toMatchObject({ name: 'F# minor', isCorrected: true });
  }, 120_000);

  it('`stemhook show` prints tempo and key with their confidences', async () => {
    const env = cleanEnv({ STEMHOOK_DATA_DIR: dataDir });
    const shown = await runJson<TaskView>(['show', song.id], env);
    const second = shown.tracks[1];
    expect(second?.tempo).toMatchObject({
      bpm: expect.any(Number),
      confidence: expect.any(Number),
      isCorrected: false,
    });
    expect(second?.key).toMatchObject({ name: expect.any(String), confidence: expect.any(Number) });
    const text = await runCli(['show', song.id], env);
    expect(text.stdout).toContain(`${second?.tempo?.bpm.toFixed(1)} BPM (`);
    expect(text.stdout).toContain('87.5 BPM (set by you) · F# minor (set by you)');
  }, 60_000);
});
