// The mixer's first blocks on a fresh audio thread, with and without the warm-up the mixer runs
// while stopped (renderer/src/audio/mixer-warm-up.ts). Each trial is a new worker thread, so a new
// V8 isolate that has never run the mixer, as every studio's AudioWorklet is. It times the first
// blocks of 14 streamed stereo lanes, 128 frames each (2.9 ms of audio at 44.1 kHz), cold and after
// the warm-up, side by side in the same run, and what the warm-up itself cost.
// Run: npx node test/bench/mixer-warm-up.bench.ts [--smoke] [--out=DIR]
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { createMixLane, createMixState, mixBlock, snapGains } from '../../renderer/src/audio/mix.ts';
import { createMixerWarmUp } from '../../renderer/src/audio/mixer-warm-up.ts';
import { STREAM_SHIFT } from '../../renderer/src/audio/stream-window.ts';
import { benchFlags, loadNow, machine, median, ratioText, withTimeout, writeReport } from './report.ts';

const LANES = 14;
const BLOCK = 128;
/** Blocks timed from the first Play: 40 blocks is 116 ms of audio. */
const TIMED_BLOCKS = 40;

interface Trial {
  /** Each of the first blocks, ms. */
  blocks: number[];
  /** The warm-up: all of it, and its slowest block (0 when cold). */
  warmUpMs: number;
  warmUpMaxBlockMs: number;
}

function runTrial(isWarmedUp: boolean): Trial {
  let warmUpMs = 0;
  let warmUpMaxBlockMs = 0;
  if (isWarmedUp) {
    const warmUp = createMixerWarmUp(STREAM_SHIFT);
    for (let going = true; going;) {
      const started = performance.now();
      going = warmUp.step();
      const ms = performance.now() - started;
      warmUpMs += ms;
      warmUpMaxBlockMs = Math.max(warmUpMaxBlockMs, ms);
    }
  }
  const chunkFrames = 1 << STREAM_SHIFT;
  const state = createMixState();
  for (let i = 0; i < LANES; i++) {
    const lane = createMixLane(`lane-${i}`, 2, 16 * chunkFrames, 1, STREAM_SHIFT);
    for (let c = 0; c < lane.chunks.length; c++) {
      const chunk = new Int16Array(chunkFrames * 2);
      for (let s = 0; s < chunk.length; s++) chunk[s] = ((s * 13 + i * 101) % 20000) - 10000;
      lane.chunks[c] = chunk;
    }
    state.lanes.push(lane);
  }
  state.isPlaying = true;
  snapGains(state);
  const left = new Float32Array(BLOCK);
  const right = new Float32Array(BLOCK);
  const blocks: number[] = [];
  for (let b = 0; b < TIMED_BLOCKS; b++) {
    const started = performance.now();
    mixBlock(state, left, right, BLOCK);
    blocks.push(performance.now() - started);
  }
  return { blocks, warmUpMs, warmUpMaxBlockMs };
}

const job = workerData as { isWarmedUp?: boolean } | null;
if (!isMainThread && job) {
  parentPort?.postMessage(runTrial(job.isWarmedUp === true));
} else if (isMainThread) {
  const flags = benchFlags();
  const loadAtStart = loadNow();
  const trials = flags.isSmoke ? 3 : 15;
  const trial = (isWarmedUp: boolean) =>
    withTimeout(
      new Promise<Trial>((resolve, reject) => {
        const worker = new Worker(new URL(import.meta.url), { workerData: { isWarmedUp } });
        worker.once('message', (result: Trial) => {
          resolve(result);
          void worker.terminate();
        });
        worker.once('error', reject);
      }),
      'a mixer trial',
      60_000,
    );
  const cold: Trial[] = [];
  const warm: Trial[] = [];
  // Alternated, so both sides see the same machine.
  for (let i = 0; i < trials; i++) {
    cold.push(await trial(false));
    warm.push(await trial(true));
  }
  const blockMs = (rows: Trial[], pick: (t: Trial) => number) => median(rows.map(pick));
  const first = (t: Trial) => t.blocks[0] ?? NaN;
  const worst = (t: Trial) => Math.max(...t.blocks);
  const total = (t: Trial) => t.blocks.reduce((sum, ms) => sum + ms, 0);
  const realTimeMs = (BLOCK / 44100) * 1000;
  const overRealTime = (t: Trial) => t.blocks.filter((ms) => ms > realTimeMs).length;
  const rows = [
    ['first block, ms', first],
    ['slowest of the first 40, ms', worst],
    ['first 40 blocks together, ms', total],
    [`blocks over real time (${realTimeMs.toFixed(1)} ms)`, overRealTime],
  ] as const;
  console.log(`\nmixer warm-up: ${LANES} stereo lanes, median of ${trials} fresh threads per side\n`);
  console.log('| first Play | cold | after the warm-up | cold / warmed |');
  console.log('| --- | --- | --- | --- |');
  const table: Record<string, { cold: number; warm: number }> = {};
  for (const [name, pick] of rows) {
    const c = blockMs(cold, pick);
    const w = blockMs(warm, pick);
    table[name] = { cold: c, warm: w };
    console.log(`| ${name} | ${c.toFixed(3)} | ${w.toFixed(3)} | ${ratioText(w > 0 ? c / w : null)} |`);
  }
  const warmUpMs = median(warm.map((t) => t.warmUpMs));
  const warmUpMax = median(warm.map((t) => t.warmUpMaxBlockMs));
  console.log(
    `\nthe warm-up itself (paid while stopped, one block per render quantum): ${warmUpMs.toFixed(1)} ms in all, its slowest block ${warmUpMax.toFixed(3)} ms`,
  );
  await writeReport(flags.outDir, `mixer-warm-up${flags.isSmoke ? '.smoke' : ''}.json`, {
    smoke: flags.isSmoke,
    machine: machine(loadAtStart),
    lanes: LANES,
    trials,
    table,
    warmUp: { totalMs: warmUpMs, slowestBlockMs: warmUpMax },
    raw: { cold, warm },
  });
  // The warm-up exists to make the first Play's blocks cheaper: fail loudly if it stops doing so
  // (judged on full runs only; smoke mode proves the bench runs).
  if (!flags.isSmoke && !(blockMs(warm, total) < blockMs(cold, total))) process.exitCode = 1;
}
