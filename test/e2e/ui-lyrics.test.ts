// Lyrics in the studio, in Debian Chromium against `stemhook serve` (demo): a lyrics lane under each
// take with its lines and dimmed unaligned words, the sung word lit at the playhead, a click on a line
// seeks there, section flags on the ruler (click jumps, double-click loops the section), and the
// [ and ] keys move between sections; the library search finds the task by a sung word.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskView } from '../../shared/domain.ts';
import type { LyricsView } from '../../shared/lyrics.ts';
import { callApi, launchBrowser, waitForTask, type Page, type TestBrowser } from '../helpers/browser.ts';
import { cleanEnv, ROOT, startServeProcess, stopProcess, type ServeProcess } from '../helpers/cli.ts';
import { writeToneMp3 } from '../helpers/tone-mp3.ts';

const SHOTS = join(ROOT, 'test-results');
const dataDir = mkdtempSync(join(tmpdir(), 'stemhook-ui-lyrics-'));
const env = cleanEnv({
  STEMHOOK_DATA_DIR: dataDir,
  STEMHOOK_DEMO_AUDIO_SECONDS: '24',
  STEMHOOK_DEMO_STAGE_MS: '200',
});
let serve: ServeProcess;
let browser: TestBrowser;
let page: Page;
let song: TaskView;
let lyrics: LyricsView;

const poll = <T>(read: () => Promise<T> | T, timeout = 30_000) =>
  expect.poll(read, { timeout, interval: 100 });

/** The transport clock (m:ss.cc) in seconds. */
async function clockSeconds(): Promise<number> {
  const text = (await page.getByTestId('clock').textContent()) ?? '';
  const [minutes = '0', seconds = '0'] = text.split(':');
  return Number(minutes) * 60 + Number(seconds);
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  const source = await writeToneMp3(join(dataDir, 'backing.mp3'), { seconds: 2 });
  serve = await startServeProcess(env, dataDir);
  await callApi(serve.hostFile, 'settings.update', { preferences: { 'ui.welcomed': '1' } });
  const submitted = await callApi<TaskView>(serve.hostFile, 'tasks.submit', {
    kind: 'add-vocals',
    source: { path: source },
    title: 'Harbor Lights',
    prompt: 'la la',
    style: 'pop',
    negativeTags: '',
  });
  song = await waitForTask<TaskView>(
    serve.hostFile,
    submitted.id,
    (t) =>
      t.state === 'complete' && t.tracks.every((tr) => tr.state === 'ready' && tr.lyrics?.state === 'found'),
    90_000,
  );
  lyrics = await callApi<LyricsView>(serve.hostFile, 'lyrics.get', { trackId: song.tracks[0]?.id });
  browser = await launchBrowser();
  page = browser.page;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (serve) await stopProcess(serve.child, 'SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('Studio UI: lyrics and sections', () => {
  it('library search finds the task by a word of its lyrics', async () => {
    await page.goto(serve.hostFile.uiUrl);
    const row = page.locator(`[data-task-id="${song.id}"]`);
    await row.waitFor();
    const search = page.getByRole('searchbox', { name: 'Search tasks' });
    await search.fill('zzzqx');
    await poll(() => row.count()).toBe(0);
    // A sung word that is not part of the title or the file name.
    const word = lyrics.lines
      .flatMap((line) => line.words.map((w) => w.text))
      .find((text) => !'harbor lights backing.mp3'.includes(text.toLowerCase()));
    await search.fill(word ?? '');
    await poll(() => row.count()).toBe(1);
    await search.fill('');
    await poll(() => row.count()).toBe(1);
  });

  it('shows a lyrics lane under each take and section flags on the ruler', async () => {
    await page.locator(`[data-task-id="${song.id}"]`).click();
    await page.getByRole('button', { name: 'Open in studio' }).click();
    await page.locator('.studio[data-all-drawn="true"]').waitFor();
    const lanes = page.locator('.lyrics-lane');
    await poll(() => lanes.count()).toBe(2);
    const first = page.locator(`.lyrics-lane[data-lyrics-of="${song.tracks[0]?.id}"]`);
    await poll(() => first.locator('.lyric-line').count()).toBe(lyrics.lines.length);
    // The lane sits right under its take.
    const order = await page
      .locator('.lanes > *')
      .evaluateAll((rows) =>
        rows.map((r) => r.getAttribute('data-lane-id') ?? r.getAttribute('data-lyrics-of')),
      );
    expect(order.filter((id) => !id?.startsWith('source:')).slice(0, 4)).toEqual([
      song.tracks[0]?.id,
      song.tracks[0]?.id,
      song.tracks[1]?.id,
      song.tracks[1]?.id,
    ]);
    expect(await first.locator('.lyric-word.unaligned').count()).toBeGreaterThan(0);
    // At the fit zoom of a narrow window a line's words are wider than its time: it is cut at the
    // next line, never drawn over it (the full line is in its tooltip).
    await page.setViewportSize({ width: 900, height: 720 });
    await poll(async () => {
      const boxes = await first
        .locator('.lyric-line')
        .evaluateAll((lines) => lines.map((line) => line.getBoundingClientRect()));
      return boxes.filter((box, i) => i > 0 && box.left < (boxes[i - 1]?.right ?? 0) - 0.5).length;
    }).toBe(0);
    expect(
      await first
        .locator('.lyric-line')
        .evaluateAll((lines) => lines.filter((line) => line.scrollWidth > line.clientWidth + 1).length),
    ).toBeGreaterThan(0);
    await page.setViewportSize({ width: 1280, height: 720 });
    const markers = page.getByTestId('section-marker');
    expect(await markers.allTextContents()).toEqual(lyrics.sections.map((s) => s.name));
  });

  it('a click on a flag jumps to the section, ] and [ move between sections, a line click seeks', async () => {
    const second = lyrics.sections[1];
    if (!second) throw new Error('the demo take should have two sections');
    await page.getByTestId('section-marker').nth(1).click();
    await poll(clockSeconds).toBeCloseTo(second.startSec, 1);
    await page.keyboard.press('[');
    await poll(clockSeconds).toBeCloseTo(lyrics.sections[0]?.startSec ?? -1, 1);
    await page.keyboard.press(']');
    await poll(clockSeconds).toBeCloseTo(second.startSec, 1);
    const line = lyrics.lines[2] ?? lyrics.lines[1];
    await page
      .locator(`.lyrics-lane[data-lyrics-of="${song.tracks[0]?.id}"] .lyric-line`)
      .nth(lyrics.lines.indexOf(line ?? lyrics.lines[0]!))
      .click();
    await poll(clockSeconds).toBeCloseTo(line?.startSec ?? -1, 1);
  });

  it('lights the sung word at the playhead, and never an unaligned one', async () => {
    const line = lyrics.lines[1];
    if (!line?.words[0]?.isAligned) throw new Error('the demo line should start with an aligned word');
    // A line click puts the playhead on the line's first word: the lane lights exactly that word.
    const lane = page.locator(`.lyrics-lane[data-lyrics-of="${song.tracks[0]?.id}"]`);
    await lane.locator('.lyric-line').nth(1).click();
    await poll(() => lane.locator('.lyric-word.sung').count()).toBe(1);
    expect(await lane.locator('.lyric-word.sung').textContent()).toBe(line.words[0]?.text);
    expect(await lane.locator('.lyric-word.sung.unaligned').count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'studio-lyrics.png') });
  });

  it('a double-click on a flag loops that section', async () => {
    const second = lyrics.sections[1];
    await page.getByTestId('section-marker').nth(1).dblclick();
    expect(await page.getByRole('button', { name: /Loop/ }).getAttribute('aria-pressed')).toBe('true');
    const loop = await page.evaluate(() => window.stemhookDebug?.studio?.loop());
    const rate = song.tracks[0]?.sampleRate ?? 44100;
    expect((loop?.start ?? 0) / rate).toBeCloseTo(second?.startSec ?? -1, 2);
    expect((loop?.end ?? 0) / rate).toBeCloseTo(second?.endSec ?? -1, 2);
    expect(browser.errors.filter((e) => !/favicon|404/.test(e))).toEqual([]);
  });
});
