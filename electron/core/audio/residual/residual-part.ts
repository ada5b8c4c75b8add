// One part of a residual: frames [from, to) of source − all stems, streamed chunk by chunk into its
// place in the output cache, with that range's finest peaks and the sums behind the level and the
// leak meter. Parts start on chunk boundaries, so together they read, write and add exactly what
// one pass over all frames would.
import { closeSync, openSync, writeSync } from 'node:fs';
import { partPaths } from '../output-paths.ts';
import { closePcms, openInputs, readFrames, subtractStems } from './pcm-reader.ts';
import { createResidualAnalyser } from './residual-analyser.ts';
import { threadCpuMs } from './thread-cpu.ts';
import type { ResidualPart, ResidualPlan } from './types.ts';

/** Frames per chunk; part boundaries fall on multiples of it (a multiple of every peaks block). */
export const CHUNK_FRAMES = 65536;
/**
 * The leak meter is an estimate: one frame in sixteen (2756 a second) is plenty for a correlation
 * over seconds of audio, and keeps twelve dot products from costing more than the subtraction.
 */
const LEAK_STEP_FRAMES = 16;
const BYTES_PER_SAMPLE = 3;

/** Sums per chunk in ResidualPart.chunkSums: three, then two per stem. */
export const sumsPerChunk = (stems: number): number => 3 + 2 * stems;

function energy(samples: Int32Array, count: number): number {
  // Two running sums halve the wait on each addition (the loop is bound by its latency).
  let even = 0;
  let odd = 0;
  let i = 0;
  for (; i + 1 < count; i += 2) {
    even += samples[i]! * samples[i]!;
    odd += samples[i + 1]! * samples[i + 1]!;
  }
  if (i < count) even += samples[i]! * samples[i]!;
  return even + odd;
}

export function computeResidualPart(plan: ResidualPlan, from: number, to: number): ResidualPart {
  const cpuAtStart = process.threadCpuUsage();
  const { channels, offsetFrames } = plan;
  const [pcmPart = ''] = partPaths(plan.input.outBase);
  const { source, stems } = openInputs(plan.input);
  let outFd: number | null = null;
  try {
    // The plan step created it; a part never creates it (a removed output stays removed).
    outFd = openSync(pcmPart, 'r+');
    const analyser = createResidualAnalyser(channels, to - from);
    const residual = new Int32Array(CHUNK_FRAMES * channels);
    const kept = stems.map(() => new Int32Array(Math.ceil(CHUNK_FRAMES / LEAK_STEP_FRAMES) * channels));
    const leakStep = LEAK_STEP_FRAMES * channels;
    const width = sumsPerChunk(stems.length);
    const chunkSums = new Float64Array(Math.ceil((to - from) / CHUNK_FRAMES) * width);
    for (let at = from, k = 0; at < to; at += CHUNK_FRAMES, k += width) {
      const count = Math.min(CHUNK_FRAMES, to - at);
      const samples = count * channels;
      readFrames(source, at - offsetFrames, count, channels, residual);
      chunkSums[k] = energy(residual, samples);
      subtractStems(stems, at, count, residual, LEAK_STEP_FRAMES, kept);
      chunkSums[k + 1] = energy(residual, samples);
      // The leak meter's sums over every LEAK_STEP_FRAMES-th frame, added in the single pass's order.
      let sampledResidual = 0;
      for (let i = 0; i < samples; i += leakStep)
        for (let c = 0; c < channels; c++) sampledResidual += residual[i + c]! * residual[i + c]!;
      chunkSums[k + 2] = sampledResidual;
      for (let s = 0; s < stems.length; s++) {
        const stem = kept[s]!;
        let dot = 0;
        let power = 0;
        for (let i = 0, j = 0; i < samples; i += leakStep)
          for (let c = 0; c < channels; c++, j++) {
            const v = stem[j]!;
            dot += residual[i + c]! * v;
            power += v * v;
          }
        chunkSums[k + 3 + 2 * s] = dot;
        chunkSums[k + 4 + 2 * s] = power;
      }
      const out = analyser.process(residual, count);
      const position = at * channels * BYTES_PER_SAMPLE;
      for (let done = 0; done < out.length;)
        done += writeSync(outFd, out, done, out.length - done, position + done);
    }
    const peaks = analyser.finish();
    return { from, to, ...peaks, chunkSums, cpuMs: threadCpuMs(cpuAtStart) };
  } finally {
    if (outFd !== null) closeSync(outFd);
    closePcms([source, ...stems]);
  }
}
