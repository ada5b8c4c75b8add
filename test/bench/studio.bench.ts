// Studio benchmark (a script, not a test), in Debian Chromium against an in-process `stemhook serve`
// whose library holds one 13-lane song (a take and its 12 stems, ingested for real): the time to draw
// all lanes from stored peaks (the app's studio) against wavesurfer's default path (fetch + decode
// each MP3), A/B over several rounds, and the time from play to sound for the stems, cold and warm.
// Run: npx node test/bench/studio.bench.ts [--smoke] [--out=DIR]   (smoke: 10 s stems instead of 4 min)
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readHostConfig } from '../../electron/core/host/config.ts';
import { startServe } from '../../electron/core/host/serve.ts';
import { launchBrowser, type Page } from '../helpers/browser.ts';
import { ROOT } from '../helpers/cli.ts';
import { benchFlags, FFMPEG, loadNow, machine, median, withTimeout, writeReport } from './report.ts';
import { seedSongs } from './seed-song.ts';

const { isSmoke, outDir: RESULTS_DIR, inputSeconds: SECONDS } = benchFlags();
const ROUNDS = isSmoke ? 2 : 3;
const WARM_PLAYS = 3;
/** The longest any one wait may take (in the page or here) before the bench fails instead of hanging. */
const WAIT_MS = isSmoke ? 60_000 : 180_000;

/** Ours: click "Open in studio" until every lane is drawn (tracks.peaks + wavesurfer, no audio). */
async function drawFromPeaks(page: Page, uiUrl: string, splitId: string): Promise<number> {
  await page.goto(uiUrl);
  await page.locator(`[data-task-id="${splitId}"]`).click();
  await page.getByRole('button', { name: 'Open in studio' }).waitFor();
  return page.evaluate(async (waitMs) => {
    const button = Array.from(document.querySelectorAll('button')).find(
      (b) => b.textContent === 'Open in studio',
    );
    const start = performance.now();
    button?.click();
    const marks = () => window.stemhookDebug?.marks ?? {};
    delete marks()['studio-lanes-drawn'];
    while (marks()['studio-lanes-drawn'] === undefined) {
      if (performance.now() - start > waitMs) throw new Error('the studio did not draw every lane');
      await new Promise((r) => setTimeout(r, 2));
    }
    return (marks()['studio-lanes-drawn'] ?? NaN) - start;
  }, WAIT_MS);
}

/** Baseline: wavesurfer's default path, `url` per lane (fetch the MP3, decode it, draw). */
async function drawFromUrls(page: Page, uiUrl: string, trackIds: string[]): Promise<number> {
  await page.goto(uiUrl);
  await page.addScriptTag({ path: join(ROOT, 'node_modules/wavesurfer.js/dist/wavesurfer.min.js') });
  return page.evaluate(
    async ({ ids, waitMs }) => {
      type Ws = { on(event: string, cb: (error?: Error) => void): void; destroy(): void };
      const WaveSurfer = (window as unknown as { WaveSurfer: { create(o: object): Ws } }).WaveSurfer;
      const token = sessionStorage.getItem('stemhook.token') ?? '';
      const host = document.createElement('div');
      host.style.cssText = 'position:fixed;inset:0;background:#000;z-index:99';
      document.body.append(host);
      const start = performance.now();
      const all = ids.map((id) => {
        const container = document.createElement('div');
        host.append(container);
        const ws = WaveSurfer.create({
          container,
          height: 40,
          url: `/api/tracks/${id}/file`,
          fetchParams: { headers: { authorization: `Bearer ${token}` } },
        });
        return new Promise<Ws>((resolve, reject) => {
          ws.on('ready', () => resolve(ws));
          ws.on('error', (error) => reject(new Error(`track ${id}: ${error?.message ?? 'load failed'}`)));
        });
      });
      const expired = new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('wavesurfer did not decode every lane')), waitMs),
      );
      const instances = await Promise.race([Promise.all(all), expired]);
      await new Promise((r) => requestAnimationFrame(() => r(null)));
      const elapsed = performance.now() - start;
      instances.forEach((ws) => ws.destroy());
      host.remove();
      return elapsed;
    },
    { ids: trackIds, waitMs: WAIT_MS },
  );
}

/** Play to sound: cold right after opening (nothing in memory yet), then warm (stop, play again). */
async function playToSound(
  page: Page,
): Promise<{ coldMs: number; warmMs: number[]; outputLatencyMs: number }> {
  return page.evaluate(
    async ({ warmPlays, waitMs }) => {
      const playButton = () => document.querySelector<HTMLButtonElement>('.transport-play');
      const opened = performance.now();
      while (!window.stemhookDebug?.studio || playButton()?.disabled) {
        if (performance.now() - opened > waitMs) throw new Error('the transport never became ready');
        await new Promise((r) => setTimeout(r, 1));
      }
      const engine = window.stemhookDebug.studio.engine;
      const press = async () => {
        const sounding = new Promise<number>((resolve, reject) => {
          const off = engine.on((e) => {
            if (e.type !== 'sounding') return;
            off();
            resolve(performance.now());
          });
          setTimeout(() => {
            off();
            reject(new Error('play made no sound (a lane stalled the mixer)'));
          }, waitMs);
        });
        const start = performance.now();
        playButton()?.click();
        return (await sounding) - start;
      };
      const coldMs = await press();
      const warmMs: number[] = [];
      for (let i = 0; i < warmPlays; i++) {
        await new Promise((r) => setTimeout(r, 300));
        playButton()?.click();
        document.querySelector<HTMLButtonElement>('[aria-label="Stop"]')?.click();
        await new Promise((r) => setTimeout(r, 100));
        warmMs.push(await press());
      }
      playButton()?.click();
      const context = engine.context as AudioContext;
      return {
        coldMs,
        warmMs,
        outputLatencyMs: ((context.outputLatency ?? 0) + (context.baseLatency ?? 0)) * 1000,
      };
    },
    { warmPlays: WARM_PLAYS, waitMs: WAIT_MS },
  );
}

const round = (n: number) => Math.round(n * 10) / 10;

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'stemhook-studio-bench-'));
  const loadAtStart = loadNow();
  console.log(`seeding a 13-lane song of ${SECONDS} s stems…`);
  const {
    songs: [{ splitId, bytesInt16 } = { splitId: '', bytesInt16: 0 }],
  } = await withTimeout(seedSongs(dataDir, SECONDS), 'seeding the library', WAIT_MS * 2);
  const host = await withTimeout(
    startServe(readHostConfig({ STEMHOOK_DATA_DIR: dataDir }), { log: () => undefined }),
    'starting the host',
    WAIT_MS,
  );
  const browser = await launchBrowser({ bypassCSP: true });
  try {
    await host.core.handlers['settings.update']({ preferences: { 'ui.welcomed': '1' } });
    const split = await host.core.handlers['tasks.get']({ id: splitId });
    const parent = await host.core.handlers['tasks.get']({ id: split.parentTaskId ?? '' });
    const trackIds = [...parent.tracks, ...split.tracks].map((t) => t.id);
    const uiUrl = host.api.uiUrl;
    await browser.page.goto(uiUrl);
    const base = host.api.origin;
    const peaks: number[] = [];
    const decode: number[] = [];
    const plays: Array<{ coldMs: number; warmMs: number[]; outputLatencyMs: number }> = [];
    for (let r = 0; r < ROUNDS; r++) {
      peaks.push(
        await withTimeout(drawFromPeaks(browser.page, `${base}/`, splitId), 'drawing from peaks', WAIT_MS),
      );
      plays.push(await withTimeout(playToSound(browser.page), 'play to sound', WAIT_MS));
      decode.push(
        await withTimeout(drawFromUrls(browser.page, `${base}/`, trackIds), 'drawing from URLs', WAIT_MS),
      );
      console.log(
        `round ${r + 1}: peaks ${round(peaks[r] ?? 0)} ms, url+decode ${round(decode[r] ?? 0)} ms, play cold ${round(plays[r]?.coldMs ?? 0)} ms`,
      );
    }
    const warm = plays.flatMap((p) => p.warmMs);
    const result = {
      date: new Date().toISOString(),
      smoke: isSmoke,
      machine: machine(loadAtStart),
      input: {
        lanes: trackIds.length,
        secondsEach: SECONDS,
        generator: existsSync(FFMPEG) ? 'ffmpeg' : 'lamejs',
      },
      rounds: ROUNDS,
      draw13Lanes: {
        peaksMs: peaks.map(round),
        urlDecodeMs: decode.map(round),
        medianPeaksMs: round(median(peaks)),
        medianUrlDecodeMs: round(median(decode)),
        speedup: round(median(decode) / median(peaks)),
        targetMs: 300,
      },
      playToSound: {
        lanes: trackIds.length,
        coldMs: plays.map((p) => round(p.coldMs)),
        warmMs: warm.map(round),
        medianColdMs: round(median(plays.map((p) => p.coldMs))),
        medianWarmMs: round(median(warm)),
        outputLatencyMs: round(plays[0]?.outputLatencyMs ?? 0),
        targets: { coldMs: 1000, warmMs: 100 },
      },
      memory: { int16Bytes: bytesInt16, float32Bytes: bytesInt16 * 2, ratio: 0.5 },
    };
    console.log(
      `draw 13 lanes: peaks ${result.draw13Lanes.medianPeaksMs} ms vs url+decode ${result.draw13Lanes.medianUrlDecodeMs} ms → ${result.draw13Lanes.speedup}x faster`,
    );
    console.log(
      `play to sound (${trackIds.length} lanes): cold ${result.playToSound.medianColdMs} ms, warm ${result.playToSound.medianWarmMs} ms (+${result.playToSound.outputLatencyMs} ms output latency)`,
    );
    console.log(
      `playback memory: ${(bytesInt16 / 2 ** 20).toFixed(1)} MB int16 vs ${((bytesInt16 * 2) / 2 ** 20).toFixed(1)} MB float32 (ratio 0.5)`,
    );
    await writeReport(RESULTS_DIR, 'studio.json', result);
  } finally {
    await browser.close();
    await host.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
