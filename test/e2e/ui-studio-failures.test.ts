// The studio never blanks or stalls (issue 11 §1), in Debian Chromium against `stemhook serve` (demo):
// zooming while lanes load never throws, a lane whose PCM answers 404 says so while the others play,
// "Mix" and B play the results only and A the source only (read from the mixer's own meters), an
// inaudible lane looks inaudible, each gain shows its dB value and takes get distinct colours.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TaskView } from '../../shared/domain.ts';
import { waitForTask, type Page, type TestBrowser } from '../helpers/browser.ts';
import { loudestPerLane, poll, SHOTS, startStudioDemo, type StudioDemo } from '../helpers/studio-demo.ts';

let demo: StudioDemo;
let browser: TestBrowser;
let page: Page;
let song: TaskView;

beforeAll(async () => {
  demo = await startStudioDemo('stemhook-ui-failures-', 'Failing Lanes', {
    STEMHOOK_DEMO_AUDIO_SECONDS: '4',
    STEMHOOK_DEMO_STAGE_MS: '200',
  });
  ({ browser, page } = demo);
  song = await waitForTask<TaskView>(
    demo.serve.hostFile,
    demo.song.id,
    (task) => task.state === 'complete' && task.tracks.every((t) => t.state === 'ready'),
  );
});

afterAll(async () => demo?.close());

const lane = (name: string) => page.locator(`.lane[aria-label="${name}"]`);

/** Opens the song in the studio from a fresh load of the app (a new studio, new audio session). */
async function openStudio(): Promise<void> {
  await page.goto('about:blank');
  await page.goto(demo.serve.hostFile.uiUrl);
  await page.locator(`[data-task-id="${song.id}"]`).click();
  await page.getByRole('button', { name: 'Open in studio' }).click();
}

/** Plays for `ticks` mixer reports and returns the loudest meter reading per lane name (0: unheard). */
async function heardWhilePlaying(ticks = 12): Promise<Record<string, number>> {
  const names = Object.fromEntries(
    await page
      .locator('.lane')
      .evaluateAll((rows) =>
        rows.map((row) => [row.getAttribute('data-lane-id'), row.getAttribute('aria-label')]),
      ),
  ) as Record<string, string>;
  // The first readings after play may still carry the previous mode's fade.
  const peaks = loudestPerLane(page, ticks, 2);
  await page.getByRole('button', { name: 'Play' }).click();
  const byId = await peaks;
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.getByRole('button', { name: 'Stop' }).click();
  return Object.fromEntries(Object.entries(names).map(([id, name]) => [name, byId[id] ?? 0]));
}

describe('Studio UI: failures and the mix', () => {
  it('zooming in and out while lanes load never blanks the app', async () => {
    await openStudio();
    // Zoom as fast as the keyboard can while every lane is being (re)created at each zoom's resolution.
    await page.evaluate(async () => {
      const press = (key: string) =>
        document.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
      for (let i = 0; i < 60; i++) {
        press(i % 4 < 2 ? '+' : '-');
        await new Promise((resolve) => setTimeout(resolve, i % 3));
      }
    });
    await page.locator('.studio[data-all-drawn="true"]').waitFor();
    expect(await page.locator('.lane').count()).toBe(3);
    expect(browser.errors.filter((e) => /No audio loaded|error boundary/i.test(e))).toEqual([]);
    expect(await page.locator('.lane-crashed, .view-crashed').count()).toBe(0);
  });

  it('Mix and B play the results only, A the source only, and inaudible lanes look it', async () => {
    await openStudio();
    await page.locator('.studio[data-all-drawn="true"]').waitFor();
    const mix = page.getByRole('radio', { name: 'Mix' });
    expect(await mix.getAttribute('aria-checked')).toBe('true');
    const heardInMix = await heardWhilePlaying();
    expect(heardInMix['vocal take.mp3']).toBe(0);
    expect(heardInMix['Take 1']).toBeGreaterThan(0.01);
    expect(heardInMix['Take 2']).toBeGreaterThan(0.01);
    expect(await lane('vocal take.mp3').getAttribute('data-audible')).toBe('false');
    expect(await lane('Take 1').getAttribute('data-audible')).toBe('true');

    await page.getByRole('radio', { name: 'A · Source' }).click();
    const heardInA = await heardWhilePlaying();
    expect(heardInA['vocal take.mp3']).toBeGreaterThan(0.01);
    expect(heardInA['Take 1']).toBe(0);
    expect(await lane('Take 1').getAttribute('data-audible')).toBe('false');
    expect(await lane('vocal take.mp3').getAttribute('data-audible')).toBe('true');
    await page.screenshot({ path: join(SHOTS, 'studio-ab-a-source.png') });

    await page.getByRole('radio', { name: 'B · Result' }).click();
    const heardInB = await heardWhilePlaying();
    expect(heardInB['vocal take.mp3']).toBe(0);
    expect(heardInB['Take 2']).toBeGreaterThan(0.01);
    await page.screenshot({ path: join(SHOTS, 'studio-ab-b-result.png') });

    await page.getByRole('radio', { name: 'Mix' }).click();
    await lane('Take 1').getByRole('button', { name: 'Solo Take 1' }).click();
    expect(await lane('Take 2').getAttribute('data-audible')).toBe('false');
    const opacity = (name: string) =>
      lane(name)
        .locator('.waveform')
        .evaluate((el) => Number(getComputedStyle(el).opacity));
    await poll(() => opacity('Take 2')).toBeLessThan(0.6);
    await poll(() => opacity('Take 1')).toBe(1);
    await page.screenshot({ path: join(SHOTS, 'studio-mix-solo.png') });
    await lane('Take 1').getByRole('button', { name: 'Solo Take 1' }).click();
    await lane('Take 1').getByRole('button', { name: 'Mute Take 1' }).click();
    expect(await lane('Take 1').getAttribute('data-audible')).toBe('false');
    await lane('Take 1').getByRole('button', { name: 'Mute Take 1' }).click();
  });

  it('shows each gain in dB and gives each take its own colour', async () => {
    const gain = lane('Take 2').locator('.gain-value');
    expect(await gain.textContent()).toBe('0.0 dB');
    const slider = lane('Take 2').getByLabel('Take 2 gain');
    await slider.focus();
    for (let i = 0; i < 7; i++) await slider.press('ArrowLeft');
    expect(await gain.textContent()).toBe('-3.5 dB');
    const swatch = (name: string) =>
      lane(name)
        .locator('.lane-swatch')
        .evaluate((el) => getComputedStyle(el).backgroundColor);
    const colours = new Set([await swatch('Take 1'), await swatch('Take 2'), await swatch('vocal take.mp3')]);
    expect(colours.size).toBe(3);
  });

  it('a lane whose audio cannot load says which and why, and the others play', async () => {
    const take2 = song.tracks[1];
    if (!take2) throw new Error('no second take');
    const library = join(demo.dataDir, 'library');
    const pcm = readdirSync(library, { recursive: true, encoding: 'utf8' }).find((file) =>
      file.endsWith(`${take2.id}.pcm`),
    );
    if (!pcm) throw new Error('no PCM cache for the second take');
    rmSync(join(library, pcm));
    await openStudio();
    const failed = lane('Take 2').locator('.lane-failure');
    await failed.waitFor();
    expect(await failed.textContent()).toMatch(/not in the library|404/);
    expect(await page.locator('.studio-header').textContent()).toMatch(/Take 2 could not be loaded/);
    const heard = await heardWhilePlaying();
    expect(heard['Take 1']).toBeGreaterThan(0.01);
    expect(heard['Take 2']).toBe(0);
    expect(await page.locator('.transport .loading').count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'studio-failed-lane.png') });
  });
});
