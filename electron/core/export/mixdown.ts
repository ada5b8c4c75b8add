// The mixdown: the audible lanes summed with their gains (mono lanes feed both sides) at the common
// rate, converted once to the target rate, in two passes: the first measures the peak, the second
// writes, lowered just enough to keep integer formats from clipping (float keeps the level and
// warns instead).
import { createFrameReader, type FrameReader, type PcmSource } from './pcm-stream.ts';
import { createResampler } from './resampler.ts';
import { createSampleEncoder } from './sample-encoder.ts';
import type { SampleFormat } from './wav-header.ts';
import { createWavWriter } from './wav-writer.ts';

export interface MixInput {
  source: PcmSource;
  /** Linear gain; 0 for a lane that is muted or not soloed. */
  gain: number;
}

export interface MixdownTarget {
  path: string;
  sampleFormat: SampleFormat;
  sampleRate: number;
  frames: number;
  overwrite: boolean;
}

export interface MixdownReport {
  /** dBFS of the summed mix before any correction (above 0 means it would clip). */
  peakDbfs: number;
  /** Gain applied to stay below full scale; 0 when none was needed. */
  gainDb: number;
  outputPeakDbfs: number;
  isClipped: boolean;
  warning: string | null;
}

const FULL_SCALE = 8388608;
/** Where an over-full mix is brought down to: 1 dB below full scale leaves room for inter-sample peaks. */
const CEILING_DBFS = -1;
const CHUNK_FRAMES = 32768;
const MIN_DB = -150;

export function toDbfs(peak24: number): number {
  return peak24 > 0 ? Math.max(MIN_DB, 20 * Math.log10(peak24 / FULL_SCALE)) : MIN_DB;
}

export interface MixdownPlan {
  inputs: MixInput[];
  /** The rate lanes are summed at (the common source rate). */
  mixRate: number;
  channels: number;
}

/** Streams the mix at the target rate, `CHUNK_FRAMES` frames per step, exactly `frames` frames. */
async function streamMix(
  plan: MixdownPlan,
  targetRate: number,
  frames: number,
  onChunk: (values: Float64Array, frames: number) => Promise<void>,
): Promise<void> {
  const { channels, mixRate } = plan;
  const readers: Array<{ reader: FrameReader; gain: number }> = plan.inputs
    .filter((input) => input.gain !== 0)
    .map((input) => ({ reader: createFrameReader(input.source, mixRate), gain: input.gain }));
  const mixFrames = Math.max(0, ...readers.map((r) => r.reader.length));
  const resampler =
    mixRate === targetRate ? null : createResampler({ inRate: mixRate, outRate: targetRate, channels });
  let emitted = 0;
  const emit = async (values: Float64Array) => {
    const count = Math.min(values.length / channels, frames - emitted);
    if (count > 0) await onChunk(values.subarray(0, count * channels), count);
    emitted += count;
  };
  try {
    for (let done = 0; done < mixFrames; done += CHUNK_FRAMES) {
      const n = Math.min(CHUNK_FRAMES, mixFrames - done);
      const mix = new Float64Array(n * channels);
      for (const { reader, gain } of readers) {
        const values = await reader.read(n);
        const from = reader.channels;
        for (let f = 0; f < n; f++) {
          for (let c = 0; c < channels; c++)
            mix[f * channels + c]! += gain * values[f * from + (from === 1 ? 0 : Math.min(c, from - 1))]!;
        }
      }
      await emit(resampler ? resampler.push(mix, n) : mix);
    }
    if (resampler) await emit(resampler.flush());
    for (let left = frames - emitted; left > 0; left = frames - emitted)
      await emit(new Float64Array(Math.min(left, CHUNK_FRAMES) * channels));
  } finally {
    await Promise.all(readers.map((r) => r.reader.close()));
  }
}

export async function renderMixdown(
  plan: MixdownPlan,
  target: MixdownTarget,
  progress: (fraction: number) => void = () => undefined,
): Promise<MixdownReport> {
  let peak = 0;
  let measured = 0;
  await streamMix(plan, target.sampleRate, target.frames, async (values, frames) => {
    for (let i = 0; i < frames * plan.channels; i++) {
      const v = Math.abs(values[i]!);
      if (v > peak) peak = v;
    }
    measured += frames;
    progress(0.5 * (measured / Math.max(1, target.frames)));
  });
  const peakDbfs = toDbfs(peak);
  const isFloat = target.sampleFormat === 'float32';
  // Integer formats clip above 0 dBFS (the 24-bit rounding step counts too).
  const wouldClip = peak > FULL_SCALE - 1;
  const scale = wouldClip && !isFloat ? 10 ** (CEILING_DBFS / 20) * (FULL_SCALE / peak) : 1;
  const gainDb = scale === 1 ? 0 : 20 * Math.log10(scale);
  const writer = await createWavWriter(
    target.path,
    { sampleFormat: target.sampleFormat, sampleRate: target.sampleRate, channels: plan.channels },
    { frames: target.frames, overwrite: target.overwrite },
  );
  const encoder = createSampleEncoder(target.sampleFormat, 0x5eed);
  let written = 0;
  try {
    await streamMix(plan, target.sampleRate, target.frames, async (values, frames) => {
      if (scale !== 1) for (let i = 0; i < values.length; i++) values[i]! *= scale;
      await writer.write(encoder.encode(values, frames * plan.channels));
      written += frames;
      progress(0.5 + 0.5 * (written / Math.max(1, target.frames)));
    });
    await writer.close();
  } catch (error) {
    await writer.abort();
    throw error;
  }
  const outputPeakDbfs = toDbfs(peak * scale);
  const isClipped = wouldClip && isFloat;
  const warning = !wouldClip
    ? null
    : isFloat
      ? `The mix peaks at ${peakDbfs.toFixed(1)} dBFS. It is stored as 32-bit float, so nothing is clipped, but lower it before converting it to a fixed-point format.`
      : `The mix peaked at ${peakDbfs.toFixed(1)} dBFS, so it was lowered by ${(-gainDb).toFixed(1)} dB to ${CEILING_DBFS} dBFS to avoid clipping.`;
  return { peakDbfs, gainDb, outputPeakDbfs, isClipped, warning };
}
