// The studio in Debian Chromium against `stemhook serve` (demo): the first take plays before the task
// completes, a take is split into 12 stems from the library and opens as 14 drawn lanes (the take,
// the stems and their residual), a null test proves the engine keeps lanes sample-exact, and solo/mute/gain/loop/keyboard change what is heard
// (asserted on OfflineAudioContext renders through the real engine, never on timing).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TaskView } from '../../shared/domain.ts';
import { callApi, launchBrowser, waitForTask, type Page, type TestBrowser } from '../helpers/browser.ts';
import { cleanEnv, ROOT, startServeProcess, stopProcess, type ServeProcess } from '../helpers/cli.ts';
import { writeToneMp3 } from '../helpers/tone-mp3.ts';

const SHOTS = join(ROOT, 'test-results');
const dataDir = mkdtempSync(join(tmpdir(), 'stemhook-ui-studio-'));
const slowDir = mkdtempSync(join(tmpdir(), 'stemhook-ui-studio-slow-'));
const demo = (dir: string, stageMs: number) =>
  cleanEnv({
    STEMHOOK_DATA_DIR: dir,
    STEMHOOK_DEMO_AUDIO_SECONDS: '3',
    STEMHOOK_DEMO_STAGE_MS: String(stageMs),
  });
let serve: ServeProcess;
/** Stages 5 s apart, so the "first take ready" moment lasts long enough to act on even under load. */
let slow: ServeProcess;
let browser: TestBrowser;
let page: Page;
let song: TaskView;
let slowSong: TaskView;

const poll = <T>(read: () => Promise<T> | T, timeout = 30_000) =>
  expect.poll(read, { timeout, interval: 100 });
const isSaved = (task: TaskView) =>
  task.state === 'complete' && task.tracks.every((t) => t.state === 'ready');

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  const source = await writeToneMp3(join(dataDir, 'vocal take.mp3'), { seconds: 2 });
  [serve, slow] = await Promise.all([
    startServeProcess(demo(dataDir, 300), dataDir),
    startServeProcess(demo(slowDir, 5000), slowDir),
  ]);
  const submit = async (host: ServeProcess) => {
    await callApi(host.hostFile, 'settings.update', { preferences: { 'ui.welcomed': '1' } });
    const input = {
      kind: 'add-instrumental',
      source: { path: source },
      title: 'Harbor Lights',
      tags: 'folk',
      negativeTags: '',
    };
    return callApi<TaskView>(host.hostFile, 'tasks.submit', input);
  };
  [song, slowSong] = await Promise.all([submit(serve), submit(slow)]);
  browser = await launchBrowser();
  page = browser.page;
});

afterAll(async () => {
  await browser?.close();
  if (serve) await stopProcess(serve.child, 'SIGKILL');
  if (slow) await stopProcess(slow.child, 'SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(slowDir, { recursive: true, force: true });
});

interface RenderStats {
  hash: number;
  rms: number;
}

/**
 * Renders the first second of the studio's current mix offline through the real engine: all lanes as
 * set, or just some stems (`only`/`except`), optionally at unity instead of as set.
 */
async function renderInPage(
  target: Page,
  pick: { only?: string[]; except?: string[]; unity?: boolean },
): Promise<RenderStats> {
  return target.evaluate(async ({ only, except, unity }) => {
    const debug = window.stemhookDebug;
    if (!debug?.studio) throw new Error('no studio open');
    const stemOf = (id: string) =>
      document.querySelector(`.lane[data-lane-id="${id}"]`)?.getAttribute('data-stem') ?? '';
    const lanes = debug.studio
      .lanes()
      .filter(
        (lane) =>
          (only ?? [stemOf(lane.id)]).includes(stemOf(lane.id)) && !(except ?? []).includes(stemOf(lane.id)),
      )
      .map((lane) => (unity ? { ...lane, mix: { gain: 1, isMuted: false, isSoloed: false } } : lane));
    const channels = await debug.renderOffline({
      sampleRate: lanes[0]?.sampleRate ?? 44100,
      startFrame: 0,
      frames: 44_100,
      lanes,
    });
    let hash = 2166136261;
    let energy = 0;
    for (const channel of channels) {
      const bits = new Uint32Array(channel.buffer, channel.byteOffset, channel.length);
      for (let i = 0; i < bits.length; i++) hash = Math.imul(hash ^ (bits[i] ?? 0), 16777619) >>> 0;
      for (const v of channel) energy += v * v;
    }
    return { hash, rms: Math.sqrt(energy / (channels.length * 44_100)) };
  }, pick);
}

async function laneIds(): Promise<string[]> {
  return page
    .locator('.lane')
    .evaluateAll((lanes) => lanes.map((lane) => lane.getAttribute('data-lane-id') ?? ''));
}

describe('Studio UI: studio', () => {
  it('plays the first take as soon as the first stage arrives', async () => {
    await page.goto(slow.hostFile.uiUrl);
    await page.locator(`[data-task-id="${slowSong.id}"]`).click();
    const open = page.getByRole('button', { name: 'Open in studio' });
    await poll(() => open.isEnabled());
    const task = await callApi<TaskView>(slow.hostFile, 'tasks.get', { id: slowSong.id });
    expect(task.state).not.toBe('complete');
    // After the first click in the library, a throwaway audio context loaded the mixer's module
    // (renderer/src/audio/warm-up.ts): the studio's own context then starts without either
    // first-time cost.
    await page.waitForFunction(() => window.stemhookDebug?.marks['audio-warmed'] !== undefined);
    await open.click();
    // The studio opens from the first stage (the take may still be streaming, not yet downloaded).
    expect(await page.locator('.studio-header .eyebrow').textContent()).toMatch(/First take ready/);
    // Drawn once downloaded: that wait now includes the download, so it gets the download's time.
    await page.locator('.lane[data-stem="take"] [data-drawn="true"]').first().waitFor({ timeout: 45_000 });
    await page.waitForFunction(() => window.stemhookDebug?.studio !== null);
    const sounding = page.evaluate(
      () =>
        new Promise<boolean>((resolve) => {
          window.stemhookDebug?.studio?.engine.on((e) => e.type === 'sounding' && resolve(true));
          setTimeout(() => resolve(false), 10_000);
        }),
    );
    await page.getByRole('button', { name: 'Play' }).click();
    expect(await sounding).toBe(true);
    await page.getByRole('button', { name: 'Pause' }).click();
    // The second take joins the open studio live when the task completes.
    await waitForTask<TaskView>(slow.hostFile, slowSong.id, isSaved);
    await poll(async () => (await laneIds()).length).toBe(3);
  });

  it('splits a take into 12 stems from the library and opens them as 14 drawn lanes', async () => {
    await waitForTask<TaskView>(serve.hostFile, song.id, isSaved);
    await page.goto(serve.hostFile.uiUrl);
    await page.locator(`[data-task-id="${song.id}"]`).click();
    await page.getByRole('button', { name: 'Split Take 1 into stems' }).click();
    await page.getByRole('dialog', { name: 'Split Take 1' }).getByRole('button', { name: 'Split' }).click();
    let split: TaskView | undefined;
    await poll(
      async () =>
        (split = (await callApi<TaskView[]>(serve.hostFile, 'tasks.list', { kind: 'split_stem' }))[0]) !==
        undefined,
    ).toBe(true);
    await waitForTask<TaskView>(serve.hostFile, split?.id ?? '', isSaved);
    const clickedAt = await page.evaluate(() => {
      performance.setResourceTimingBufferSize(10_000);
      return performance.now();
    });
    await page.getByRole('button', { name: 'Open in studio' }).click();
    await page.locator('.studio[data-all-drawn="true"][data-lane-count="14"]').waitFor();
    // Streaming from the PCM cache is the default engine (whole-song only when chosen for diagnosis).
    expect(await page.evaluate(() => window.stemhookDebug?.studio?.engine.kind)).toBe('stream');
    // Every lane's first chunk was asked for once, in one request sent before the studio's audio was
    // even ready (renderer/src/audio/opening-read.ts); the reader took it from there.
    const reads = await page.evaluate(
      (since) => ({
        audioReady: window.stemhookDebug?.marks['studio-audio-ready'] ?? NaN,
        pcm: performance
          .getEntriesByType('resource')
          .filter((e) => e.name.includes('/pcm16') && e.startTime >= since)
          .map((e) => ({ at: e.startTime, query: new URL(e.name).searchParams.get('ranges') ?? '' })),
      }),
      clickedAt,
    );
    const [opening, ...later] = reads.pcm;
    expect(opening?.at).toBeLessThan(reads.audioReady);
    const firstChunks = (query: string | undefined) =>
      (query ?? '').split(',').filter((range) => /:0-\d+$/.test(range));
    expect(firstChunks(opening?.query).length).toBeGreaterThanOrEqual(13);
    for (const range of firstChunks(opening?.query))
      expect(later.filter((read) => read.query.split(',').includes(range))).toEqual([]);
    const painted = await page.locator('.lane .waveform').evaluateAll((boxes) =>
      boxes.map((box) => {
        const canvases = Array.from(box.firstElementChild?.shadowRoot?.querySelectorAll('canvas') ?? []);
        return canvases.reduce((sum, canvas) => {
          const data = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? [];
          let inked = 0;
          for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 0) > 0) inked++;
          return sum + inked;
        }, 0);
      }),
    );
    expect(painted).toHaveLength(14);
    for (const pixels of painted) expect(pixels).toBeGreaterThan(0);
    expect(await page.locator('.lane[data-stem="woodwinds"] .badge-empty').count()).toBe(1);
    expect(await page.locator('.lane[data-stem="drums"] .badge-empty').count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'studio-13-lanes.png') });
  });

  it('draws each waveform once as the studio opens, and again when its width changes', async () => {
    // wavesurfer's resize observer used to draw every lane a second time 100 ms after it was made (its
    // first report), in the middle of the opening a Play pressed at once waits behind.
    const draws = () =>
      page
        .locator('.lane .waveform')
        .evaluateAll((boxes) => boxes.map((box) => box.getAttribute('data-draws')));
    await page.waitForTimeout(500);
    expect(await draws()).toEqual(Array.from({ length: 14 }, () => '1'));
    await page.setViewportSize({ width: 1100, height: 800 });
    try {
      await expect.poll(draws, { timeout: 5000 }).toEqual(Array.from({ length: 14 }, () => '2'));
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
    await expect.poll(draws, { timeout: 5000 }).toEqual(Array.from({ length: 14 }, () => '3'));
  });

  it('null test: a stem and its inverted copy started through the engine cancel to silence', async () => {
    const stats = await page.evaluate(async () => {
      const debug = window.stemhookDebug;
      const drums = debug?.studio
        ?.lanes()
        .find(
          (lane) =>
            lane.trackId && document.querySelector(`.lane[data-lane-id="${lane.id}"][data-stem="drums"]`),
        );
      if (!debug || !drums?.trackId) throw new Error('no drums lane');
      const token = sessionStorage.getItem('stemhook.token') ?? '';
      const bytes = await (
        await fetch(`/api/tracks/${drums.trackId}/pcm16`, { headers: { authorization: `Bearer ${token}` } })
      ).arrayBuffer();
      const inverted = new Int16Array(bytes).map((v) => (v === -32768 ? 32767 : -v));
      const unity = { gain: 1, isMuted: false, isSoloed: false };
      // Start just before a chunk boundary, loop across it, and wrap several times.
      const request = {
        sampleRate: drums.sampleRate,
        startFrame: 126_000,
        frames: 44_100,
        loop: { isOn: true, start: 125_000, end: 132_000 },
      };
      const peak = (channels: Float32Array[]) =>
        Math.max(...channels.map((c) => c.reduce((m, v) => Math.max(m, Math.abs(v)), 0)));
      const alone = await debug.renderOffline({ ...request, lanes: [{ ...drums, mix: unity }] });
      const both = await debug.renderOffline({
        ...request,
        lanes: [
          { ...drums, mix: unity },
          { ...drums, id: 'inverted', trackId: undefined, pcm: inverted, mix: unity },
        ],
      });
      return { alone: peak(alone), both: peak(both) };
    });
    expect(stats.alone).toBeGreaterThan(0.01);
    expect(stats.both).toBe(0);
  });

  it('solo, mute and gain change what is heard, sample for sample', async () => {
    const drums = page.locator('.lane[data-stem="drums"]');
    const bass = page.locator('.lane[data-stem="bass"]');
    const all = await renderInPage(page, {});
    await drums.getByRole('button', { name: 'Solo Drums' }).click();
    const soloed = await renderInPage(page, {});
    const drumsAlone = await renderInPage(page, { only: ['drums'], unity: true });
    expect(soloed.hash).toBe(drumsAlone.hash);
    expect(soloed.hash).not.toBe(all.hash);
    await drums.getByRole('button', { name: 'Solo Drums' }).click();
    await drums.getByRole('button', { name: 'Mute Drums' }).click();
    const muted = await renderInPage(page, {});
    // "Mix" plays the results only: the A/B source (Take 1) is not part of it.
    // The source and the residual are not in the mix (stems + residual would add up to the source).
    const withoutDrums = await renderInPage(page, { except: ['drums', 'source', 'residual'], unity: true });
    expect(muted.hash).toBe(withoutDrums.hash);
    await drums.getByRole('button', { name: 'Mute Drums' }).click();
    await bass.getByRole('button', { name: 'Solo Bass' }).click();
    const slider = bass.getByLabel('Bass gain');
    await slider.focus();
    for (let i = 0; i < 12; i++) await slider.press('ArrowLeft');
    expect(await slider.getAttribute('aria-valuetext')).toBe('-6.0 dB');
    const quieter = await renderInPage(page, {});
    const bassUnity = await renderInPage(page, { only: ['bass'], unity: true });
    expect(quieter.rms / bassUnity.rms).toBeCloseTo(10 ** (-6 / 20), 4);
    await bass.getByRole('button', { name: 'Solo Bass' }).click();
  });

  it('while playing, draws each meter and the clock at most 30 times a second, and nothing while paused', async () => {
    // Every style or text write makes Blink allocate (a new ComputedStyle, layout objects): the 14
    // meters and the clock written on every frame piled up tens of MB of its garbage in a minute.
    // So the meters and the clock's face are canvases (drawn, never styled), and while a song plays
    // the DOM changes only at the playhead, the sung word and, once a second, the clock's text.
    const activity = (ms: number) =>
      page.evaluate(
        (span) =>
          new Promise<{
            meterDraws: number;
            lanes: number;
            litMeters: number;
            clockDraws: number;
            clockShows: string;
            clockText: number;
            other: string[];
            engineAt: number;
          }>((resolve) => {
            const meters = Array.from(document.querySelectorAll<HTMLCanvasElement>('canvas.meter'));
            const counts = {
              meterDraws: 0,
              lanes: meters.length,
              litMeters: 0,
              clockDraws: 0,
              clockShows: '',
              clockText: 0,
              other: [] as string[],
              engineAt: NaN,
            };
            const prototype = CanvasRenderingContext2D.prototype;
            const { fillRect, fillText } = prototype;
            prototype.fillRect = function (this: CanvasRenderingContext2D, ...args) {
              if (this.canvas.classList.contains('meter')) counts.meterDraws += 1;
              return fillRect.apply(this, args);
            };
            prototype.fillText = function (this: CanvasRenderingContext2D, ...args) {
              if (this.canvas.classList.contains('clock-face')) {
                counts.clockDraws += 1;
                counts.clockShows = args[0];
              }
              return fillText.apply(this, args);
            };
            const clock = document.querySelector('.clock');
            const observer = new MutationObserver((records) => {
              for (const record of records) {
                const target = record.target instanceof Element ? record.target : record.target.parentElement;
                if (target && clock?.contains(target)) counts.clockText += 1;
                // The playhead moves a pixel at a time; the sung word changes a few times a second.
                else if (!target?.classList.contains('playhead') && !target?.classList.contains('lyric-word'))
                  counts.other.push(
                    `${record.type} ${target?.className ?? '?'} ${record.attributeName ?? ''}`,
                  );
              }
            });
            observer.observe(document.querySelector('.studio') ?? document.body, {
              subtree: true,
              childList: true,
              attributes: true,
              characterData: true,
            });
            setTimeout(() => {
              observer.disconnect();
              prototype.fillRect = fillRect;
              prototype.fillText = fillText;
              const engine = window.stemhookDebug?.studio?.engine;
              if (engine) counts.engineAt = engine.position() / engine.context.sampleRate;
              // A meter with anything drawn in it (its bar's first pixel is not transparent).
              counts.litMeters = meters.filter(
                (meter) => (meter.getContext('2d')?.getImageData(0, 0, 1, 1).data[3] ?? 0) > 0,
              ).length;
              resolve(counts);
            }, span);
          }),
        ms,
      );
    const engineSeconds = () =>
      page.evaluate(() => {
        const engine = window.stemhookDebug?.studio?.engine;
        return engine ? engine.position() / engine.context.sampleRate : NaN;
      });
    const clockSeconds = (text: string) => {
      const [minutes = 'x', seconds = 'x'] = text.split(':');
      return Number(minutes) * 60 + Number(seconds);
    };
    // Every meter is drawn at its box's size in device pixels (not stretched from a tiny canvas).
    const sizes = await page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLCanvasElement>('canvas.meter')).map(
        (meter) => meter.width - Math.round(meter.getBoundingClientRect().width * window.devicePixelRatio),
      ),
    );
    expect(sizes.length).toBe(14);
    expect(sizes.every((difference) => Math.abs(difference) <= 1)).toBe(true);
    await page.getByRole('button', { name: 'Play' }).click();
    const playing = await activity(2000);
    await page.getByRole('button', { name: 'Pause' }).click();
    // The meters fall back to zero within about a second, then nothing moves.
    await page.waitForTimeout(1500);
    const paused = await activity(1000);
    expect(playing.lanes).toBe(14);
    expect(playing.litMeters).toBeGreaterThan(0);
    expect(playing.meterDraws).toBeGreaterThan(0);
    expect(playing.meterDraws).toBeLessThanOrEqual(playing.lanes * 2 * 31);
    expect(playing.clockDraws).toBeGreaterThan(20);
    expect(playing.clockDraws).toBeLessThanOrEqual(2 * 31);
    // The face shows the engine's position (its last draw is at most an update or two old).
    expect(Math.abs(clockSeconds(playing.clockShows) - playing.engineAt)).toBeLessThan(0.1);
    expect(playing.clockText).toBeGreaterThan(0);
    expect(playing.clockText).toBeLessThanOrEqual(3 * 2);
    expect(playing.other).toEqual([]);
    expect(paused).toMatchObject({ meterDraws: 0, litMeters: 0, clockDraws: 0, clockText: 0, other: [] });
    // Standing still, the clock's text is exact: it reads what the face shows.
    const shown = await page.getByTestId('clock').textContent();
    expect(Math.abs(clockSeconds(shown ?? '') - (await engineSeconds()))).toBeLessThan(0.001);
  });

  it('while playing, paints the lanes and the transport into the page layer, not a layer per meter', async () => {
    // Chromium gives every 2D canvas (waveforms, meters, clock) a compositor layer, and whatever
    // paints after a layer and overlaps it must go in a layer above it. With the meters and the
    // clock painted before the rest of their lane and bar, 14 lanes had 21 such "overlap" layers
    // (about 7 MB of tiles without a GPU, where tiles are the renderer's memory).
    type Layer = { layerId: string; drawsContent: boolean; backendNodeId?: number };
    const cdp = await page.context().newCDPSession(page);
    try {
      const tree = new Promise<Layer[]>((resolve) =>
        cdp.on('LayerTree.layerTreeDidChange', (event: { layers?: Layer[] }) => {
          if (event.layers?.some((layer) => layer.drawsContent)) resolve(event.layers);
        }),
      );
      await cdp.send('LayerTree.enable');
      await page.getByRole('button', { name: 'Play' }).click();
      const layers = await tree;
      const overlaps: string[] = [];
      for (const layer of layers.filter((l) => l.drawsContent)) {
        const { compositingReasonIds = [] } = await cdp.send('LayerTree.compositingReasons', {
          layerId: layer.layerId,
        });
        if (!compositingReasonIds.includes('Overlap') || layer.backendNodeId === undefined) continue;
        const { node } = await cdp.send('DOM.describeNode', { backendNodeId: layer.backendNodeId });
        const attributes = node.attributes ?? [];
        const classAt = attributes.indexOf('class');
        overlaps.push(`${node.nodeName}.${classAt >= 0 ? (attributes[classAt + 1] ?? '') : ''}`);
      }
      // Left over: the playhead's column, the residual's leak meter and the sticky ruler, each over
      // waveform canvases.
      expect(overlaps.length, overlaps.join(', ')).toBeLessThanOrEqual(3);
      expect(overlaps.filter((name) => /gain-value|\.lanes?\b|transport|zoom|^BUTTON/.test(name))).toEqual(
        [],
      );
    } finally {
      await cdp.detach().catch(() => undefined);
      if (await page.getByRole('button', { name: 'Pause' }).isVisible())
        await page.getByRole('button', { name: 'Pause' }).click();
    }
  });

  it('redraws the meters and the clock sharp when the window moves to a screen of another pixel ratio', async () => {
    // A laptop's window dragged to a 2x monitor: a canvas sized for the old ratio is stretched (blurry).
    const blur = () =>
      page.evaluate(() => {
        const ratio = window.devicePixelRatio;
        const off = (canvas: HTMLCanvasElement | null) =>
          canvas ? Math.abs(canvas.width - Math.round(canvas.getBoundingClientRect().width * ratio)) : NaN;
        const meters = Array.from(document.querySelectorAll<HTMLCanvasElement>('canvas.meter'));
        return {
          ratio,
          lanes: meters.length,
          meters: Math.max(...meters.map(off)),
          clock: off(document.querySelector<HTMLCanvasElement>('canvas.clock-face')),
        };
      });
    const cdp = await page.context().newCDPSession(page);
    try {
      for (const [ratio, height] of [
        [2, 799],
        [1, 800],
      ] as const) {
        // Headless Chromium's emulation tells the page of a new ratio (the `resolution` media query)
        // only with a new viewport, so the height moves by a pixel; the canvases' boxes do not.
        await cdp.send('Emulation.setDeviceMetricsOverride', {
          width: 1280,
          height,
          deviceScaleFactor: ratio,
          mobile: false,
        });
        await page.waitForFunction((wanted) => window.devicePixelRatio === wanted, ratio);
        // The resize observers report on the next frame.
        await expect.poll(blur, { timeout: 5000 }).toEqual({ ratio, lanes: 14, meters: 0, clock: 0 });
      }
    } finally {
      await cdp.send('Emulation.clearDeviceMetricsOverride').catch(() => undefined);
      await cdp.detach().catch(() => undefined);
    }
  });

  it('loops a region chosen on the timeline, on every lane, without a gap', async () => {
    const ruler = page.getByTestId('ruler');
    const box = await ruler.boundingBox();
    if (!box) throw new Error('no ruler');
    await page.mouse.move(box.x + box.width * 0.2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.45, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    expect(await page.getByTestId('loop-range').textContent()).toMatch(/0:00\.\d+ – 0:01\.\d+/);
    expect(await page.getByRole('button', { name: /Loop/ }).getAttribute('aria-pressed')).toBe('true');
    const period = await page.evaluate(async () => {
      const studio = window.stemhookDebug?.studio;
      const debug = window.stemhookDebug;
      if (!studio || !debug) throw new Error('no studio');
      const loop = studio.loop();
      const length = loop.end - loop.start;
      const lanes = studio.lanes();
      const [left] = await debug.renderOffline({
        sampleRate: lanes[0]?.sampleRate ?? 44100,
        startFrame: loop.start,
        frames: length * 3,
        loop,
        lanes,
      });
      let mismatches = 0;
      for (let i = 0; i < length * 2; i++) if (left?.[i] !== left?.[i + length]) mismatches++;
      return { length, mismatches, isOn: loop.isOn };
    });
    expect(period.isOn).toBe(true);
    expect(period.length).toBeGreaterThan(10_000);
    expect(period.mismatches).toBe(0);
    await page.keyboard.press('l');
    expect(await page.getByRole('button', { name: /Loop/ }).getAttribute('aria-pressed')).toBe('false');
  });

  it('exports the open task as aligned WAVs, and offers each lane as a download', async () => {
    const download = page.waitForEvent('download');
    await page.locator('.lane[data-stem="drums"]').hover();
    await page.getByRole('button', { name: 'Download Drums as WAV' }).click();
    const file = await download;
    const saved = join(dataDir, 'drums-download.wav');
    await file.saveAs(saved);
    expect(readFileSync(saved).subarray(0, 4).toString('latin1')).toBe('RIFF');
    expect(file.suggestedFilename()).toMatch(/Drums\.wav$/);

    await page.getByRole('button', { name: 'Export…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export stems' });
    const out = join(dataDir, 'exported');
    await dialog.getByLabel('Folder').fill(out);
    // 12 stems, the take's lyrics as .lrc (a split carries its take's) and provenance.json.
    await poll(() => dialog.locator('.export-files li').count()).toBe(14);
    expect(await dialog.locator('.export-files li', { hasText: '.lrc' }).count()).toBe(1);
    await page.screenshot({ path: join(SHOTS, 'export-dialog.png') });
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    await page.getByRole('dialog', { name: 'Exported' }).waitFor();
    const wavs = readdirSync(out).filter((name) => name.endsWith('.wav'));
    expect(wavs).toHaveLength(12);
    await page.getByRole('button', { name: 'Done' }).click();
  });

  it('drives the transport, solo, mute, lane selection and zoom from the keyboard', async () => {
    await page.locator('.studio-title').click();
    const clock = page.getByTestId('clock');
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowRight');
    await poll(() => clock.textContent()).toBe('0:01.000');
    await page.keyboard.press('ArrowDown');
    const selected = page.locator('.lane.selected');
    const name = (await selected.getAttribute('aria-label')) ?? '';
    await page.keyboard.press('s');
    expect(await selected.getByRole('button', { name: `Solo ${name}` }).getAttribute('aria-pressed')).toBe(
      'true',
    );
    await page.keyboard.press('m');
    expect(await selected.getByRole('button', { name: `Mute ${name}` }).getAttribute('aria-pressed')).toBe(
      'true',
    );
    await page.keyboard.press('s');
    await page.keyboard.press('m');
    await page.keyboard.press('+');
    expect(await page.locator('.zoom-level').textContent()).toBe('20 px/s');
    await page.keyboard.press('-');
    expect(await page.locator('.zoom-level').textContent()).toBe('Fit');
    await page.keyboard.press(' ');
    await page.getByRole('button', { name: 'Pause' }).waitFor();
    await poll(async () => (await clock.textContent()) !== '0:01.000').toBe(true);
    await page.keyboard.press(' ');
    await page.getByRole('button', { name: 'Play' }).waitFor();
    expect(browser.errors.filter((e) => !/favicon|404/.test(e))).toEqual([]);
  });
});
