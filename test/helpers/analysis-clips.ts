// The labelled set that measures tempo and key analysis: short clips of drums (straight, half-time
// or swung), a bass line and chord pads at known tempos from 60 to 200 BPM in all 24 keys, plus
// the simulator's own songs, whose tempo and key come from the same plan that synthesised them.
import { createRandom, hashSeed } from '../../electron/core/simulator/ids.ts';
import { renderPart } from '../../electron/core/simulator/synth-audio.ts';
import {
  PIANO,
  SAMPLE_RATE,
  SAW,
  SINE,
  midiToHz,
  renderKick,
  renderNoise,
  renderNote,
} from '../../electron/core/simulator/synth-dsp.ts';
import { songFacts } from '../../electron/core/simulator/synth-plan.ts';
import type { Mode } from '../../shared/musical-key.ts';

export type Feel = 'straight' | 'half-time' | 'swung';

export interface LabelledClip {
  name: string;
  bpm: number;
  feel: Feel | 'song';
  tonic: number;
  mode: Mode;
  /** Seconds of the first downbeat (null where the source does not say). */
  firstBeatSec: number | null;
  sampleRate: number;
  channels: Float32Array[];
}

const MAJOR = [0, 2, 4, 5, 7, 9, 11];
const MINOR = [0, 2, 3, 5, 7, 8, 10];
/** Scale-degree progressions, one chord per bar; the minor ones raise the seventh in V. */
const PROGRESSIONS: Record<Mode, readonly number[][]> = {
  major: [
    [0, 4, 5, 3],
    [0, 3, 4, 0],
    [0, 5, 3, 4],
  ],
  minor: [
    [0, 5, 2, 6],
    [0, 3, 4, 0],
    [0, 6, 5, 4],
    [0, 5, 3, 4],
  ],
};
const FEELS: Feel[] = ['straight', 'half-time', 'swung'];

interface Pattern {
  kicks: number[];
  snares: number[];
  /** Hat positions in beats within one beat. */
  hats: number[];
}

const PATTERNS: Record<Feel, Pattern> = {
  straight: { kicks: [0, 2], snares: [1, 3], hats: [0, 0.5] },
  // Half-time: the backbeat lands on 3 only, the hats keep the beat in eighths.
  'half-time': { kicks: [0, 2.5], snares: [2], hats: [0, 0.5] },
  swung: { kicks: [0, 2], snares: [1, 3], hats: [0, 2 / 3] },
};

function midiOf(tonic: number, mode: Mode, degree: number, octave: number, raisedSeventh: boolean): number {
  const scale = mode === 'major' ? MAJOR : MINOR;
  const wrapped = ((degree % 7) + 7) % 7;
  const step = (scale[wrapped] as number) + (raisedSeventh && mode === 'minor' && wrapped === 6 ? 1 : 0);
  return 12 * (octave + Math.floor(degree / 7)) + tonic + step;
}

/** One clip: `durationSec` of drums, bass and pads; the first beat after a short silence. */
export function renderClip(options: {
  name: string;
  bpm: number;
  feel: Feel;
  tonic: number;
  mode: Mode;
  progression: number[];
  durationSec: number;
  seed: number;
}): LabelledClip {
  const { bpm, feel, tonic, mode, progression } = options;
  const random = createRandom(hashSeed('analysis-clip', options.seed));
  const out = new Float32Array(Math.round(options.durationSec * SAMPLE_RATE));
  const beat = 60 / bpm;
  const start = 0.05 + random() * 0.4;
  const pattern = PATTERNS[feel];
  const bars = Math.ceil((options.durationSec - start) / (4 * beat));
  for (let bar = 0; bar < bars; bar++) {
    const barStart = start + bar * 4 * beat;
    for (const k of pattern.kicks) renderKick(out, barStart + k * beat, 0.9);
    for (const s of pattern.snares) {
      const at = barStart + s * beat;
      renderNoise(out, { start: at, dur: 0.2, gain: 0.45, decay: 0.07, brightness: 0.4 }, random);
      renderNote(
        [[out, 1]],
        { start: at, dur: 0.12, gain: 0.3, freq: 200 },
        { table: SINE, attack: 0.001, release: 0.01, decay: 0.05 },
      );
    }
    for (let b = 0; b < 4; b++)
      for (const h of pattern.hats)
        renderNoise(
          out,
          {
            start: barStart + (b + h) * beat,
            dur: 0.05,
            gain: h === 0 ? 0.22 : 0.15,
            decay: 0.015,
            brightness: 1,
          },
          random,
        );
    const degree = progression[bar % progression.length] as number;
    const isDominant = degree === 4;
    const chordStart = barStart;
    const chordDur = 4 * beat;
    for (const tone of [0, 2, 4])
      renderNote(
        [[out, 1]],
        {
          start: chordStart,
          dur: chordDur,
          gain: 0.07,
          freq: midiToHz(midiOf(tonic, mode, degree + tone, 5, isDominant)),
        },
        { table: SAW, attack: 0.02, release: 0.1, decay: Infinity },
      );
    for (let b = 0; b < 4; b += 2)
      renderNote(
        [[out, 1]],
        {
          start: barStart + b * beat,
          dur: 1.8 * beat,
          gain: 0.25,
          freq: midiToHz(midiOf(tonic, mode, degree, 3, isDominant)),
        },
        { table: PIANO, attack: 0.005, release: 0.05, decay: 0.6 },
      );
  }
  let peak = 0;
  for (const v of out) peak = Math.max(peak, Math.abs(v));
  if (peak > 0.95) for (let i = 0; i < out.length; i++) out[i] = ((out[i] as number) * 0.95) / peak;
  return {
    name: options.name,
    bpm,
    feel,
    tonic,
    mode,
    firstBeatSec: start,
    sampleRate: SAMPLE_RATE,
    channels: [out],
  };
}

/**
 * `count` clips spread evenly over 60..200 BPM, cycling through the three feels and all 24 keys
 * (count >= 24 covers every key), each `durationSec` long.
 */
export function labelledClips(count: number, durationSec: number): LabelledClip[] {
  return Array.from({ length: count }, (_, i) => {
    const bpm = Math.round(60 + (140 * i) / Math.max(1, count - 1));
    const feel = FEELS[i % FEELS.length] as Feel;
    const key = (i * 7) % 24;
    const mode: Mode = key < 12 ? 'major' : 'minor';
    const tonic = key % 12;
    const progressions = PROGRESSIONS[mode];
    return renderClip({
      name: `clip-${String(i + 1).padStart(2, '0')}`,
      bpm,
      feel,
      tonic,
      mode,
      progression: progressions[i % progressions.length] ?? [0],
      durationSec,
      seed: i,
    });
  });
}

/** The simulator's full mixes: tempo and key straight from the plan that synthesised them. */
export async function simulatorSongs(seeds: number[], durationSec: number): Promise<LabelledClip[]> {
  const clips: LabelledClip[] = [];
  for (const seed of seeds) {
    const facts = songFacts(seed, durationSec);
    const mix = await renderPart(seed, 'mix', durationSec);
    clips.push({
      name: `song-${seed}`,
      ...facts,
      feel: 'song',
      firstBeatSec: 0,
      sampleRate: SAMPLE_RATE,
      channels: [mix.left, mix.right],
    });
  }
  return clips;
}
