// MIDI in the UI, in Debian Chromium against `stemhook serve` (demo): a finished split is transcribed
// from the library ("Transcribe to MIDI…", all stems), the MIDI task lists its instruments, and the
// studio draws a note strip on each stem lane that follows the zoom, hidden by its toggle.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TaskView } from '../../shared/domain.ts';
import { callApi, launchBrowser, waitForTask, type Page, type TestBrowser } from '../helpers/browser.ts';
import { cleanEnv, ROOT, startServeProcess, stopProcess, type ServeProcess } from '../helpers/cli.ts';
import { writeToneMp3 } from '../helpers/tone-mp3.ts';

const SHOTS = join(ROOT, 'test-results');
const dataDir = mkdtempSync(join(tmpdir(), 'stemhook-ui-midi-'));
let serve: ServeProcess;
let browser: TestBrowser;
let page: Page;
let split: TaskView;

const isSaved = (task: TaskView) =>
  task.state === 'complete' && task.tracks.every((t) => t.state === 'ready');

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  const source = await writeToneMp3(join(dataDir, 'vocal take.mp3'), { seconds: 2 });
  serve = await startServeProcess(
    cleanEnv({ STEMHOOK_DATA_DIR: dataDir, STEMHOOK_DEMO_AUDIO_SECONDS: '5', STEMHOOK_DEMO_STAGE_MS: '200' }),
    dataDir,
  );
  const host = serve.hostFile;
  await callApi(host, 'settings.update', { preferences: { 'ui.welcomed': '1' } });
  const song = await callApi<TaskView>(host, 'tasks.submit', {
    kind: 'add-instrumental',
    source: { path: source },
    title: 'Harbor Lights',
    tags: 'folk, 100 bpm',
    negativeTags: '',
  });
  const take = await waitForTask<TaskView>(host, song.id, isSaved);
  const submitted = await callApi<TaskView>(host, 'tasks.submit', {
    kind: 'split_stem',
    from: { taskId: take.id, audioId: take.tracks[0]?.audioId },
  });
  split = await waitForTask<TaskView>(host, submitted.id, isSaved, 90_000);
  browser = await launchBrowser();
  page = browser.page;
  // Twelve stems are synthesised and encoded for real: slow on a loaded machine.
}, 240_000);

afterAll(async () => {
  await browser?.close();
  if (serve) await stopProcess(serve.child, 'SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

const drawnNotes = (stem: string) =>
  page
    .locator(`.lane[data-stem="${stem}"] .note-strip`)
    .evaluate((c) => Number((c as HTMLElement).dataset.drawnNotes));

describe('MIDI in the UI', () => {
  it('transcribes a split from the library and shows the instruments', { timeout: 120_000 }, async () => {
    await page.goto(serve.hostFile.uiUrl);
    await page.locator(`[data-task-id="${split.id}"]`).click();
    await page.getByRole('button', { name: 'Transcribe to MIDI…' }).click();
    await page.getByRole('button', { name: /All stems · free on KIE/ }).click();
    let midi: TaskView | undefined;
    await expect
      .poll(
        async () => (midi = (await callApi<TaskView[]>(serve.hostFile, 'tasks.list', { kind: 'midi' }))[0]),
        {
          timeout: 30_000,
        },
      )
      .toBeDefined();
    await waitForTask<TaskView>(serve.hostFile, midi?.id ?? '', (t) => t.state === 'complete');
    await page.getByTestId('midi-instruments').getByText('Electric Bass (finger)').waitFor();
  });

  it(
    'draws note strips on the stem lanes that follow the zoom, and hides them on request',
    { timeout: 120_000 },
    async () => {
      await page.locator(`[data-task-id="${split.id}"]`).click();
      await page.getByRole('button', { name: 'Open in studio' }).click();
      await page.locator('.studio[data-all-drawn="true"][data-lane-count="14"]').waitFor();
      await page.locator('.lane[data-stem="bass"] .note-strip').waitFor();
      expect(await page.locator('.note-strip').count()).toBe(11); // every stem but FX (no notes), the source and the residual
      const fitted = await drawnNotes('synth');
      // Fitted to the width, every note of the stem is on screen.
      const total = await page
        .locator('.lane[data-stem="synth"] .note-strip')
        .evaluate((c) => Number((c as HTMLElement).dataset.noteCount));
      expect(total).toBeGreaterThan(20);
      expect(fitted).toBe(total);
      const inked = await page.locator('.lane[data-stem="bass"] .note-strip').evaluate((canvas) => {
        const c = canvas as HTMLCanvasElement;
        const data = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? [];
        let count = 0;
        for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 0) > 0) count++;
        return count;
      });
      expect(inked).toBeGreaterThan(0);
      await page.screenshot({ path: join(SHOTS, 'studio-note-strips.png') });
      // Past the fitted zoom (about 200 px/s here), so only part of the song is on screen.
      for (let i = 0; i < 6; i++) await page.getByRole('button', { name: 'Zoom in' }).click();
      await expect.poll(() => drawnNotes('synth'), { timeout: 10_000 }).toBeLessThan(fitted);
      await page.screenshot({ path: join(SHOTS, 'studio-note-strips-zoomed.png') });
      await page.getByLabel('Show MIDI notes').uncheck();
      expect(await page.locator('.note-strip').count()).toBe(0);
    },
  );
});
