// Reading a track's PCM cache for export: raw s24le chunks (the copy path), and a frame reader that
// hands out exactly N frames at a chosen rate (resampled when it differs), silence past the end.
import { open } from 'node:fs/promises';
import { createResampler, resampledLength, type Resampler } from './resampler.ts';

export interface PcmSource {
  pcmPath: string;
  channels: number;
  sampleRate: number;
  /** Frames per channel in the cache. */
  sampleCount: number;
}

const BYTES_PER_SAMPLE = 3;

/** Raw s24le bytes of the cache, `chunkFrames` frames at a time, stopping after `maxFrames`. */
export async function* readPcmBytes(
  source: PcmSource,
  chunkFrames: number,
  maxFrames = source.sampleCount,
): AsyncGenerator<Uint8Array> {
  const frameBytes = source.channels * BYTES_PER_SAMPLE;
  const limit = Math.min(source.sampleCount, maxFrames) * frameBytes;
  const handle = await open(source.pcmPath, 'r');
  try {
    // Two buffers: the consumer may still hold the previous chunk while the next one is read.
    const buffers = [new Uint8Array(chunkFrames * frameBytes), new Uint8Array(chunkFrames * frameBytes)];
    for (let position = 0, turn = 0; position < limit; turn ^= 1) {
      const buffer = buffers[turn] as Uint8Array;
      const want = Math.min(buffer.length, limit - position);
      let filled = 0;
      while (filled < want) {
        const { bytesRead } = await handle.read(buffer, filled, want - filled, position + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      const whole = filled - (filled % frameBytes);
      if (whole === 0) return;
      position += whole;
      yield buffer.subarray(0, whole);
      if (whole < want) return;
    }
  } finally {
    await handle.close();
  }
}

export function decodeS24Into(bytes: Uint8Array, out: Float64Array): number {
  const count = Math.floor(bytes.length / 3);
  for (let i = 0, o = 0; i < count; i++, o += 3) {
    out[i] =
      (((bytes[o + 2] as number) << 24) | ((bytes[o + 1] as number) << 16) | ((bytes[o] as number) << 8)) >>
      8;
  }
  return count;
}

export interface FrameReader {
  readonly channels: number;
  /** Frames this source yields at the reader's rate before silence. */
  readonly length: number;
  /** Exactly `frames` interleaved frames (24-bit scale); silence once the source is used up. */
  read(frames: number): Promise<Float64Array>;
  close(): Promise<void>;
}

export function createFrameReader(source: PcmSource, outRate: number, chunkFrames = 32768): FrameReader {
  const { channels } = source;
  const length = resampledLength(source.sampleCount, source.sampleRate, outRate);
  const resampler: Resampler | null =
    source.sampleRate === outRate ? null : createResampler({ inRate: source.sampleRate, outRate, channels });
  const chunks = readPcmBytes(source, chunkFrames);
  let scratch: Float64Array = new Float64Array(chunkFrames * channels);
  let pending: Float64Array = new Float64Array(0);
  let pendingAt = 0;
  let isDone = false;

  async function refill(): Promise<void> {
    const next = await chunks.next();
    if (next.done) {
      isDone = true;
      pending = resampler ? resampler.flush() : new Float64Array(0);
    } else {
      if (scratch.length < next.value.length / 3) scratch = new Float64Array(next.value.length / 3);
      const count = decodeS24Into(next.value, scratch);
      pending = resampler ? resampler.push(scratch, count / channels) : scratch.subarray(0, count);
    }
    pendingAt = 0;
  }

  return {
    channels,
    length,
    async read(frames) {
      const out = new Float64Array(frames * channels);
      let filled = 0;
      while (filled < out.length) {
        if (pendingAt >= pending.length) {
          if (isDone) break;
          await refill();
          continue;
        }
        const take = Math.min(out.length - filled, pending.length - pendingAt);
        out.set(pending.subarray(pendingAt, pendingAt + take), filled);
        filled += take;
        pendingAt += take;
      }
      return out;
    },
    async close() {
      await chunks.return(undefined);
    },
  };
}
