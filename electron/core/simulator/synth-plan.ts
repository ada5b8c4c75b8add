// The musical skeleton shared by all stems of one take (tempo, key, chords), derived from the take's seed.
import { createRandom, hashSeed } from './ids.ts';

const MAJOR = [0, 2, 4, 5, 7, 9, 11];
const MINOR = [0, 2, 3, 5, 7, 8, 10];
const PROGRESSIONS = [
  [0, 4, 5, 3],
  [0, 5, 3, 4],
  [5, 3, 0, 4],
  [0, 3, 4, 4],
];

export interface SongPlan {
  beat: number;
  bar: number;
  root: number;
  scale: number[];
  progression: number[];
  bars: number;
}

export function planSong(seed: number, durationSec: number): SongPlan {
  const random = createRandom(hashSeed('plan', seed));
  const bpm = 92 + Math.floor(random() * 36);
  const beat = 60 / bpm;
  const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)] as T;
  return {
    beat,
    bar: beat * 4,
    root: 45 + Math.floor(random() * 7),
    scale: random() < 0.5 ? MAJOR : MINOR,
    progression: pick(PROGRESSIONS),
    bars: Math.ceil(durationSec / (beat * 4)),
  };
}

/** What a song really is, for tests that check analysis against the audio: tempo, tonic and mode. */
export interface SongFacts {
  bpm: number;
  /** Pitch class of the tonic, 0 = C. */
  tonic: number;
  mode: 'major' | 'minor';
}

export function songFacts(seed: number, durationSec: number): SongFacts {
  const plan = planSong(seed, durationSec);
  return {
    bpm: Math.round(60 / plan.beat),
    tonic: plan.root % 12,
    mode: plan.scale === MAJOR ? 'major' : 'minor',
  };
}

/** MIDI note of a scale degree (may be negative or beyond 6) above the plan's root, shifted by octaves. */
export function degreeMidi(plan: SongPlan, degree: number, octave = 0): number {
  const len = plan.scale.length;
  const wrapped = ((degree % len) + len) % len;
  return plan.root + 12 * (octave + Math.floor(degree / len)) + (plan.scale[wrapped] ?? 0);
}

function chordDegree(plan: SongPlan, bar: number): number {
  return plan.progression[bar % plan.progression.length] ?? 0;
}

/** Triad (root, third, fifth) as scale degrees for a bar. */
export function chordTones(plan: SongPlan, bar: number): number[] {
  const d = chordDegree(plan, bar);
  return [d, d + 2, d + 4];
}
