// Renders one track's PCM cache into an aligned WAV: starts at 0, exactly `frames` frames long
// (silence after the audio, never stretched). 24-bit at the cache's own rate is a byte copy behind
// a header, which is where export speed comes from; every other target goes through the frame
// reader (resampler) and the sample encoder (dither, float).
import { createFrameReader, readPcmBytes, type PcmSource } from './pcm-stream.ts';
import { createSampleEncoder } from './sample-encoder.ts';
import type { SampleFormat } from './wav-header.ts';
import { createWavWriter, type WavWriter } from './wav-writer.ts';

export interface StemTarget {
  path: string;
  sampleFormat: SampleFormat;
  sampleRate: number;
  frames: number;
  overwrite: boolean;
  ditherSeed?: number;
  riffLimit?: number;
}

/** Called with frames written so far, for progress. */
export type FrameProgress = (frames: number) => void;

const COPY_CHUNK_FRAMES = 1 << 18;
const CONVERT_CHUNK_FRAMES = 1 << 15;

async function copyPath(
  source: PcmSource,
  target: StemTarget,
  writer: WavWriter,
  progress: FrameProgress,
): Promise<void> {
  let frames = 0;
  for await (const bytes of readPcmBytes(source, COPY_CHUNK_FRAMES, target.frames)) {
    await writer.write(bytes);
    frames += bytes.length / (3 * source.channels);
    progress(frames);
  }
  await writer.writeSilence(target.frames - frames);
  progress(target.frames);
}

async function convertPath(
  source: PcmSource,
  target: StemTarget,
  writer: WavWriter,
  progress: FrameProgress,
): Promise<void> {
  const reader = createFrameReader(source, target.sampleRate);
  const encoder = createSampleEncoder(target.sampleFormat, target.ditherSeed);
  try {
    const audible = Math.min(reader.length, target.frames);
    for (let done = 0; done < audible;) {
      const frames = Math.min(CONVERT_CHUNK_FRAMES, audible - done);
      const values = await reader.read(frames);
      await writer.write(encoder.encode(values, values.length));
      done += frames;
      progress(done);
    }
    await writer.writeSilence(target.frames - audible);
    progress(target.frames);
  } finally {
    await reader.close();
  }
}

export async function renderStem(
  source: PcmSource,
  target: StemTarget,
  progress: FrameProgress = () => undefined,
): Promise<void> {
  const writer = await createWavWriter(
    target.path,
    { sampleFormat: target.sampleFormat, sampleRate: target.sampleRate, channels: source.channels },
    { frames: target.frames, overwrite: target.overwrite, riffLimit: target.riffLimit },
  );
  try {
    const isCopy = target.sampleFormat === 'pcm24' && target.sampleRate === source.sampleRate;
    await (isCopy ? copyPath : convertPath)(source, target, writer, progress);
    await writer.close();
  } catch (error) {
    await writer.abort();
    throw error;
  }
}
