// Coarser peaks levels built from the finest one by merging groups of peaks (exact: the min of mins
// is the min), so the decode pass only has to track one resolution.
import { SAMPLES_PER_PEAK } from './peaks.ts';
import type { PeaksLevel } from './peaks.ts';

/** 24-bit value to the Int16 scale of the peaks file. */
export function toPeak16(value24: number): number {
  const v = Math.round(value24 / 256);
  return v > 32767 ? 32767 : v < -32768 ? -32768 : v;
}

function mergeLevel(below: PeaksLevel, samplesPerPeak: number): PeaksLevel {
  const factor = samplesPerPeak / below.samplesPerPeak;
  const peakCount = Math.ceil(below.peakCount / factor);
  const data = below.data.map((source) => {
    const out = new Int16Array(peakCount * 2);
    for (let p = 0; p < peakCount; p++) {
      let min = 32767;
      let max = -32768;
      const end = Math.min(below.peakCount, (p + 1) * factor);
      for (let q = p * factor; q < end; q++) {
        min = Math.min(min, source[2 * q] ?? 0);
        max = Math.max(max, source[2 * q + 1] ?? 0);
      }
      out[2 * p] = min;
      out[2 * p + 1] = max;
    }
    return out;
  });
  return { samplesPerPeak, peakCount, data };
}

/** All levels of SAMPLES_PER_PEAK, given the finest. */
export function buildLevels(finest: PeaksLevel): PeaksLevel[] {
  const levels = [finest];
  for (const samplesPerPeak of SAMPLES_PER_PEAK.slice(1)) {
    const below = levels[levels.length - 1];
    if (below) levels.push(mergeLevel(below, samplesPerPeak));
  }
  return levels;
}
