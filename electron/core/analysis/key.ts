// Key and mode from a mono signal: a chromagram of spectral peaks between 60 Hz and 2.5 kHz (each
// frame counted equally), correlated with major and minor key profiles rotated to all 12 tonics.
import { forEachSpectrum } from './fft.ts';
import type { Mode } from '../../../shared/musical-key.ts';
import type { AnalysisSignal } from './signal.ts';

export interface KeyEstimate {
  /** Pitch class of the tonic, 0 = C … 11 = B. */
  tonic: number;
  mode: Mode;
  /** 0..1: how well the chroma fits this key and how far it is ahead of the next best key. */
  confidence: number;
}

// Albrecht and Shanahan's profiles (Music Perception 31(1), 2013), trained on a large corpus: on
// the labelled set they beat Krumhansl-Kessler and Temperley's Kostka-Payne on minor keys, which
// the other two often report as the relative major.
const PROFILES: Record<Mode, number[]> = {
  major: [0.238, 0.006, 0.111, 0.006, 0.137, 0.094, 0.016, 0.214, 0.009, 0.08, 0.008, 0.081],
  minor: [0.22, 0.006, 0.104, 0.123, 0.019, 0.103, 0.012, 0.214, 0.062, 0.022, 0.061, 0.052],
};

const FRAME = 4096;
const HOP = 2048;
const MIN_HZ = 60;
const MAX_HZ = 2500;
/** Peaks more than 40 dB under the frame's loudest are noise for this purpose. */
const PEAK_FLOOR = 0.01;

function chromagram(signal: AnalysisSignal): Float64Array {
  const chroma = new Float64Array(12);
  const binHz = signal.sampleRate / FRAME;
  const low = Math.max(2, Math.floor(MIN_HZ / binHz));
  const high = Math.min(FRAME / 2 - 1, Math.ceil(MAX_HZ / binHz));
  const frame = new Float64Array(12);
  forEachSpectrum(signal.samples, FRAME, HOP, (magnitudes) => {
    let loudest = 0;
    for (let k = low; k <= high; k++) loudest = Math.max(loudest, magnitudes[k] as number);
    if (loudest <= 0) return;
    frame.fill(0);
    for (let k = low; k <= high; k++) {
      const [a, b, c] = [magnitudes[k - 1] as number, magnitudes[k] as number, magnitudes[k + 1] as number];
      if (b < loudest * PEAK_FLOOR || b <= a || b < c) continue;
      const hz = (k + (a - c) / (2 * (a - 2 * b + c) || 1)) * binHz;
      const pitchClass = ((Math.round(69 + 12 * Math.log2(hz / 440)) % 12) + 12) % 12;
      frame[pitchClass] = (frame[pitchClass] as number) + b;
    }
    const total = frame.reduce((x, y) => x + y, 0);
    if (total > 0)
      for (let pc = 0; pc < 12; pc++) chroma[pc] = (chroma[pc] as number) + (frame[pc] as number) / total;
  });
  return chroma;
}

function correlation(x: ArrayLike<number>, y: (i: number) => number): number {
  let [mx, my] = [0, 0];
  for (let i = 0; i < 12; i++) {
    mx += x[i] as number;
    my += y(i);
  }
  [mx, my] = [mx / 12, my / 12];
  let [sxy, sxx, syy] = [0, 0, 0];
  for (let i = 0; i < 12; i++) {
    const [dx, dy] = [(x[i] as number) - mx, y(i) - my];
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0;
}

function keyFromChroma(chroma: Float64Array): KeyEstimate | null {
  if (!chroma.some((v) => v > 0)) return null;
  const scored: Array<{ tonic: number; mode: Mode; r: number }> = [];
  for (const mode of ['major', 'minor'] as const) {
    const profile = PROFILES[mode];
    for (let tonic = 0; tonic < 12; tonic++)
      scored.push({ tonic, mode, r: correlation(chroma, (i) => profile[(i - tonic + 12) % 12] as number) });
  }
  scored.sort((a, b) => b.r - a.r);
  const [best, second] = scored as [(typeof scored)[0], (typeof scored)[0]];
  return {
    tonic: best.tonic,
    mode: best.mode,
    confidence: Math.max(0, Math.min(1, best.r)) * Math.min(1, (best.r - second.r) / 0.15),
  };
}

export function estimateKey(signal: AnalysisSignal): KeyEstimate | null {
  return keyFromChroma(chromagram(signal));
}
