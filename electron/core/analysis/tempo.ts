// Tempo, its confidence and the first beat from a mono signal: a spectral-flux onset envelope, its
// autocorrelation for candidate beat periods, a metrical template that picks the beat level (the
// pulse whose beats are subdivided in two or in three: straight, half-time and swung feels), then
// beat tracking and a least-squares fit of the beat times for a tempo precise to a fraction of a BPM.
import { forEachSpectrum } from './fft.ts';
import type { AnalysisSignal } from './signal.ts';

export interface TempoEstimate {
  bpm: number;
  /** 0..1: how periodic the onsets are at this tempo and how clearly it beats the other candidates. */
  confidence: number;
  /** Seconds from the start of the audio to the first beat of the fitted grid that falls on an onset. */
  firstBeatSec: number;
}

const FRAME = 1024;
const HOP = 256;
const MIN_BPM = 55;
const MAX_BPM = 215;
/** Folded beat-phase histogram resolution and the half-width of each template slot, in bins. */
const BINS = 48;
const SLOT = 3;
/** How many envelope frames one onset's flux spreads over on each side of its peak. */
const ONSET_SMEAR_FRAMES = 3;
const MIN_SECONDS = 4;

interface Envelope {
  values: Float64Array;
  /** Frames per second. */
  rate: number;
  /** Added to frame / rate, gives the time of the onset that frame's flux peak stands for. */
  offsetSec: number;
}

/** Half-wave rectified log-magnitude flux, minus its local mean so slow swells do not count. */
function onsetEnvelope(signal: AnalysisSignal): Envelope {
  const frames = Math.ceil(signal.samples.length / HOP);
  const flux = new Float64Array(frames);
  // Silence before the audio, so a hit on the very first sample counts as an onset.
  let previous = new Float64Array(FRAME / 2 + 1);
  let logs = new Float64Array(FRAME / 2 + 1);
  forEachSpectrum(signal.samples, FRAME, HOP, (magnitudes, index) => {
    let sum = 0;
    for (let k = 1; k < magnitudes.length; k++) {
      logs[k] = Math.log1p(100 * (magnitudes[k] as number));
      sum += Math.max(0, (logs[k] as number) - (previous[k] as number));
    }
    flux[index] = sum;
    [previous, logs] = [logs, previous];
  });
  const rate = signal.sampleRate / HOP;
  const half = Math.round(rate * 0.25);
  const values = new Float64Array(frames);
  let windowSum = 0;
  let windowCount = 0;
  for (let i = -half; i < frames; i++) {
    const entering = i + half;
    if (entering < frames) {
      windowSum += flux[entering] as number;
      windowCount++;
    }
    const leaving = i - half - 1;
    if (leaving >= 0) {
      windowSum -= flux[leaving] as number;
      windowCount--;
    }
    if (i >= 0) values[i] = Math.max(0, (flux[i] as number) - windowSum / windowCount);
  }
  // Calibrated on the labelled clips: the flux peaks at the frame whose middle is one hop before
  // the attack.
  return { values, rate, offsetSec: (FRAME / 2 + HOP) / signal.sampleRate };
}

function autocorrelation(values: Float64Array, maxLag: number): Float64Array {
  const n = values.length;
  let mean = 0;
  for (const v of values) mean += v;
  mean /= n;
  const centred = values.map((v) => v - mean);
  const r = new Float64Array(maxLag + 1);
  for (let lag = 0; lag <= maxLag; lag++) {
    let sum = 0;
    for (let i = 0; i + lag < n; i++) sum += (centred[i] as number) * (centred[i + lag] as number);
    r[lag] = sum / (n - lag);
  }
  return r;
}

function largest(values: Float64Array): number {
  let peak = 0;
  for (const v of values) peak = Math.max(peak, v);
  return peak;
}

function interpolate(values: Float64Array, position: number): number {
  const i = Math.floor(position);
  const frac = position - i;
  return (values[i] ?? 0) * (1 - frac) + (values[i + 1] ?? 0) * frac;
}

/** Local maxima of the autocorrelation inside the tempo range, strongest first, with parabolic lags. */
function peakLags(r: Float64Array, minLag: number, maxLag: number): number[] {
  const peaks: Array<{ lag: number; value: number }> = [];
  for (let lag = Math.max(2, Math.floor(minLag)); lag <= Math.min(r.length - 2, Math.ceil(maxLag)); lag++) {
    const [a, b, c] = [r[lag - 1] as number, r[lag] as number, r[lag + 1] as number];
    if (b <= a || b < c || b <= 0) continue;
    const shift = (a - c) / (2 * (a - 2 * b + c) || 1);
    peaks.push({ lag: lag + shift, value: b });
  }
  return peaks.sort((x, y) => y.value - x.value).map((p) => p.lag);
}

/** Sharpens a period by the autocorrelation summed at its multiples, whose errors add up k-fold. */
function refinePeriod(r: Float64Array, period: number): number {
  const score = (p: number): number => {
    let sum = 0;
    let count = 0;
    for (let k = 1; k * p < r.length - 1; k++, count++) sum += interpolate(r, k * p);
    return count ? sum / count : 0;
  };
  let best = period;
  for (const span of [0.03, 0.005, 0.001]) {
    const centre = best;
    let bestScore = -Infinity;
    for (let step = -10; step <= 10; step++) {
      const p = centre * (1 + (span * step) / 10);
      const s = score(p);
      if (s > bestScore) {
        bestScore = s;
        best = p;
      }
    }
  }
  return best;
}

interface MetricalFit {
  score: number;
  /** Phase of the beat within the period, in frames. */
  phase: number;
}

/** Folds the envelope at `period` and asks how much of it sits on the beat and one subdivision. */
function metricalFit(values: Float64Array, period: number): MetricalFit {
  const histogram = new Float64Array(BINS);
  for (let i = 0; i < values.length; i++) {
    const position = ((i / period) % 1) * BINS;
    const bin = Math.floor(position);
    const frac = position - bin;
    histogram[bin] = (histogram[bin] as number) + (values[i] as number) * (1 - frac);
    histogram[(bin + 1) % BINS] = (histogram[(bin + 1) % BINS] as number) + (values[i] as number) * frac;
  }
  const baseline = [...histogram].sort((a, b) => a - b)[BINS >> 1] as number;
  const above = histogram.map((v) => Math.max(0, v - baseline));
  // At fast tempos a slot of SLOT bins is narrower than an onset's smear over the frames.
  const halfWidth = Math.min(5, Math.max(SLOT, Math.round((ONSET_SMEAR_FRAMES / period) * BINS)));
  const slot = (centre: number): number => {
    let sum = 0;
    for (let d = -halfWidth; d <= halfWidth; d++)
      sum += above[(((centre + d) % BINS) + BINS) % BINS] as number;
    return sum;
  };
  let beatBin = 0;
  for (let b = 1; b < BINS; b++) if (slot(b) > slot(beatBin)) beatBin = b;
  const at = (fraction: number): number => slot(beatBin + Math.round(fraction * BINS));
  const total = above.reduce((a, b) => a + b, 0);
  const onBeat = at(0);
  if (total <= 0 || onBeat <= 0) return { score: 0, phase: (beatBin / BINS) * period };
  const [half, swing, quarters] = [at(0.5), at(2 / 3), at(0.25) + at(0.75)];
  // Swing is the beat plus its last third; even thirds are straight eighths folded at 4/3 the tempo.
  // Sixteenths fit too, but less well: they are as likely to be eighths at double the tempo.
  const fit = Math.max(onBeat + half, onBeat + swing, 0.85 * (onBeat + half + quarters)) / total;
  const subdivision = Math.max(half, swing) / onBeat;
  const phase = (beatBin / BINS) * period;
  const occupancy = beatOccupancy(values, period, phase);
  // A subdivision as strong as the beat is more likely a beat itself (a plain click at 2x this tempo).
  const evenness = Math.min(1, Math.max(0, (0.9 - subdivision) / 0.1));
  const subdivided = Math.min(1, subdivision / 0.15) * evenness;
  return { score: fit * (0.5 + 0.5 * subdivided) * occupancy ** 2, phase };
}

/**
 * The share of beats on the grid that have an onset near them. Folding alone cannot tell eighths at
 * T from beats at 1.5 T or 3 T (every second or third of those beats is silent); this can.
 */
function beatOccupancy(values: Float64Array, period: number, phase: number): number {
  const threshold = 0.1 * largest(values);
  const reach = period / 8;
  let beats = 0;
  let occupied = 0;
  // Only beats whose whole window is inside the audio: the edges say nothing either way.
  for (let centre = phase; centre + reach < values.length; centre += period) {
    if (centre - reach < 0) continue;
    beats++;
    for (let i = Math.ceil(centre - reach); i <= centre + reach; i++) {
      if ((values[i] as number) >= threshold) {
        occupied++;
        break;
      }
    }
  }
  return beats ? occupied / beats : 0;
}

/** A weak preference for tempos near 120 BPM (log-normal, 1.5 octaves wide) that only breaks near-ties. */
function tempoPrior(bpm: number): number {
  return Math.exp(-0.5 * (Math.log2(bpm / 120) / 1.5) ** 2);
}

/**
 * Follows the beats from the folded phase, each found as the strongest onset near its prediction,
 * and fits beat index → frame by least squares, refitted after every accepted beat.
 */
function trackBeats(
  values: Float64Array,
  period: number,
  phase: number,
): { period: number; first: number } | null {
  const threshold = 0.1 * largest(values);
  const reach = period / 6;
  let [n, sumK, sumT, sumKK, sumKT] = [0, 0, 0, 0, 0];
  let slope = period;
  // A beat right at the start may sit a little before frame 0 of the envelope.
  let intercept = phase - period > -reach ? phase - period : phase;
  let first: number | null = null;
  for (let k = 0; intercept + k * slope < values.length; k++) {
    const predicted = intercept + k * slope;
    let best = -1;
    for (
      let i = Math.max(0, Math.ceil(predicted - reach));
      i <= Math.min(values.length - 2, predicted + reach);
      i++
    )
      if (best < 0 || (values[i] as number) > (values[best] as number)) best = i;
    if (best < 0 || (values[best] as number) < threshold) continue;
    const [a, b, c] = [values[best - 1] ?? 0, values[best] as number, values[best + 1] as number];
    const time = best + (a - c) / (2 * (a - 2 * b + c) || 1);
    n++;
    sumK += k;
    sumT += time;
    sumKK += k * k;
    sumKT += k * time;
    if (n >= 4) {
      const denominator = n * sumKK - sumK * sumK;
      if (denominator > 0) {
        slope = (n * sumKT - sumK * sumT) / denominator;
        intercept = (sumT - slope * sumK) / n;
      }
    }
    first ??= k;
  }
  if (first === null || n < 4) return null;
  return { period: slope, first: intercept + first * slope };
}

export function estimateTempo(signal: AnalysisSignal): TempoEstimate | null {
  if (signal.samples.length < MIN_SECONDS * signal.sampleRate) return null;
  const envelope = onsetEnvelope(signal);
  const { values, rate } = envelope;
  const minLag = (60 * rate) / MAX_BPM;
  const maxLag = (60 * rate) / MIN_BPM;
  const r = autocorrelation(values, Math.min(values.length - 1, Math.round(rate * 12)));
  if (!((r[0] as number) > 0)) return null;
  const periods: number[] = [];
  for (const lag of peakLags(r, minLag / 2, maxLag * 2).slice(0, 6)) {
    for (const ratio of [1, 2, 0.5, 1.5, 2 / 3, 3, 1 / 3]) {
      const p = lag * ratio;
      if (p < minLag || p > maxLag || periods.some((q) => Math.abs(q / p - 1) < 0.02)) continue;
      periods.push(p);
    }
  }
  const candidates = periods.map((rough) => {
    const period = refinePeriod(r, rough);
    const fit = metricalFit(values, period);
    return { period, phase: fit.phase, score: fit.score * tempoPrior((60 * rate) / period) };
  });
  candidates.sort((a, b) => b.score - a.score);
  const winner = candidates[0];
  if (!winner || winner.score <= 0) return null;
  const tracked = trackBeats(values, winner.period, winner.phase);
  if (!tracked) return null;
  const runnerUp = candidates.find((c) => Math.abs(c.period / winner.period - 1) > 0.03)?.score ?? 0;
  const clarity = Math.max(0, interpolate(r, winner.period) / (r[0] as number));
  const margin = Math.min(1, 3 * (1 - runnerUp / winner.score));
  return {
    bpm: (60 * rate) / tracked.period,
    confidence: Math.min(1, Math.sqrt(clarity)) * (0.5 + 0.5 * margin),
    firstBeatSec: Math.max(0, tracked.first / rate + envelope.offsetSec),
  };
}
