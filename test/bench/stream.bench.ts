// Streaming benchmark (a script, not a test): the studio's streaming engine (the default) against
// the whole-song engine (the same worklet holding every lane whole; each side is chosen with
// localStorage `stemhook.engine` = `stream` | `whole-song`), side by side in one run, 13 lanes, in
// Debian Chromium against an in-process `stemhook serve`. For a 4-minute and a 20-minute song: the
// renderer's peak memory, play to sound (cold, then warm), seek to sound at points across the song
// (clicks on the ruler), and underruns (blocks the mixer played silent for missing data) over a play
// while the host ingests another split (12 MP3s decoded into the PCM cache, over and over).
// Run: npx node test/bench/stream.bench.ts [--smoke] [--play=SECONDS] [--out=DIR] [--engine=stream]
//   [--memory-dump] [--inspector-copies]
//   smoke: 10 s stems; --play: how long each engine plays the songs (default: the whole 4-minute
//   song, and as long for the 20-minute one); --engine=stream: that side only; --memory-dump:
//   Chromium memory-infra dumps of the renderer by allocator (./memory-dump.ts) with the library
//   open, the studio open, after 20 and 60 s of play and after the seeks, printed and written to
//   memory-dump-*.json; --inspector-copies: keep the response bodies (up to 200 MB) Playwright's
//   DevTools session holds in the renderer by default (see ./memory-dump.ts).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createIngestor } from '../../electron/core/audio/index.ts';
import { readHostConfig } from '../../electron/core/host/config.ts';
import { startServe } from '../../electron/core/host/serve.ts';
import { launchBrowser, type Page } from '../helpers/browser.ts';
import {
  attributionTable,
  dropInspectorBodyCopies,
  startMemoryTracer,
  type MemoryMoment,
  type MemoryTracer,
} from './memory-dump.ts';
import { rendererMemoryMb, sampleRendererMemory } from './renderer-memory.ts';
import { benchFlags, loadNow, machine, median, withTimeout, writeReport } from './report.ts';
import { seedSongs, type SeededSong } from './seed-song.ts';

const flags = benchFlags();
const { isSmoke, outDir: RESULTS_DIR, inputSeconds: SECONDS } = flags;
const PLAY_SECONDS = Number(flags.args.find((a) => a.startsWith('--play='))?.slice(7) ?? SECONDS);
const LONG_REPEAT = 5;
const WARM_PLAYS = 3;
const SEEK_POINTS = [0.93, 0.07, 0.5, 0.71, 0.29, 0.85, 0.15, 0.62];
/** A whole-song engine on a long song can outgrow the machine; past this the run is stopped. */
const MEMORY_CAP_MB = 6000;
const ALL_ENGINES = ['whole-song', 'stream'] as const;
type EngineChoice = (typeof ALL_ENGINES)[number];
/** `--engine=stream` runs one side only (for diagnosis; the report compares both). */
const ENGINES = ALL_ENGINES.filter((e) =>
  flags.args.every((a) => !a.startsWith('--engine=') || a === `--engine=${e}`),
);
const isMemoryDump = flags.args.includes('--memory-dump');
/** `--inspector-copies`: leave Playwright's inspector keeping response bodies (up to 200 MB in the
 * renderer, see dropInspectorBodyCopies), as runs before December 2026 measured. */
const isKeepingInspectorCopies = flags.args.includes('--inspector-copies');
/** Seconds into the play at which `--memory-dump` takes a dump (those shorter than the play). */
const DUMP_AT_SECONDS = [20, 60];

interface RunResult {
  engine: EngineChoice;
  kind: string;
  songSeconds: number;
  playedSeconds: number;
  /** The renderer with the library open, before the studio (what no engine can go below). */
  libraryRssMb: number;
  peakRendererRssMb: number;
  /** What the page was doing when the RSS peaked (opening, playing, warm plays, seeks). */
  peakPhase: string;
  /** At that peak, what the kernel counted (MB): private anonymous, mapped files (Chromium's code,
   * shared with its other processes), shared memory. */
  peakParts: { anon: number; file: number; shmem: number };
  peakRendererPssMb: number;
  /** Private anonymous memory plus swap at its peak: Chromium's own measure of a process. */
  peakFootprintMb: number;
  /** The page's main-thread JS heap at the end (Chromium's performance.memory): the rest of the
   * renderer's memory is canvases, the worklet's own heap, buffers in flight. */
  mainJsHeapMb: number;
  /** What the context says its output adds after the mixer renders (baseLatency + outputLatency):
   * part of every time measured at the output, for any engine. */
  outputLatencyMs: number;
  coldPlayMs: number;
  /** The cold play timed at the audio output, and the main thread's long tasks in it. */
  coldPlayOutputMs: number;
  /** The cold play in the audio clock alone (see PlayTiming). */
  coldPlayMixerMs: number;
  coldPlayBusyMs: number;
  coldPlayAtPress: PlayTiming['atPress'] | null;
  coldPlayReads: PlayTiming['reads'] | null;
  coldPlayOpening: PlayTiming['opening'] | null;
  warmPlayMs: number[];
  seekMs: number[];
  /** The same seeks timed at the audio output: the first sounding sample's context time mapped to
   * the page's clock through AudioContext.getOutputTimestamp (when the output presents it), not when
   * the main thread heard of it (a busy main thread delays that message, not the sound). */
  seekOutputMs: number[];
  /** The same seeks in the audio clock alone (see PlayTiming). */
  seekMixerMs: number[];
  /** Per seek, where its time went (SeekTiming). */
  seekParts: NonNullable<SeekTiming['parts']>[];
  /** Underruns over the long play alone, and over the whole run (warm plays and seeks included). */
  underrunBlocksInPlay: number;
  underrunBlocks: number;
  stoppedAtMemoryCap: boolean;
  /** The PCM range requests the page made: how many, and how long they took. */
  pcmRequests: { count: number; medianMs: number; p95Ms: number; medianKb: number };
  /** `--memory-dump`: the renderer by allocator at each moment. */
  memory?: MemoryMoment[];
}

/** Ingests the split's MP3s again and again (another split arriving) until stopped. */
function backgroundIngest(mp3Files: string[], outDir: string): () => Promise<number> {
  const ingestor = createIngestor();
  let isRunning = true;
  let count = 0;
  const loop = (async () => {
    while (isRunning) {
      for (const [i, mp3Path] of mp3Files.entries()) {
        if (!isRunning) break;
        await ingestor.ingest({ mp3Path, outBase: join(outDir, `again-${i}`) });
        count += 1;
      }
    }
  })();
  return async () => {
    isRunning = false;
    await loop.catch(() => undefined);
    await ingestor.close();
    return count;
  };
}

async function openStudio(
  page: Page,
  uiUrl: string,
  song: SeededSong,
  engine: EngineChoice,
  onLibraryShown: () => Promise<void>,
): Promise<string> {
  // A fresh profile per run: the token travels in the URL fragment (the app keeps it for the tab).
  await page.goto(uiUrl);
  await page.evaluate((choice) => {
    localStorage.setItem('stemhook.engine', choice);
    performance.setResourceTimingBufferSize(1_000_000);
  }, engine);
  await page.locator(`[data-task-id="${song.splitId}"]`).click();
  await page.getByRole('button', { name: 'Open in studio' }).waitFor();
  await onLibraryShown();
  // As a producer's pace allows: the library warms the audio up after the first click
  // (renderer/src/audio/warm-up.ts), in its next idle moment; opened at once, the studio's own
  // context could start while the warm-up's was still loading (one short run without this wait:
  // audio ready 460-500 ms after the opening; the full runs with it: 83-183 ms).
  await page.waitForFunction(() => window.stemhookDebug?.marks['audio-warmed'] !== undefined, null, {
    timeout: 10_000,
  });
  // The studio's first read is sent as it mounts, just before its 'studio-open' mark.
  await page.evaluate(() => ((window as unknown as { benchOpenAt: number }).benchOpenAt = performance.now()));
  await page.getByRole('button', { name: 'Open in studio' }).click();
  await page.waitForFunction(
    () =>
      window.stemhookDebug?.studio && !document.querySelector<HTMLButtonElement>('.transport-play')?.disabled,
    null,
    { timeout: 60_000 },
  );
  // Page-side probes: the mixer's underrun count, and the time from a click to the first sound.
  return page.evaluate(() => {
    const probe = {
      underruns: 0,
      clickAt: 0,
      soundAt: 0,
      outAt: NaN,
      /** The context's time at the press or click, and at the first sounding sample. */
      pressTime: NaN,
      soundTime: NaN,
      longTasks: [] as Array<[number, number]>,
      puts: [] as number[],
    };
    (window as unknown as { benchProbe: typeof probe }).benchProbe = probe;
    // The main thread's long tasks (over 50 ms, Chromium's Long Tasks API): a seek's answer that
    // arrives during one waits for it.
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) probe.longTasks.push([entry.startTime, entry.duration]);
    }).observe({ type: 'longtask' });
    const engine = window.stemhookDebug?.studio?.engine;
    // When the reader hands each chunk to the mixer: splits a seek's time after its answer into the
    // page reading it and the mixer (its thread, its message back).
    const player = engine as unknown as { putChunk?: (...args: unknown[]) => void } | undefined;
    const put = player?.putChunk;
    if (player && put)
      player.putChunk = (...args: unknown[]) => {
        probe.puts.push(performance.now());
        put.apply(player, args);
      };
    engine?.on((event) => {
      if (event.type === 'tick') probe.underruns = event.underruns ?? probe.underruns;
      if (event.type !== 'sounding' || probe.soundAt !== 0) return;
      probe.soundAt = performance.now();
      // The mixer reports the context time of the first sounding sample; the output's latest
      // timestamp says when a context time is presented, on the page's clock.
      const time = (event as { time?: number }).time;
      probe.soundTime = time ?? NaN;
      const stamp = (engine.context as AudioContext).getOutputTimestamp?.();
      probe.outAt =
        time !== undefined && stamp?.performanceTime && stamp.contextTime !== undefined
          ? stamp.performanceTime + (time - stamp.contextTime) * 1000
          : NaN;
    });
    window.addEventListener(
      'pointerup',
      () => {
        probe.clickAt = performance.now();
        probe.pressTime = engine?.context.currentTime ?? NaN;
      },
      { capture: true },
    );
    return engine?.kind ?? 'none';
  });
}

/**
 * Times "in the audio clock": from the context's time at the press or click (its currentTime, where
 * the audio thread renders) to the context time of the first sounding sample the mixer reports. Both
 * are the audio thread's own timeline, so neither the main thread's delay in hearing from the mixer
 * nor the output device's latency is in it: it is what the engine adds, either engine alike. The
 * context's time moves a device callback at a time (about 10 ms here), so one figure is within that.
 */
interface PlayTiming {
  /** From the press to the page hearing from the mixer that a sample sounded. */
  heard: number;
  /** From the press to that sample at the audio output (part of the output's latency included). */
  output: number;
  /** From the press to that sample in the audio clock (above). */
  mixer: number;
  /** The main thread's time in long tasks (over 50 ms) between the press and the page hearing. */
  busy: number;
  /** At the press: lanes whose audio at the playhead was still loading ("Loading audio"), and
   * waveforms drawn. */
  atPress: { isLoading: boolean; drawn: number };
  /** PCM reads at the press: those still on their way, the last one's end after the press, the
   * last chunk handed to the mixer and from it to the sound (ms). */
  reads: { pending: number; lastEnd: number; lastPut: number; putToSound: number };
  /** After the studio opened, ms: its audio session ready (Play enabled), its first PCM read asked,
   * sent (it waits for a free connection to the host before), and answered, and the press. */
  opening: {
    audioReady: number;
    firstAsked: number;
    firstSent: number;
    firstAnswered: number;
    press: number;
  };
}

/** Presses Play and times it to the first sound. */
async function playTiming(page: Page): Promise<PlayTiming> {
  return page.evaluate(async () => {
    const probe = (
      window as unknown as {
        benchProbe: {
          soundAt: number;
          outAt: number;
          pressTime: number;
          soundTime: number;
          longTasks: Array<[number, number]>;
          puts: number[];
        };
      }
    ).benchProbe;
    probe.soundAt = 0;
    probe.outAt = NaN;
    probe.soundTime = NaN;
    const atPress = {
      isLoading: document.querySelector('.transport .loading') !== null,
      drawn: document.querySelectorAll('.waveform[data-drawn]').length,
    };
    const start = performance.now();
    probe.pressTime = window.stemhookDebug?.studio?.engine.context.currentTime ?? NaN;
    document.querySelector<HTMLButtonElement>('.transport-play')?.click();
    for (let i = 0; i < 5000 && probe.soundAt === 0; i++) await new Promise((r) => setTimeout(r, 1));
    // A long task is reported when it ends: give the observer a moment.
    await new Promise((r) => setTimeout(r, 20));
    const busy = probe.longTasks
      .filter(([at, duration]) => at < probe.soundAt && at + duration > start)
      .reduce((sum, [at, duration]) => sum + Math.min(at + duration, probe.soundAt) - Math.max(at, start), 0);
    const opened = window.stemhookDebug?.marks['studio-open'] ?? 0;
    const clicked = (window as unknown as { benchOpenAt?: number }).benchOpenAt ?? opened;
    const pcm = performance
      .getEntriesByType('resource')
      .filter((e) => e.name.includes('/pcm16') && e.startTime >= clicked) as PerformanceResourceTiming[];
    const pending = pcm.filter((e) => e.responseEnd > start && e.startTime < start);
    const lastPut = Math.max(...probe.puts.filter((at) => at <= probe.soundAt));
    const reads = {
      pending: pending.length,
      lastEnd: Math.max(0, ...pending.map((e) => e.responseEnd - start)),
      lastPut: lastPut - start,
      putToSound: probe.soundAt - lastPut,
    };
    const opening = {
      audioReady: (window.stemhookDebug?.marks['studio-audio-ready'] ?? NaN) - opened,
      firstAsked: (pcm[0]?.startTime ?? NaN) - opened,
      firstSent: (pcm[0]?.requestStart ?? NaN) - opened,
      firstAnswered: (pcm[0]?.responseEnd ?? NaN) - opened,
      press: start - opened,
    };
    if (probe.soundAt === 0) return { heard: NaN, output: NaN, mixer: NaN, busy, atPress, reads, opening };
    const mixer = (probe.soundTime - probe.pressTime) * 1000;
    return {
      heard: probe.soundAt - start,
      output: probe.outAt - start,
      mixer,
      busy,
      atPress,
      reads,
      opening,
    };
  });
}

const playToSound = async (page: Page): Promise<number> => (await playTiming(page)).heard;

const underruns = (page: Page) =>
  page.evaluate(() => (window as unknown as { benchProbe: { underruns: number } }).benchProbe.underruns);

const isPlaying = (page: Page) =>
  page.evaluate(() => document.querySelector('.transport-play')?.getAttribute('aria-label') === 'Pause');

async function stop(page: Page): Promise<void> {
  if (await isPlaying(page)) await page.locator('.transport-play').click();
  await page.getByRole('button', { name: 'Stop' }).click();
}

interface SeekTiming {
  heard: number;
  output: number;
  /** In the audio clock (PlayTiming). */
  mixer: number;
  /** The seek's first PCM request: click to its start, its wait for the host's first byte, its
   * body, and its end to the sound, and how much of the seek the main thread spent in long tasks;
   * null when no request was needed. */
  parts: {
    toRequest: number;
    host: number;
    body: number;
    toSound: number;
    kb: number;
    /** Ranges in the first request; requests ended before the sound; the last one's end to it. */
    lanes: number;
    before: number;
    afterLast: number;
    toPut: number;
    putToSound: number;
    busy: number;
  } | null;
}

/** Clicks the ruler at `fraction` of its width while playing; the time from the click to sound, as
 * the main thread hears of it and at the output. */
async function seekToSound(page: Page, fraction: number): Promise<SeekTiming> {
  const box = await page.locator('.ruler').boundingBox();
  if (!box) throw new Error('the ruler is not on screen');
  await page.evaluate(() => {
    const probe = (
      window as unknown as {
        benchProbe: { soundAt: number; clickAt: number; outAt: number; soundTime: number };
      }
    ).benchProbe;
    probe.soundAt = 0;
    probe.clickAt = 0;
    probe.outAt = NaN;
    probe.soundTime = NaN;
  });
  await page.mouse.click(box.x + box.width * fraction, box.y + box.height / 2);
  return page.evaluate(async () => {
    const probe = (
      window as unknown as {
        benchProbe: {
          soundAt: number;
          clickAt: number;
          outAt: number;
          pressTime: number;
          soundTime: number;
          longTasks: Array<[number, number]>;
          puts: number[];
        };
      }
    ).benchProbe;
    for (let i = 0; i < 5000 && probe.soundAt === 0; i++) await new Promise((r) => setTimeout(r, 1));
    if (probe.soundAt === 0) return { heard: NaN, output: NaN, mixer: NaN, parts: null };
    // Where the time went: the seek's first PCM request (the one that brings the chunk under the
    // new playhead for every lane), from resource timing.
    const requests = performance
      .getEntriesByType('resource')
      .filter(
        (e) => e.name.includes('/pcm16') && e.startTime >= probe.clickAt,
      ) as PerformanceResourceTiming[];
    const first = requests[0];
    const lastPut = Math.max(...probe.puts.filter((at) => at >= probe.clickAt && at <= probe.soundAt));
    // The requests that had ended before the sound, and the ranges (lanes) the first one carried: a
    // sound long after the first answer is either a second request it waited for or the mixer.
    const beforeSound = requests.filter((e) => e.responseEnd <= probe.soundAt);
    const ranges = (entry: PerformanceResourceTiming) =>
      decodeURIComponent(new URL(entry.name).searchParams.get('ranges') ?? 'one').split(',').length;
    const parts = first
      ? {
          toRequest: first.startTime - probe.clickAt,
          host: first.responseStart - first.startTime,
          body: first.responseEnd - first.responseStart,
          toSound: probe.soundAt - first.responseEnd,
          kb: first.encodedBodySize / 1024,
          lanes: ranges(first),
          before: beforeSound.length,
          afterLast: probe.soundAt - Math.max(...beforeSound.map((e) => e.responseEnd)),
          // The last chunk handed to the mixer before the sound, from the first answer's end; and
          // from it to the sound.
          toPut: lastPut - first.responseEnd,
          putToSound: probe.soundAt - lastPut,
          // Main-thread long tasks between the click and the sound, in ms.
          busy: probe.longTasks
            .filter(([at, ms]) => at < probe.soundAt && at + ms > probe.clickAt)
            .reduce(
              (sum, [at, ms]) => sum + Math.min(at + ms, probe.soundAt) - Math.max(at, probe.clickAt),
              0,
            ),
        }
      : null;
    return {
      heard: probe.soundAt - probe.clickAt,
      output: probe.outAt - probe.clickAt,
      mixer: (probe.soundTime - probe.pressTime) * 1000,
      parts,
    };
  });
}

async function runEngine(
  uiUrl: string,
  song: SeededSong,
  engine: EngineChoice,
  ingestDir: string,
  mp3Files: string[],
): Promise<RunResult> {
  const browser = await launchBrowser();
  const peak = { rss: 0, pss: 0, footprint: 0, phase: '', parts: { anon: 0, file: 0, shmem: 0 } };
  let phase = 'opening';
  let isOverCap = false;
  // On a worker thread: walking /proc on this one delayed the host's answers the seeks time.
  const sampler = sampleRendererMemory(200, (now) => {
    if (now.rss > peak.rss) {
      peak.phase = phase;
      peak.parts = now.parts;
    }
    peak.rss = Math.max(peak.rss, now.rss);
    peak.pss = Math.max(peak.pss, now.pss);
    peak.footprint = Math.max(peak.footprint, now.footprint);
    if (now.rss > MEMORY_CAP_MB && !isOverCap) {
      isOverCap = true;
      void browser.close();
    }
  });
  const result: RunResult = {
    engine,
    kind: '',
    songSeconds: song.seconds,
    playedSeconds: 0,
    libraryRssMb: 0,
    peakRendererRssMb: 0,
    peakPhase: '',
    peakParts: { anon: 0, file: 0, shmem: 0 },
    peakRendererPssMb: 0,
    peakFootprintMb: 0,
    mainJsHeapMb: 0,
    outputLatencyMs: NaN,
    coldPlayMs: NaN,
    coldPlayOutputMs: NaN,
    coldPlayMixerMs: NaN,
    coldPlayBusyMs: NaN,
    coldPlayAtPress: null,
    coldPlayReads: null,
    coldPlayOpening: null,
    warmPlayMs: [],
    seekMs: [],
    seekOutputMs: [],
    seekMixerMs: [],
    seekParts: [],
    underrunBlocksInPlay: 0,
    underrunBlocks: 0,
    stoppedAtMemoryCap: false,
    pcmRequests: { count: 0, medianMs: NaN, p95Ms: NaN, medianKb: NaN },
  };
  const { page } = browser;
  if (!isKeepingInspectorCopies) await dropInspectorBodyCopies(page);
  let stopIngest: (() => Promise<number>) | null = null;
  const tracer: MemoryTracer | null = isMemoryDump ? await startMemoryTracer(page) : null;
  const dump = async (label: string) => {
    await tracer?.dump(label, rendererMemoryMb().pid);
  };
  try {
    result.kind = await withTimeout(
      openStudio(page, uiUrl, song, engine, async () => {
        result.libraryRssMb = Math.round(rendererMemoryMb().rss);
        await dump('library');
      }),
      'opening the studio',
    );
    await dump('studio open');
    phase = 'playing';
    const cold = await withTimeout(playTiming(page), 'play to sound (cold)');
    result.coldPlayMs = cold.heard;
    result.coldPlayOutputMs = cold.output;
    result.coldPlayMixerMs = cold.mixer;
    result.coldPlayBusyMs = cold.busy;
    result.coldPlayAtPress = cold.atPress;
    result.coldPlayReads = cold.reads;
    result.coldPlayOpening = cold.opening;
    result.outputLatencyMs = await page.evaluate(() => {
      const context = window.stemhookDebug?.studio?.engine.context as AudioContext | undefined;
      return context ? ((context.baseLatency ?? 0) + (context.outputLatency ?? 0)) * 1000 : NaN;
    });
    stopIngest = backgroundIngest(mp3Files, ingestDir);
    const playFor = Math.min(PLAY_SECONDS, song.seconds);
    const started = Date.now();
    for (const at of isMemoryDump ? DUMP_AT_SECONDS.filter((s) => s < playFor) : []) {
      await waitForPlayhead(page, at);
      await dump(`played ${at} s`);
    }
    await waitForPlayhead(page, playFor);
    if (isMemoryDump) {
      await dump(`played ${playFor} s`);
      await tracer?.dump(`played ${playFor} s, after a forced GC`, rendererMemoryMb().pid, {
        deterministic: true,
      });
    }
    result.playedSeconds = Math.round((Date.now() - started) / 100) / 10;
    result.underrunBlocksInPlay = await underruns(page);
    const ingested = await stopIngest();
    stopIngest = null;
    console.log(`  ${engine}: played ${result.playedSeconds} s while ingesting ${ingested} MP3s`);
    phase = 'warm plays';
    for (let i = 0; i < WARM_PLAYS; i++) {
      await stop(page);
      await page.waitForTimeout(300);
      result.warmPlayMs.push(await withTimeout(playToSound(page), 'play to sound (warm)'));
      await page.waitForTimeout(500);
    }
    phase = 'seeks';
    for (const fraction of SEEK_POINTS) {
      if (!(await isPlaying(page))) await playToSound(page);
      const seek = await withTimeout(seekToSound(page, fraction), 'seek to sound');
      result.seekMs.push(seek.heard);
      result.seekOutputMs.push(seek.output);
      result.seekMixerMs.push(seek.mixer);
      if (seek.parts) result.seekParts.push(seek.parts);
      await page.waitForTimeout(400);
    }
    result.underrunBlocks = await underruns(page);
    await dump(`after ${SEEK_POINTS.length} seeks`);
    result.mainJsHeapMb = await page.evaluate(() =>
      Math.round(
        ((performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0) /
          2 ** 20,
      ),
    );
    const requests = await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .filter((e) => e.name.includes('/pcm16'))
        .map((e) => ({ ms: e.duration, kb: (e as PerformanceResourceTiming).encodedBodySize / 1024 })),
    );
    const sorted = requests.map((r) => r.ms).sort((a, b) => a - b);
    result.pcmRequests = {
      count: requests.length,
      medianMs: round(median(sorted)),
      p95Ms: round(sorted[Math.floor(sorted.length * 0.95)] ?? NaN),
      medianKb: round(median(requests.map((r) => r.kb))),
    };
    await stop(page);
  } catch (error) {
    if (!isOverCap) throw error;
    console.log(`  ${engine}: stopped, the renderer passed ${MEMORY_CAP_MB} MB`);
  } finally {
    await stopIngest?.();
    await sampler.stop();
    result.stoppedAtMemoryCap = isOverCap;
    result.peakRendererRssMb = Math.round(peak.rss);
    result.peakPhase = peak.phase;
    result.peakParts = peak.parts;
    result.peakRendererPssMb = Math.round(peak.pss);
    result.peakFootprintMb = Math.round(peak.footprint);
    if (tracer)
      result.memory = await tracer.finish().catch((error: Error) => (console.log(error.message), []));
    await browser.close();
  }
  return result;
}

/** Waits until the playhead has passed `seconds` (or playback stopped by itself). */
async function waitForPlayhead(page: Page, seconds: number): Promise<void> {
  await page.waitForFunction(
    (at) => {
      const engine = window.stemhookDebug?.studio?.engine;
      const rate = window.stemhookDebug?.studio?.engine.context.sampleRate ?? 44100;
      return (
        (engine?.position() ?? 0) / rate >= at - 0.5 ||
        document.querySelector('.transport-play')?.getAttribute('aria-label') === 'Play'
      );
    },
    seconds,
    { timeout: (seconds + 120) * 1000, polling: 500 },
  );
}

const round = (n: number) => Math.round(n * 10) / 10;
const cell = (values: number[]) => {
  const real = values.filter((v) => Number.isFinite(v));
  if (real.length === 0) return '-';
  return `${round(median(real))} (max ${round(Math.max(...real))})`;
};

function printTable(results: RunResult[]): void {
  const header = results.map((r) => `${r.engine} ${Math.round(r.songSeconds / 60)} min`);
  const rows: Array<[string, string[]]> = [
    ['engine kind', results.map((r) => r.kind)],
    ['renderer RSS MB, library only', results.map((r) => String(r.libraryRssMb))],
    [
      'renderer peak RSS MB (target ≤ 250)',
      results.map(
        (r) => `${r.peakRendererRssMb}${r.stoppedAtMemoryCap ? '+ (capped)' : ''} (${r.peakPhase})`,
      ),
    ],
    [
      'at the peak: anonymous + files + shmem MB',
      results.map((r) => `${r.peakParts.anon} + ${r.peakParts.file} + ${r.peakParts.shmem}`),
    ],
    ['renderer peak PSS MB', results.map((r) => String(r.peakRendererPssMb))],
    ['renderer peak private footprint MB (anon + swap)', results.map((r) => String(r.peakFootprintMb))],
    ['main-thread JS heap MB at the end', results.map((r) => String(r.mainJsHeapMb))],
    ['play to sound cold ms (≤ 30)', results.map((r) => cell([r.coldPlayMs]))],
    [
      '  the same at the audio output / main thread in long tasks ms',
      results.map((r) => `${round(r.coldPlayOutputMs)} / ${round(r.coldPlayBusyMs)}`),
    ],
    ['  the same in the audio clock ms', results.map((r) => cell([r.coldPlayMixerMs]))],
    [
      '  at the press: audio still loading / waveforms drawn',
      results.map((r) =>
        r.coldPlayAtPress
          ? `${r.coldPlayAtPress.isLoading ? 'yes' : 'no'} / ${r.coldPlayAtPress.drawn}`
          : '-',
      ),
    ],
    [
      '  PCM reads open at the press / last ends / last chunk to the mixer / → sound ms',
      results.map((r) => {
        const reads = r.coldPlayReads;
        if (!reads) return '-';
        // No chunk handed over before the sound (all were in before the probe was set up): '-'.
        const ms = (n: number | null) => (n !== null && Number.isFinite(n) ? String(round(n)) : '-');
        return `${reads.pending} / ${ms(reads.lastEnd)} / ${ms(reads.lastPut)} / ${ms(reads.putToSound)}`;
      }),
    ],
    [
      '  after the studio opened: audio ready / first PCM read asked / sent / answered / the press ms',
      results.map((r) => {
        const at = r.coldPlayOpening;
        if (!at) return '-';
        return [at.audioReady, at.firstAsked, at.firstSent, at.firstAnswered, at.press]
          .map((ms) => round(ms))
          .join(' / ');
      }),
    ],
    ['play to sound warm ms (≤ 15)', results.map((r) => cell(r.warmPlayMs))],
    ['seek to sound ms (≤ 50)', results.map((r) => cell(r.seekMs))],
    ['  the same seeks at the audio output ms', results.map((r) => cell(r.seekOutputMs))],
    ['  the same seeks in the audio clock ms', results.map((r) => cell(r.seekMixerMs))],
    [
      '  click → request / host / body / → sound ms',
      results.map((r) => {
        const part = (key: 'toRequest' | 'host' | 'body' | 'toSound') => cell(r.seekParts.map((p) => p[key]));
        return `${part('toRequest')} / ${part('host')} / ${part('body')} / ${part('toSound')}`;
      }),
    ],
    [
      '  of "→ sound": answer end → last chunk to the mixer / → sound ms',
      results.map(
        (r) => `${cell(r.seekParts.map((p) => p.toPut))} / ${cell(r.seekParts.map((p) => p.putToSound))}`,
      ),
    ],
    [
      '  main thread in long tasks during the seeks ms',
      results.map((r) => cell(r.seekParts.map((p) => p.busy))),
    ],
    [
      '  of which the output itself (base + output latency) ms',
      results.map((r) => cell([r.outputLatencyMs])),
    ],
    ['played s (while ingesting)', results.map((r) => String(r.playedSeconds))],
    ['underrun blocks in the play (0)', results.map((r) => String(r.underrunBlocksInPlay))],
    ['underrun blocks, whole run', results.map((r) => String(r.underrunBlocks))],
    [
      'PCM requests: count, median/p95 ms, median KB',
      results.map((r) => {
        const q = r.pcmRequests;
        return `${q.count}, ${q.medianMs}/${q.p95Ms}, ${q.medianKb}`;
      }),
    ],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  const columns = header.map((h, i) => Math.max(h.length, ...rows.map(([, v]) => (v[i] ?? '').length)));
  const line = (name: string, values: string[]) =>
    `| ${name.padEnd(width)} | ${values.map((v, i) => v.padEnd(columns[i] ?? 0)).join(' | ')} |`;
  console.log(line('', header));
  console.log(`|${'-'.repeat(width + 2)}|${columns.map((c) => '-'.repeat(c + 2)).join('|')}|`);
  for (const [name, values] of rows) console.log(line(name, values));
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'stemhook-stream-bench-'));
  const loadAtStart = loadNow();
  console.log(`seeding 13-lane songs of ${SECONDS} s and ${SECONDS * LONG_REPEAT} s…`);
  const { songs, mp3Files } = await seedSongs(dataDir, SECONDS, [1, LONG_REPEAT]);
  const host = await startServe(readHostConfig({ STEMHOOK_DATA_DIR: dataDir }), { log: () => undefined });
  const results: RunResult[] = [];
  try {
    await host.core.handlers['settings.update']({ preferences: { 'ui.welcomed': '1' } });
    const ingestDir = join(dataDir, 'library', 'another-split');
    await mkdir(ingestDir, { recursive: true });
    for (const song of songs) {
      for (const engine of ENGINES) {
        console.log(`${engine}, ${song.seconds} s song…`);
        const result = await runEngine(host.api.uiUrl, song, engine, ingestDir, mp3Files);
        console.log(`  ${JSON.stringify({ ...result, memory: undefined })}`);
        if (result.memory) {
          console.log(
            `  renderer ${engine} ${song.seconds} s song, by allocator:\n${attributionTable(result.memory)}`,
          );
          await mkdir(RESULTS_DIR, { recursive: true });
          await writeFile(
            join(RESULTS_DIR, `memory-dump-${engine}-${song.seconds}s.json`),
            JSON.stringify(result.memory),
          );
        }
        results.push(result);
      }
    }
    printTable(results);
    await writeReport(RESULTS_DIR, 'stream.json', {
      date: new Date().toISOString(),
      smoke: isSmoke,
      machine: machine(loadAtStart),
      input: { lanes: 13, songSeconds: songs.map((s) => s.seconds), playSeconds: PLAY_SECONDS },
      wholeSongInt16Mb: songs.map((s) => Math.round(s.bytesInt16 / 2 ** 20)),
      results: results.map((r) => ({
        ...r,
        medianWarmPlayMs: round(median(r.warmPlayMs)),
        medianSeekMs: round(median(r.seekMs)),
        maxSeekMs: round(Math.max(...r.seekMs)),
        medianSeekOutputMs: round(median(r.seekOutputMs)),
        maxSeekOutputMs: round(Math.max(...r.seekOutputMs)),
        medianSeekMixerMs: round(median(r.seekMixerMs)),
        maxSeekMixerMs: round(Math.max(...r.seekMixerMs)),
      })),
      targets: { rendererMb: 250, coldPlayMs: 30, warmPlayMs: 15, seekMs: 50, underruns: 0 },
    });
  } finally {
    await host.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
