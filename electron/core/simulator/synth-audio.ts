// Deterministic synthetic audio: each take's twelve stems, the full mix and the instrumental, as stereo float PCM.
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { createRandom, hashSeed } from './ids.ts';
import { STEMS, stemInfo, type AudioPart, type StemKey } from './stems.ts';
import { SAMPLE_RATE, createStereo, type StereoBuffer } from './synth-dsp.ts';
import { planSong } from './synth-plan.ts';
import {
  backingVocals,
  brass,
  keyboard,
  strings,
  synth,
  vocals,
  woodwinds,
  type Generator,
} from './synth-melodic.ts';
import { bass, drums, fx, guitar, percussion } from './synth-rhythm.ts';
import { ignoreNotes, type NoteLog, type ScoredNote } from './synth-score.ts';

const GENERATORS: Record<StemKey, Generator> = {
  vocals,
  backing_vocals: backingVocals,
  drums,
  bass,
  guitar,
  keyboard,
  percussion,
  strings,
  synth,
  fx,
  brass,
  woodwinds,
};

function normalizePeak(buf: StereoBuffer, target: number): void {
  let peak = 0;
  for (const ch of [buf.left, buf.right]) for (const v of ch) peak = Math.max(peak, Math.abs(v));
  if (peak === 0) return;
  const gain = target / peak;
  for (const ch of [buf.left, buf.right]) for (let i = 0; i < ch.length; i++) ch[i] = (ch[i] ?? 0) * gain;
}

function frameCount(durationSec: number): number {
  return Math.max(1, Math.round(durationSec * SAMPLE_RATE));
}

export function renderStem(
  seed: number,
  key: StemKey,
  durationSec: number,
  log: NoteLog = ignoreNotes,
): StereoBuffer {
  const out = createStereo(frameCount(durationSec));
  const generate = GENERATORS[key];
  generate(planSong(seed, durationSec), createRandom(hashSeed('stem', seed, key)), out, log);
  normalizePeak(out, stemInfo(key).peak);
  return out;
}

/**
 * The notes one stem plays, in time order. Rendered for real: the generators draw random numbers
 * per sample, so only the same render reproduces the same choices. Notes cut off at the end of
 * the audio are shortened, and notes starting after it dropped.
 */
export function scoreStem(seed: number, key: StemKey, durationSec: number): ScoredNote[] {
  const notes: ScoredNote[] = [];
  renderStem(seed, key, durationSec, (note) => notes.push(note));
  const end = frameCount(durationSec) / SAMPLE_RATE;
  return notes
    .filter((n) => n.start < end)
    .map((n) => ({ ...n, end: Math.min(n.end, end) }))
    .sort((a, b) => a.start - b.start || a.pitch - b.pitch);
}

/**
 * Stems are normalised to fixed peaks that sum below 1, so the mix is the plain sum (no clipping) and a
 * separation's parts add back up to the take exactly. Yields between stems to keep the host responsive.
 */
export async function renderPart(
  seed: number,
  part: AudioPart,
  durationSec: number,
  signal?: AbortSignal,
): Promise<StereoBuffer> {
  if (part !== 'mix' && part !== 'instrumental') return renderStem(seed, part, durationSec);
  const out = createStereo(frameCount(durationSec));
  for (const { key } of STEMS) {
    if (part === 'instrumental' && key === 'vocals') continue;
    const stem = renderStem(seed, key, durationSec);
    for (let i = 0; i < out.left.length; i++) {
      out.left[i] = (out.left[i] ?? 0) + (stem.left[i] ?? 0);
      out.right[i] = (out.right[i] ?? 0) + (stem.right[i] ?? 0);
    }
    await yieldToLoop();
    signal?.throwIfAborted();
  }
  return out;
}
