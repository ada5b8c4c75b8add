// Listening from the first stage (issue 11 §2), in Debian Chromium against `stemhook serve` (demo)
// whose simulated CDN trickles result files while KIE's stream URLs answer at once: "Open in studio"
// works before any file is downloaded, a take plays from its stream in its lane under the shared
// transport, its label says where its download stands, and when the file lands the engine takes over.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { TaskView } from '../../shared/domain.ts';
import { callApi, waitForTask, type Page } from '../helpers/browser.ts';
import {
  loopMostOfTheSong,
  loudestPerLane,
  poll,
  SHOTS,
  startStudioDemo,
  type StudioDemo,
} from '../helpers/studio-demo.ts';

let demo: StudioDemo;
let page: Page;

beforeAll(async () => {
  demo = await startStudioDemo('stemhook-ui-stream-', 'Early Bird', {
    // Short songs keep the simulator's synthesis (on the host's thread) quick on a loaded machine.
    STEMHOOK_DEMO_AUDIO_SECONDS: '10',
    STEMHOOK_DEMO_STAGE_MS: '300',
    // About 10 s per take: long enough to listen to the stream first, short enough for a test.
    STEMHOOK_DEMO_DOWNLOAD_BYTES_PER_SECOND: '15000',
  });
  page = demo.page;
});

afterAll(async () => demo?.close());

const streamOf = (trackId: string) => page.locator(`audio.stream-audio[data-lane-id="${trackId}"]`);

describe('Studio UI: listening from the first stage', () => {
  it('plays a take from its stream before its file is downloaded, then hands it to the engine', async () => {
    const announced = await waitForTask<TaskView>(
      demo.serve.hostFile,
      demo.song.id,
      (task) => task.tracks[0]?.streamUrl !== null && task.tracks.length > 0,
    );
    const take = announced.tracks[0];
    if (!take) throw new Error('no take announced');
    await page.goto(demo.serve.hostFile.uiUrl, { timeout: 60_000 });
    await page.locator(`[data-task-id="${demo.song.id}"]`).click();
    const open = page.getByRole('button', { name: 'Open in studio' });
    await poll(() => open.isEnabled()).toBe(true);
    const before = await callApi<TaskView>(demo.serve.hostFile, 'tasks.get', { id: demo.song.id });
    expect(before.tracks.some((t) => t.state === 'ready')).toBe(false);
    await open.click();

    const status = page.locator(`.lane[data-lane-id="${take.id}"] [data-testid="lane-status"]`);
    await poll(() => status.textContent()).toMatch(
      /Queued for download \(\d+ of \d+\)|Downloading \d+ %|Decoding/,
    );
    expect(await page.locator('.lanes').textContent()).not.toMatch(/Waiting for KIE/);

    // Loop most of the song, so it is still playing whenever the download lands.
    await loopMostOfTheSong(page);
    await page.getByRole('button', { name: 'Play' }).click();
    await poll(() =>
      streamOf(take.id).evaluate((audio: HTMLAudioElement) => !audio.paused && audio.currentTime > 0.3),
    ).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'studio-early-listening.png') });
    const clock = page.getByTestId('clock');
    await poll(async () => (await clock.textContent()) !== '0:00.000').toBe(true);

    await waitForTask<TaskView>(
      demo.serve.hostFile,
      demo.song.id,
      (task) => task.tracks.find((t) => t.id === take.id)?.state === 'ready',
      60_000,
    );
    // The lane's PCM reaches the mixer, the stream stops, and the same lane is heard from the engine.
    await poll(() => streamOf(take.id).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Pause' }).count()).toBe(1);
    const heard = (await loudestPerLane(page, 12))[take.id] ?? 0;
    expect(heard).toBeGreaterThan(0.01);
    const drift = await page.evaluate(() => window.stemhookDebug?.marks['handover-drift-ms'] ?? null);
    console.log(`stream to engine hand-over: ${drift?.toFixed(0)} ms from the shared clock`);
    expect(drift).not.toBeNull();
    expect(drift ?? Infinity).toBeLessThan(500);
    await page.screenshot({ path: join(SHOTS, 'studio-after-handover.png') });
    await page.getByRole('button', { name: 'Pause' }).click();
  });
});
