// The residual's last step, once every part is written: joins the parts' peaks and sums in frame
// order (so the numbers are those of one pass), writes the peaks and publishes both files by rename.
import { renameSync, writeFileSync } from 'node:fs';
import { IngestError } from '../errors.ts';
import { outputPaths, partPaths } from '../output-paths.ts';
import { buildLevels } from '../peak-levels.ts';
import { encodePeaks, SAMPLES_PER_PEAK } from '../peaks.ts';
import { sumsPerChunk } from './residual-part.ts';
import { threadCpuMs } from './thread-cpu.ts';
import type { ResidualPart, ResidualPlan, ResidualResult } from './types.ts';

const SCALE = 8388608;
const MIN_DB = -150;

function toDb(ratio: number): number {
  return ratio > 0 ? Math.max(MIN_DB, 10 * Math.log10(ratio)) : MIN_DB;
}

function correlation(dot: number, energyA: number, energyB: number): number {
  return energyA > 0 && energyB > 0 ? dot / Math.sqrt(energyA * energyB) : 0;
}

/** The parts, in order, must cover [0, frames) without a gap: anything else is our bug. */
function checkCoverage(plan: ResidualPlan, parts: ResidualPart[]): void {
  let next = 0;
  for (const part of parts) {
    if (part.from !== next)
      throw new IngestError('internal', `residual part at ${part.from}, ${next} expected`);
    next = part.to;
  }
  if (next !== plan.frames)
    throw new IngestError('internal', `residual parts end at ${next} of ${plan.frames}`);
}

function joinPairs(parts: ResidualPart[], channels: number): { peakCount: number; data: Int16Array[] } {
  const peakCount = parts.reduce((sum, part) => sum + part.peakCount, 0);
  const data = Array.from({ length: channels }, (_, c) => {
    const joined = new Int16Array(peakCount * 2);
    let at = 0;
    for (const part of parts) {
      joined.set(part.pairs[c]!, at);
      at += part.pairs[c]!.length;
    }
    return joined;
  });
  return { peakCount, data };
}

export function finishResidual(plan: ResidualPlan, parts: ResidualPart[]): ResidualResult {
  const cpuAtStart = process.threadCpuUsage();
  checkCoverage(plan, parts);
  const { channels, sampleRate, frames, input } = plan;
  const stemCount = input.stems.length;
  const width = sumsPerChunk(stemCount);
  let sourceEnergy = 0;
  let residualEnergy = 0;
  let sampledResidualEnergy = 0;
  const dots = new Float64Array(stemCount);
  const sampledStemEnergies = new Float64Array(stemCount);
  for (const { chunkSums } of parts)
    for (let k = 0; k < chunkSums.length; k += width) {
      sourceEnergy += chunkSums[k]!;
      residualEnergy += chunkSums[k + 1]!;
      sampledResidualEnergy += chunkSums[k + 2]!;
      for (let s = 0; s < stemCount; s++) {
        dots[s]! += chunkSums[k + 3 + 2 * s]!;
        sampledStemEnergies[s]! += chunkSums[k + 4 + 2 * s]!;
      }
    }
  const peakAbs = Math.max(0, ...parts.map((part) => part.peakAbs));
  const finest = { samplesPerPeak: SAMPLES_PER_PEAK[0] ?? 256, ...joinPairs(parts, channels) };
  const { pcmPath, peaksPath } = outputPaths(input.outBase);
  const [pcmPart = '', peaksPart = ''] = partPaths(input.outBase);
  const levels = buildLevels(finest);
  writeFileSync(peaksPart, encodePeaks({ version: 1, sampleRate, channels, sampleCount: frames, levels }));
  renameSync(peaksPart, peaksPath);
  renameSync(pcmPart, pcmPath);
  return {
    sampleRate,
    channels,
    sampleCount: frames,
    pcmPath,
    peaksPath,
    offsetFrames: plan.offsetFrames,
    alignment: plan.confidence,
    levelDb: toDb(residualEnergy / sourceEnergy),
    peakDb: toDb((peakAbs / SCALE) ** 2),
    leaks: input.stems.map((stem, s) => ({
      id: stem.id,
      correlation: correlation(dots[s]!, sampledResidualEnergy, sampledStemEnergies[s]!),
    })),
    // The orchestrator knows the wall time of all steps; each step knows only its own CPU time.
    computeMs: 0,
    cpuMs: threadCpuMs(cpuAtStart),
  };
}
