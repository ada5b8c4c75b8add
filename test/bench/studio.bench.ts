// Studio benchmark (a script, not a test), in Debian Chromium against an in-process `stemhook serve`
// whose library holds one 13-lane song (a take and its 12 stems, ingested for real): the time to draw
// all lanes from stored peaks (the app's studio) against wavesurfer's default path (fetch + decode
// each MP3), A/B over several rounds, and the time from play to sound for the stems, cold and warm.
// Run: npx node test/bench/studio.bench.ts [--smoke] [--out=DIR]   (smoke: 10 s stems instead of 4 min)
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STEM_NAMES, type StemName } from '../../shared/domain.ts';
import { createIngestor } from '../../electron/core/audio/index.ts';
import { readHostConfig } from '../../electron/core/host/config.ts';
import { startServe } from '../../electron/core/host/serve.ts';
import { createStore } from '../../electron/core/store/index.ts';
import { launchBrowser, type Page } from '../helpers/browser.ts';
import { ROOT } from '../helpers/cli.ts';
import { makeTask } from '../helpers/task.ts';
import {
  benchFlags,
  FFMPEG,
  loadNow,
  machine,
  median,
  withTimeout,
  writeBenchMp3,
  writeReport,
} from './report.ts';

const { isSmoke, outDir: RESULTS_DIR, inputSeconds: SECONDS } = benchFlags();
const ROUNDS = isSmoke ? 2 : 3;
const WARM_PLAYS = 3;
const STEMS = STEM_NAMES.filter((s) => s !== 'take' && s !== 'instrumental');
/** The longest any one wait may take (in the page or here) before the bench fails instead of hanging. */
const WAIT_MS = isSmoke ? 60_000 : 180_000;

/**
 * A library with a take (the A/B source) and its 12 stems, decoded and stored like real downloads:
 * inside `library/<task>/` as the downloader puts them, since the audio routes serve nothing else.
 */
async function seedLibrary(dataDir: string): Promise<{ splitId: string; bytesInt16: number }> {
  const parentId = randomUUID();
  const splitId = randomUUID();
  const names: StemName[] = ['take', ...STEMS];
  const dirOf = (name: StemName) => join(dataDir, 'library', name === 'take' ? parentId : splitId);
  await Promise.all(
    [parentId, splitId].map((id) => mkdir(join(dataDir, 'library', id), { recursive: true })),
  );
  const files = names.map((name) => join(dirOf(name), `${name}.mp3`));
  for (let i = 0; i < files.length; i += 2)
    await Promise.all(
      files
        .slice(i, i + 2)
        .map((file, j) => writeBenchMp3(file, { seconds: SECONDS, index: i + j, noiseAmplitude: 0.2 })),
    );
  const ingestor = createIngestor();
  const audio = await withTimeout(
    Promise.all(files.map((mp3Path) => ingestor.ingest({ mp3Path, outBase: mp3Path.replace(/\.mp3$/, '') }))),
    'ingesting the lanes',
  );
  await ingestor.close();
  const store = createStore(join(dataDir, 'stemhook.db'));
  const at = Date.now();
  const task = (id: string, kind: 'add-instrumental' | 'split_stem', parent: string | null) =>
    makeTask({
      id,
      kind,
      title: 'Bench Song',
      parent_task_id: parent,
      parent_audio_id: parent ? 'take-1' : null,
      created_at: at,
    });
  store.transaction(() => {
    store.tasks.insert(task(parentId, 'add-instrumental', null));
    store.tasks.insert(task(splitId, 'split_stem', parentId));
    names.forEach((stem, i) => {
      const owner = stem === 'take' ? parentId : splitId;
      const announced = {
        key: stem === 'take' ? 'take-1' : stem,
        audioId: stem === 'take' ? 'take-1' : null,
        stem,
        title: null,
        url: null,
        streamUrl: null,
        imageUrl: null,
        durationSec: SECONDS,
        tags: null,
        prompt: null,
        modelName: null,
      };
      const { trackId } = store.tracks.merge(owner, announced, true, 'record-info', at);
      const result = audio[i];
      if (result) store.tracks.setIngested(trackId, { ...result, localPath: files[i] ?? '' }, at);
    });
    for (const id of [parentId, splitId]) {
      store.tasks.addStage(id, 'complete', at, 'record-info');
      store.tasks.setState(id, 'complete', at, null);
    }
  });
  store.close();
  return { splitId, bytesInt16: audio.reduce((sum, a) => sum + a.sampleCount * a.channels * 2, 0) };
}

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
  const { splitId, bytesInt16 } = await withTimeout(seedLibrary(dataDir), 'seeding the library', WAIT_MS * 2);
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
