// The simulator's MIDI answers are held against the audio it synthesises: every note's pitch is
// the pitch the stem really sounds (autocorrelation of the rendered PCM), and every onset is within
// 20 ms of the note's start.
import { describe, expect, it } from 'vitest';
import { renderStem, scoreStem } from '../../electron/core/simulator/synth-audio.ts';
import { SAMPLE_RATE } from '../../electron/core/simulator/synth-dsp.ts';
import type { StemKey } from '../../electron/core/simulator/stems.ts';

const SEEDS = [1, 7, 42];
const DURATION = 8;

/** The fundamental of a window by normalised autocorrelation: the shortest lag near the best one. */
function pitchOf(samples: Float32Array, from: number, length: number): number {
  const minLag = Math.floor(SAMPLE_RATE / 2500);
  const maxLag = Math.ceil(SAMPLE_RATE / 30);
  const n = Math.min(length, samples.length - from - maxLag);
  const scores: number[] = [];
  for (let lag = minLag; lag <= maxLag; lag++) {
    let sum = 0;
    let energyA = 0;
    let energyB = 0;
    for (let i = 0; i < n; i++) {
      const a = samples[from + i] ?? 0;
      const b = samples[from + i + lag] ?? 0;
      sum += a * b;
      energyA += a * a;
      energyB += b * b;
    }
    scores.push(sum / Math.sqrt(energyA * energyB || 1));
  }
  // Skip the main lobe around lag 0 (a smooth wave still resembles itself a few samples later).
  const firstDip = Math.max(
    0,
    scores.findIndex((s) => s < 0),
  );
  const best = Math.max(...scores.slice(firstDip));
  // Multiples of the period score about as well as the period itself: take the first near-best peak.
  const index = scores.findIndex(
    (s, i) => i >= firstDip && s >= 0.9 * best && s >= (scores[i - 1] ?? -1) && s >= (scores[i + 1] ?? -1),
  );
  const frequency = SAMPLE_RATE / (index + minLag);
  return Math.round(69 + 12 * Math.log2(frequency / 440));
}

/** Where the level first jumps to half its new peak, in seconds, around `start`. */
function onsetNear(samples: Float32Array, start: number): number | null {
  const at = (t: number) => Math.max(0, Math.round(t * SAMPLE_RATE));
  const peak = (a: number, b: number) => {
    let max = 0;
    for (let i = at(a); i < at(b) && i < samples.length; i++) max = Math.max(max, Math.abs(samples[i] ?? 0));
    return max;
  };
  // Just before the start: in every stem the previous note has been released by then.
  const before = peak(start - 0.012, start - 0.003);
  const after = peak(start, start + 0.05);
  if (after < 3 * before) return null;
  const threshold = before + 0.5 * (after - before);
  for (let i = at(start - 0.012); i < at(start + 0.05); i++)
    if (Math.abs(samples[i] ?? 0) >= threshold) return i / SAMPLE_RATE;
  return null;
}

describe('simulator MIDI against its own audio', () => {
  it.each(SEEDS.flatMap((seed) => (['bass', 'synth'] as StemKey[]).map((stem) => [seed, stem] as const)))(
    'seed %i %s: every note sounds at its pitch',
    (seed, stem) => {
      const audio = renderStem(seed, stem, DURATION).left;
      const notes = scoreStem(seed, stem, DURATION).filter((n) => n.end - n.start > 0.08);
      expect(notes.length).toBeGreaterThan(4);
      for (const note of notes) {
        const from = Math.round((note.start + 0.02) * SAMPLE_RATE);
        const length = Math.round(Math.min(0.12, note.end - note.start - 0.04) * SAMPLE_RATE);
        expect({ start: note.start, pitch: pitchOf(audio, from, length) }).toEqual({
          start: note.start,
          pitch: note.pitch,
        });
      }
    },
  );

  it.each(
    SEEDS.flatMap((seed) => (['bass', 'drums', 'synth'] as StemKey[]).map((stem) => [seed, stem] as const)),
  )('seed %i %s: every onset is within 20 ms of the note start', (seed, stem) => {
    const audio = renderStem(seed, stem, DURATION).left;
    const notes = scoreStem(seed, stem, DURATION);
    expect(notes.length).toBeGreaterThan(4);
    for (const note of notes) {
      const onset = onsetNear(audio, note.start);
      expect(onset, `no onset near ${note.start.toFixed(3)} s`).not.toBeNull();
      expect(Math.abs((onset ?? Infinity) - note.start)).toBeLessThanOrEqual(0.02);
    }
  });
});
