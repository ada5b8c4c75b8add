// Generators for the rhythmic and textural stems: drums, percussion, bass, guitar and FX.
import {
  SAW,
  SINE,
  createStereo,
  midiToHz,
  renderKick,
  renderNoise,
  renderNote,
  renderPluck,
  SAMPLE_RATE,
} from './synth-dsp.ts';
import { chordTones, degreeMidi } from './synth-plan.ts';
import type { Generator } from './synth-melodic.ts';
import { logNote } from './synth-score.ts';

// General MIDI percussion keys for the drum hits (channel 10).
const KICK = 36;
const SNARE = 38;
const CLOSED_HAT = 42;
const SHAKER = 82;

export const drums: Generator = (plan, random, out, log) => {
  const mono = new Float32Array(out.left.length);
  const tone = { table: SINE, attack: 0.001, release: 0.01, decay: 0.06 };
  for (let bar = 0; bar < plan.bars; bar++) {
    const t = bar * plan.bar;
    for (const b of random() < 0.5 ? [0, 2] : [0, 2, 2.5]) {
      renderKick(mono, t + b * plan.beat, 1);
      logNote(log, KICK, { start: t + b * plan.beat, dur: 0.45, gain: 1 });
    }
    for (const b of [1, 3]) {
      renderNoise(
        mono,
        { start: t + b * plan.beat, dur: 0.25, gain: 0.55, decay: 0.09, brightness: 0.3 },
        random,
      );
      renderNote([[mono, 1]], { start: t + b * plan.beat, dur: 0.15, gain: 0.45, freq: 190 }, tone);
      logNote(log, SNARE, { start: t + b * plan.beat, dur: 0.25, gain: 0.55 });
    }
  }
  out.left.set(mono);
  out.right.set(mono);
};

export const percussion: Generator = (plan, random, out, log) => {
  const eighth = plan.beat / 2;
  for (let bar = 0; bar < plan.bars; bar++) {
    for (let i = 0; i < 8; i++) {
      const start = bar * plan.bar + i * eighth;
      const hit = { start, dur: 0.08, gain: i % 2 === 0 ? 1 : 0.6, decay: 0.022, brightness: 1 };
      renderNoise(out.left, hit, random);
      renderNoise(out.right, hit, random);
      logNote(log, CLOSED_HAT, hit);
      const shaker = { start: start + eighth / 2, dur: 0.05, gain: 0.3, decay: 0.012, brightness: 0.8 };
      renderNoise(i % 2 === 0 ? out.left : out.right, shaker, random);
      logNote(log, SHAKER, shaker);
    }
  }
};

export const bass: Generator = (plan, random, out, log) => {
  const voice = { table: SAW, attack: 0.008, release: 0.03, decay: 0.5 };
  const half = plan.bar / 2;
  for (let bar = 0; bar < plan.bars; bar++) {
    const root = chordTones(plan, bar)[0] ?? 0;
    for (let h = 0; h < 2; h++) {
      const octave = h === 1 && random() < 0.3 ? 0 : -1;
      const note = {
        start: bar * plan.bar + h * half,
        dur: half * 0.9,
        gain: 1,
        freq: midiToHz(degreeMidi(plan, root, octave)),
      };
      logNote(log, degreeMidi(plan, root, octave), note);
      renderNote(
        [
          [out.left, 1],
          [out.right, 1],
        ],
        note,
        voice,
      );
    }
  }
};

export const guitar: Generator = (plan, random, out, log) => {
  const mono = new Float32Array(out.left.length);
  const eighth = plan.beat / 2;
  for (let bar = 0; bar < plan.bars; bar++) {
    const tones = chordTones(plan, bar);
    for (let i = 0; i < 8; i++) {
      const degree = (tones[i % 3] ?? 0) + (i >= 4 ? 7 : 0);
      const note = { start: bar * plan.bar + i * eighth, dur: 0.7, gain: 0.5 };
      renderPluck(mono, { ...note, freq: midiToHz(degreeMidi(plan, degree, 0)) }, random);
      logNote(log, degreeMidi(plan, degree, 0), note);
    }
  }
  for (let i = 0; i < mono.length; i++) {
    const v = mono[i] ?? 0;
    out.left[i] = v;
    out.right[i] = v * 0.35;
  }
};

export const fx: Generator = (plan, random, out) => {
  const sweep = { table: SINE, attack: 0.01, release: 0.3, decay: 0.8 };
  const riser = createStereo(out.left.length);
  for (let bar = 0; bar < plan.bars; bar += 4) {
    const impact = { start: bar * plan.bar, dur: 1.2, gain: 0.8, decay: 0.35, brightness: 0 };
    renderNoise(out.left, impact, random);
    renderNoise(out.right, impact, random);
    renderNote(
      [
        [out.left, 1],
        [out.right, 1],
      ],
      { start: bar * plan.bar, dur: 1, gain: 0.6, freq: 70 },
      sweep,
    );
    const start = Math.round((bar + 3) * plan.bar * SAMPLE_RATE);
    const len = Math.round(plan.bar * SAMPLE_RATE);
    for (const ch of [riser.left, riser.right]) {
      let low = 0;
      for (let i = 0; i < len && start + i < ch.length; i++) {
        const rise = i / len;
        low += (0.02 + 0.5 * rise) * (random() * 2 - 1 - low);
        ch[start + i] = low * rise;
      }
    }
  }
  for (let i = 0; i < out.left.length; i++) {
    out.left[i] = (out.left[i] ?? 0) + (riser.left[i] ?? 0);
    out.right[i] = (out.right[i] ?? 0) + (riser.right[i] ?? 0);
  }
};
