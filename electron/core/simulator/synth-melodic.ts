// Generators for the pitched, sustained stems: lead and backing vocals, keys, strings, synth, brass and woodwinds.
import {
  PIANO,
  REED,
  SAW,
  SINE,
  SQUARE,
  VOICE,
  midiToHz,
  renderNote,
  type StereoBuffer,
} from './synth-dsp.ts';
import { chordTones, degreeMidi, type SongPlan } from './synth-plan.ts';
import { logNote, type NoteLog } from './synth-score.ts';

/** Renders one stem into `out` and logs every pitched note it plays (`log`). */
export type Generator = (plan: SongPlan, random: () => number, out: StereoBuffer, log: NoteLog) => void;

const both = (out: StereoBuffer, l = 1, r = 1): Array<[Float32Array, number]> => [
  [out.left, l],
  [out.right, r],
];

/** One sung note of the lead vocal: where the simulator's lyrics put a word. */
export interface VocalNote {
  start: number;
  dur: number;
  midi: number;
  /** Bar index: every fourth bar is a rest, so bars 4k..4k+2 form one phrase (a lyric line). */
  bar: number;
}

/** The lead vocal's notes, drawn from `random` exactly as the vocal stem renders them. */
export function vocalNotes(plan: SongPlan, random: () => number): VocalNote[] {
  const notes: VocalNote[] = [];
  let degree = 4;
  for (let bar = 0; bar < plan.bars; bar++) {
    if (bar % 4 === 3) continue;
    for (let b = 0; b < 4; b++) {
      degree = Math.min(9, Math.max(0, degree + Math.floor(random() * 5) - 2));
      const held = b % 2 === 0 && random() < 0.35;
      const start = bar * plan.bar + b * plan.beat;
      notes.push({ start, dur: plan.beat * (held ? 1.9 : 0.92), midi: degreeMidi(plan, degree, 1), bar });
      if (held) b++;
    }
  }
  return notes;
}

export const vocals: Generator = (plan, random, out, log) => {
  const voice = {
    table: VOICE,
    attack: 0.04,
    release: 0.08,
    decay: Infinity,
    vibrato: { rate: 5.5, depth: 0.007, delay: 0.12 },
  };
  for (const note of vocalNotes(plan, random)) {
    const played = { start: note.start, dur: note.dur, gain: 1 };
    renderNote(both(out), { ...played, freq: midiToHz(note.midi) }, voice);
    logNote(log, note.midi, played);
  }
};

export const backingVocals: Generator = (plan, _random, out, log) => {
  const voice = {
    table: VOICE,
    attack: 0.25,
    release: 0.3,
    decay: Infinity,
    vibrato: { rate: 4.8, depth: 0.004, delay: 0.3 },
  };
  for (let bar = 0; bar < plan.bars; bar++) {
    const [a = 0, b = 2, c = 4] = chordTones(plan, bar);
    const note = { start: bar * plan.bar, dur: plan.bar * 0.98, gain: 0.5 };
    renderNote([[out.left, 1]], { ...note, freq: midiToHz(degreeMidi(plan, a, 1)) }, voice);
    renderNote([[out.right, 1]], { ...note, freq: midiToHz(degreeMidi(plan, b, 1)) }, voice);
    renderNote(both(out, 0.6, 0.6), { ...note, freq: midiToHz(degreeMidi(plan, c, 1)) }, voice);
    for (const degree of [a, b, c]) logNote(log, degreeMidi(plan, degree, 1), note);
  }
};

export const keyboard: Generator = (plan, _random, out, log) => {
  const voice = { table: PIANO, attack: 0.004, release: 0.05, decay: 0.45 };
  for (let bar = 0; bar < plan.bars; bar++) {
    for (let b = 0; b < 4; b++) {
      for (const degree of chordTones(plan, bar)) {
        const note = { start: bar * plan.bar + b * plan.beat, dur: plan.beat * 0.95, gain: 0.33 };
        renderNote(both(out, 0.55, 1), { ...note, freq: midiToHz(degreeMidi(plan, degree, 0)) }, voice);
        logNote(log, degreeMidi(plan, degree, 0), note);
      }
    }
  }
};

export const strings: Generator = (plan, _random, out, log) => {
  const voice = {
    table: SAW,
    attack: 0.45,
    release: 0.5,
    decay: Infinity,
    vibrato: { rate: 5, depth: 0.003, delay: 0.2 },
  };
  for (let bar = 0; bar < plan.bars; bar += 2) {
    for (const degree of chordTones(plan, bar)) {
      const note = { start: bar * plan.bar, dur: plan.bar * 2, gain: 0.33 };
      const freq = midiToHz(degreeMidi(plan, degree, 0));
      renderNote([[out.left, 1]], { ...note, freq }, voice);
      renderNote([[out.right, 1]], { ...note, freq: freq * 1.004 }, voice);
      logNote(log, degreeMidi(plan, degree, 0), note);
    }
  }
};

export const synth: Generator = (plan, _random, out, log) => {
  const voice = { table: SQUARE, attack: 0.004, release: 0.02, decay: 0.09 };
  const step = plan.beat / 4;
  for (let bar = 0; bar < plan.bars; bar++) {
    const tones = chordTones(plan, bar);
    for (let i = 0; i < 16; i++) {
      const degree = (tones[i % 3] ?? 0) + (i % 6 >= 3 ? 7 : 0);
      const pan = i % 2 === 0 ? both(out, 1, 0.3) : both(out, 0.3, 1);
      const note = { start: bar * plan.bar + i * step, dur: step * 0.9, gain: 1 };
      renderNote(pan, { ...note, freq: midiToHz(degreeMidi(plan, degree, 1)) }, voice);
      logNote(log, degreeMidi(plan, degree, 1), note);
    }
  }
};

export const brass: Generator = (plan, _random, out, log) => {
  const voice = { table: SAW, attack: 0.03, release: 0.06, decay: 0.35 };
  for (let bar = 1; bar < plan.bars; bar += 2) {
    for (const beat of [1.5, 3.5]) {
      const [root = 0, , fifth = 4] = chordTones(plan, bar);
      for (const degree of [root, fifth]) {
        const note = { start: bar * plan.bar + beat * plan.beat, dur: plan.beat * 0.45, gain: 0.5 };
        renderNote(both(out, 0.7, 1), { ...note, freq: midiToHz(degreeMidi(plan, degree, 0)) }, voice);
        logNote(log, degreeMidi(plan, degree, 0), note);
      }
    }
  }
};

export const woodwinds: Generator = (plan, random, out, log) => {
  const flute = {
    table: REED,
    attack: 0.12,
    release: 0.2,
    decay: Infinity,
    vibrato: { rate: 5.2, depth: 0.005, delay: 0.2 },
  };
  for (let bar = 0; bar < plan.bars; bar++) {
    const degree = (chordTones(plan, bar)[Math.floor(random() * 3)] ?? 0) + 7;
    const note = { start: bar * plan.bar, dur: plan.bar * 0.9, gain: 1 };
    renderNote(both(out, 0.8, 1), { ...note, freq: midiToHz(degreeMidi(plan, degree, 1)) }, flute);
    // The quiet third harmonic below colours the tone; it is not a note of its own.
    logNote(log, degreeMidi(plan, degree, 1), note);
    renderNote(
      both(out),
      {
        start: bar * plan.bar,
        dur: plan.bar * 0.9,
        gain: 0.05,
        freq: 3 * midiToHz(degreeMidi(plan, degree, 1)),
      },
      { ...flute, table: SINE },
    );
  }
};
