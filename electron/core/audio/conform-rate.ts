// An uploaded source recorded at another rate than its split's stems (a 48 kHz bounce split into
// 44.1 kHz stems), resampled once into a PCM cache and peaks at the stems' rate: the A/B lane then
// plays it at the session's rate like any stem, and the residual subtracts sample against sample.
// The export's resampler does the work (windowed sinc, exact length), in a decode worker.
import { closeSync, openSync, readSync } from 'node:fs';
import { createResampler } from '../export/resampler.ts';
import { openCacheWriter, type CacheWriter } from './cache-writer.ts';
import { IngestError, toIngestError } from './errors.ts';
import { formatProblem, MAX_TAKE_SECONDS } from './limits.ts';
import { BYTES_PER_SAMPLE, decodeS24le, S24_SCALE } from './pcm-cache.ts';
import type { ConformInput, IngestResult } from './types.ts';

const CHUNK_FRAMES = 32768;

export async function conformRate(input: ConformInput): Promise<IngestResult> {
  const { source, sampleRate, outBase } = input;
  const { channels } = source;
  const problem = formatProblem(channels, sampleRate);
  if (problem)
    throw new IngestError('not_audio', `Cannot convert the source to ${sampleRate} Hz: ${problem}`);
  let inFd: number | null = null;
  let writer: CacheWriter | null = null;
  try {
    inFd = openSync(source.pcmPath, 'r');
    writer = await openCacheWriter({
      outBase,
      channels,
      sampleRate,
      expectedSeconds: source.sampleCount / source.sampleRate,
      maxSeconds: MAX_TAKE_SECONDS,
    });
    const resampler = createResampler({ inRate: source.sampleRate, outRate: sampleRate, channels });
    const frameBytes = channels * BYTES_PER_SAMPLE;
    const bytes = new Uint8Array(CHUNK_FRAMES * frameBytes);
    const write = (interleaved: Float64Array): void => {
      const frames = interleaved.length / channels;
      if (frames === 0) return;
      const planes = Array.from({ length: channels }, () => new Float32Array(frames));
      for (let f = 0, i = 0; f < frames; f++)
        for (let c = 0; c < channels; c++, i++) planes[c]![f] = interleaved[i]! / S24_SCALE;
      writer!.write(planes, frames);
    };
    for (let at = 0; at < source.sampleCount; at += CHUNK_FRAMES) {
      const frames = Math.min(CHUNK_FRAMES, source.sampleCount - at);
      const want = frames * frameBytes;
      for (let got = 0; got < want;) {
        const n = readSync(inFd, bytes, got, want - got, at * frameBytes + got);
        if (n === 0)
          throw new IngestError(
            'not_audio',
            'The decoded source in the library is shorter than its peaks say: it is damaged.',
          );
        got += n;
      }
      write(resampler.push(decodeS24le(bytes.subarray(0, want)), frames));
    }
    write(resampler.flush());
    return writer.publish();
  } catch (error) {
    writer?.discard();
    throw toIngestError(error);
  } finally {
    if (inFd !== null) closeSync(inFd);
  }
}
