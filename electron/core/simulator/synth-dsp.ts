// Small DSP building blocks for the synthetic stems: wavetables, enveloped notes, noise hits and plucked strings.

export const SAMPLE_RATE = 44100;
const TABLE_SIZE = 4096;

export interface StereoBuffer {
  left: Float32Array;
  right: Float32Array;
}

export function createStereo(frames: number): StereoBuffer {
  return { left: new Float32Array(frames), right: new Float32Array(frames) };
}

function makeTable(harmonics: number[]): Float32Array {
  const table = new Float32Array(TABLE_SIZE);
  let peak = 0;
  for (let i = 0; i < TABLE_SIZE; i++) {
    let v = 0;
    harmonics.forEach((w, k) => (v += w * Math.sin((2 * Math.PI * (k + 1) * i) / TABLE_SIZE)));
    table[i] = v;
    peak = Math.max(peak, Math.abs(v));
  }
  for (let i = 0; i < TABLE_SIZE; i++) table[i] = (table[i] ?? 0) / peak;
  return table;
}

// Wavetables are band-limited by construction (few harmonics), which keeps them cheap and alias-free enough.
export const SINE = makeTable([1]);
export const SAW = makeTable([1, 1 / 2, 1 / 3, 1 / 4, 1 / 5, 1 / 6, 1 / 7, 1 / 8]);
export const SQUARE = makeTable([1, 0, 1 / 3, 0, 1 / 5, 0, 1 / 7]);
export const VOICE = makeTable([1, 0.35, 0.15, 0.05]);
export const REED = makeTable([1, 0.6, 0.45, 0.3, 0.2, 0.12]);
export const PIANO = makeTable([1, 0.5, 0.25, 0.12, 0.06]);

function lookup(table: Float32Array, phase: number): number {
  return table[((phase - Math.floor(phase)) * TABLE_SIZE) | 0] ?? 0;
}

export function midiToHz(midi: number): number {
  return 440 * 2 ** ((midi - 69) / 12);
}

interface Voice {
  table: Float32Array;
  attack: number;
  release: number;
  /** Exponential decay time constant in seconds; Infinity sustains. */
  decay: number;
  vibrato?: { rate: number; depth: number; delay: number };
}

interface Note {
  start: number;
  dur: number;
  freq: number;
  gain: number;
}

/** Adds one enveloped note to one or two channels, each with its own gain. */
export function renderNote(outs: Array<[Float32Array, number]>, note: Note, voice: Voice): void {
  const first = outs[0]?.[0];
  if (!first) return;
  const s0 = Math.round(note.start * SAMPLE_RATE);
  const n = Math.min(first.length - s0, Math.round(note.dur * SAMPLE_RATE));
  const attack = Math.max(1, voice.attack * SAMPLE_RATE);
  const release = Math.max(1, voice.release * SAMPLE_RATE);
  const decayK = Number.isFinite(voice.decay) ? Math.exp(-1 / (voice.decay * SAMPLE_RATE)) : 1;
  const vib = voice.vibrato;
  const vibStart = vib ? vib.delay * SAMPLE_RATE : Infinity;
  const [, g1] = outs[0] ?? [first, 0];
  const [second, g2] = outs[1] ?? [null, 0];
  let phase = 0;
  let decay = 1;
  for (let i = 0; i < n; i++) {
    const f =
      i > vibStart && vib
        ? note.freq * (1 + vib.depth * lookup(SINE, (vib.rate * i) / SAMPLE_RATE))
        : note.freq;
    phase += f / SAMPLE_RATE;
    const v = note.gain * Math.min(1, i / attack, (n - i) / release) * decay * lookup(voice.table, phase);
    decay *= decayK;
    first[s0 + i] = (first[s0 + i] ?? 0) + v * g1;
    if (second) second[s0 + i] = (second[s0 + i] ?? 0) + v * g2;
  }
}

interface NoiseHit {
  start: number;
  dur: number;
  gain: number;
  decay: number;
  /** 0 = white noise, 1 = first difference (hiss-like, high-passed). */
  brightness: number;
}

export function renderNoise(out: Float32Array, hit: NoiseHit, random: () => number): void {
  const s0 = Math.round(hit.start * SAMPLE_RATE);
  const n = Math.min(out.length - s0, Math.round(hit.dur * SAMPLE_RATE));
  const decayK = Math.exp(-1 / (hit.decay * SAMPLE_RATE));
  let env = hit.gain;
  let prev = 0;
  for (let i = 0; i < n; i++) {
    const w = random() * 2 - 1;
    const v = (1 - hit.brightness) * w + (hit.brightness * (w - prev)) / 2;
    prev = w;
    out[s0 + i] = (out[s0 + i] ?? 0) + v * env * Math.min(1, i / 40);
    env *= decayK;
  }
}

/** Karplus-Strong plucked string. */
export function renderPluck(out: Float32Array, note: Note, random: () => number): void {
  const s0 = Math.round(note.start * SAMPLE_RATE);
  const n = Math.min(out.length - s0, Math.round(note.dur * SAMPLE_RATE));
  const period = Math.max(2, Math.round(SAMPLE_RATE / note.freq));
  const line = Float32Array.from({ length: period }, () => random() * 2 - 1);
  const fade = Math.max(1, 0.02 * SAMPLE_RATE);
  for (let i = 0; i < n; i++) {
    const j = i % period;
    const next = line[(j + 1) % period] ?? 0;
    const v = line[j] ?? 0;
    line[j] = 0.498 * (v + next);
    out[s0 + i] = (out[s0 + i] ?? 0) + note.gain * v * Math.min(1, (n - i) / fade);
  }
}

/** Kick drum: a sine whose pitch falls quickly, with a longer amplitude decay. */
export function renderKick(out: Float32Array, start: number, gain: number): void {
  const s0 = Math.round(start * SAMPLE_RATE);
  const n = Math.min(out.length - s0, Math.round(0.45 * SAMPLE_RATE));
  let phase = 0;
  for (let i = 0; i < n; i++) {
    const t = i / SAMPLE_RATE;
    phase += (45 + 90 * Math.exp(-t / 0.035)) / SAMPLE_RATE;
    const v = gain * Math.exp(-t / 0.16) * Math.min(1, i / 20) * lookup(SINE, phase);
    out[s0 + i] = (out[s0 + i] ?? 0) + v;
  }
}
