// Residual benchmark (a script, not a test): "source − all stems" for 12 stereo stems of 4 minutes,
// from PCM caches, off the main thread. Two sides in the same run, alternating round by round: the
// single pass as it was (baseline, test/helpers/residual-single-pass.ts, in a worker thread of its
// own) and the job in parts on the ingestor's decode workers (2 here, as on a 2-core machine).
// Target: under 1 s wall. The source is the stems' sum starting 300 frames late (as if padded), so
// the alignment search does real work and the result can be checked: stems lead by 300 frames
// (offset −300), the residual is digital silence, and both sides write the same bytes.
// Run: npx node test/bench/residual.bench.ts [--smoke] [--out=DIR]   (smoke: 10 s stems instead of 4 min)
import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { createIngestor, type ResidualInput, type ResidualResult } from '../../electron/core/audio/index.ts';
import type { PcmRef } from '../../electron/core/audio/residual/types.ts';
import {
  benchFlags,
  loadNow,
  machine,
  median,
  ratioText,
  round3,
  withTimeout,
  writeReport,
} from './report.ts';

const { isSmoke, outDir: RESULTS_DIR, inputSeconds: SECONDS } = benchFlags();
const STEMS = 12;
const RATE = 44100;
const CHANNELS = 2;
const SHIFT = 300;
const ROUNDS = isSmoke ? 2 : 5;
const TARGET_MS = 1000;
const WORKERS = 2;

/** s24le bytes of a value stream, as the PCM cache holds them. */
function s24(values: Int32Array): Uint8Array {
  const out = new Uint8Array(values.length * 3);
  for (let i = 0, o = 0; i < values.length; i++, o += 3) {
    const v = values[i]!;
    out[o] = v & 0xff;
    out[o + 1] = (v >> 8) & 0xff;
    out[o + 2] = (v >> 16) & 0xff;
  }
  return out;
}

/** Twelve stems (a sine each plus noise) and their sum delayed by SHIFT frames, whole, as the source. */
async function generate(dir: string): Promise<{ source: PcmRef; stems: (PcmRef & { id: string })[] }> {
  const frames = SECONDS * RATE;
  const sum = new Int32Array((frames + SHIFT) * CHANNELS);
  const stems = [];
  let seed = 1;
  for (let s = 0; s < STEMS; s++) {
    const values = new Int32Array(frames * CHANNELS);
    for (let i = 0; i < values.length; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const noise = (seed / 2 ** 32 - 0.5) * 60_000;
      values[i] = Math.round(Math.sin((i >> 1) * 0.002 * (s + 1)) * 250_000 + noise);
      sum[i + SHIFT * CHANNELS]! += values[i]!;
    }
    const pcmPath = join(dir, `stem${s}.pcm`);
    await writeFile(pcmPath, s24(values));
    stems.push({ id: `stem${s}`, pcmPath, channels: CHANNELS, sampleRate: RATE, sampleCount: frames });
  }
  const pcmPath = join(dir, 'source.pcm');
  await writeFile(pcmPath, s24(sum));
  return { source: { pcmPath, channels: CHANNELS, sampleRate: RATE, sampleCount: frames + SHIFT }, stems };
}

type Side = 'baseline' | 'parts';

interface Round {
  wallMs: number;
  /** CPU time of the computing threads, as the job reports it. */
  jobCpuMs: number;
  /** CPU time of the whole process over the round (every thread: workers, main, GC). */
  processCpuMs: number;
  /** Share of the round the bench's main thread was busy (near 0: the work is off it). */
  mainThreadBusy: number;
}

/** The baseline worker: one job at a time, answered with the result or the error. */
function startBaseline(): { run(input: ResidualInput): Promise<ResidualResult>; close(): Promise<number> } {
  const worker = new Worker(new URL('./residual-baseline-worker.ts', import.meta.url));
  return {
    run: (input) =>
      new Promise((resolve, reject) => {
        const onExit = (code: number) => reject(new Error(`the baseline worker exited (${code})`));
        worker.once('exit', onExit);
        worker.once(
          'message',
          (reply: { ok: true; value: ResidualResult } | { ok: false; message: string }) => {
            worker.off('exit', onExit);
            if (reply.ok) resolve(reply.value);
            else reject(new Error(reply.message));
          },
        );
        worker.postMessage(input);
      }),
    close: () => worker.terminate(),
  };
}

async function timed(
  job: () => Promise<ResidualResult>,
  what: string,
): Promise<{ round: Round; result: ResidualResult }> {
  const loop = performance.eventLoopUtilization();
  const cpu = process.cpuUsage();
  const start = performance.now();
  const result = await withTimeout(job(), what);
  const wallMs = performance.now() - start;
  const { user, system } = process.cpuUsage(cpu);
  return {
    result,
    round: {
      wallMs: Math.round(wallMs),
      jobCpuMs: result.cpuMs,
      processCpuMs: Math.round((user + system) / 1000),
      mainThreadBusy: Number(performance.eventLoopUtilization(loop).utilization.toFixed(4)),
    },
  };
}

const isSilentAndAligned = (result: ResidualResult | undefined): boolean =>
  result !== undefined && result.offsetFrames === -SHIFT && result.peakDb < -140;

function summary(rounds: Round[]) {
  return {
    medianWallMs: Math.round(median(rounds.map((r) => r.wallMs))),
    medianJobCpuMs: Math.round(median(rounds.map((r) => r.jobCpuMs))),
    medianProcessCpuMs: Math.round(median(rounds.map((r) => r.processCpuMs))),
  };
}

async function main(): Promise<void> {
  const loadAtStart = loadNow();
  const dir = await mkdtemp(join(tmpdir(), 'stemhook-bench-residual-'));
  const ingestor = createIngestor({ workers: WORKERS });
  const baseline = startBaseline();
  try {
    console.log(`generating ${STEMS} stereo stems of ${SECONDS} s as PCM caches...`);
    const input = await generate(dir);
    const sides: Record<Side, (outBase: string) => Promise<ResidualResult>> = {
      baseline: (outBase) => baseline.run({ ...input, outBase }),
      parts: (outBase) => ingestor.residual({ ...input, outBase }),
    };
    const outBase = (side: Side) => join(dir, `residual-${side}`);
    // The app computes a split's residual once, into a new file: a round that renamed over the last
    // round's output would also time the file system flushing and freeing it (ext4 flushes a file
    // renamed over another). So each round's output is removed, untimed, before the next.
    const removeOutput = (side: Side) =>
      Promise.all(['pcm', 'peaks'].map((ext) => rm(`${outBase(side)}.${ext}`, { force: true })));
    // Untimed: starts the workers and warms the page cache, which is not the residual's work.
    for (const side of ['baseline', 'parts'] as const)
      await withTimeout(sides[side](outBase(side)), `the warm-up ${side} residual`);
    const rounds: Record<Side, Round[]> = { baseline: [], parts: [] };
    const last: Partial<Record<Side, ResidualResult>> = {};
    for (let round = 0; round < ROUNDS; round++) {
      // Alternating which side goes first spreads drifting load over both.
      const order: Side[] = round % 2 === 0 ? ['baseline', 'parts'] : ['parts', 'baseline'];
      for (const side of order) {
        // The last round's files stay, for the byte comparison below.
        await removeOutput(side);
        const { round: timing, result } = await timed(() => sides[side](outBase(side)), `a ${side} residual`);
        rounds[side].push(timing);
        last[side] = result;
        console.log(
          `round ${round + 1} ${side.padEnd(8)}: ${timing.wallMs} ms wall, job CPU ${timing.jobCpuMs} ms, process CPU ${timing.processCpuMs} ms, main thread busy ${(timing.mainThreadBusy * 100).toFixed(1)}%`,
        );
      }
    }
    const base = summary(rounds.baseline);
    const parts = summary(rounds.parts);
    const wallRatio = parts.medianWallMs / base.medianWallMs;
    const cpuRatio = parts.medianProcessCpuMs / base.medianProcessCpuMs;
    const sameBytes =
      (await readFile(`${outBase('parts')}.pcm`)).equals(await readFile(`${outBase('baseline')}.pcm`)) &&
      (await readFile(`${outBase('parts')}.peaks`)).equals(await readFile(`${outBase('baseline')}.peaks`));
    const isCorrect = isSilentAndAligned(last.baseline) && isSilentAndAligned(last.parts) && sameBytes;
    console.log(
      `median wall: baseline ${base.medianWallMs} ms, parts ${parts.medianWallMs} ms (ratio ${ratioText(wallRatio)}, target < ${TARGET_MS} ms)`,
    );
    console.log(
      `median process CPU: baseline ${base.medianProcessCpuMs} ms, parts ${parts.medianProcessCpuMs} ms (ratio ${ratioText(cpuRatio)}); job CPU ${base.medianJobCpuMs} / ${parts.medianJobCpuMs} ms`,
    );
    console.log(
      `offset ${last.parts?.offsetFrames} (want ${-SHIFT}), residual peak ${last.parts?.peakDb.toFixed(1)} dBFS, same bytes as the baseline: ${sameBytes}`,
    );
    await writeReport(RESULTS_DIR, isSmoke ? 'residual.smoke.json' : 'residual.json', {
      date: new Date().toISOString(),
      smoke: isSmoke,
      machine: { ...machine(loadAtStart), loadAverage1mAtEnd: loadNow() },
      input: { stems: STEMS, secondsEach: SECONDS, sampleRate: RATE, channels: CHANNELS, shiftFrames: SHIFT },
      workers: WORKERS,
      rounds,
      baseline: base,
      parts,
      ratios: { wall: round3(wallRatio), processCpu: round3(cpuRatio) },
      targetMs: TARGET_MS,
      meetsTarget: parts.medianWallMs < TARGET_MS,
      isCorrect,
    });
    if (!isCorrect) process.exitCode = 1;
  } finally {
    await Promise.all([ingestor.close(), baseline.close()]);
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
