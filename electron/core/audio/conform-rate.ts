// An uploaded source recorded at another rate than its split's stems (a 48 kHz bounce split into
// 44.1 kHz stems), resampled once into a PCM cache and peaks at the stems' rate: the A/B lane then
// plays it at the session's rate like any stem, and the residual subtracts sample against sample.
// The export's resampler does the work (windowed sinc, exact length), in a decode worker.
import {
  closeSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { createResampler } from '../export/resampler.ts';
import { createChunkAnalyser } from './chunk-analyser.ts';
import { IngestError, toIngestError } from './errors.ts';
import { toIngestResult } from './ingest-result.ts';
import { outputPaths, partPaths } from './output-paths.ts';
import { BYTES_PER_SAMPLE, checkCacheSpace, decodeS24le, S24_SCALE } from './pcm-cache.ts';
import { encodePeaks } from './peaks.ts';
import type { ConformInput, IngestResult } from './types.ts';

const CHUNK_FRAMES = 32768;

export async function conformRate(input: ConformInput): Promise<IngestResult> {
  const { source, sampleRate, outBase } = input;
  const { channels } = source;
  if (!Number.isInteger(sampleRate) || sampleRate < 8000 || sampleRate > 384000)
    throw new IngestError('not_audio', `Cannot convert the source to ${sampleRate} Hz.`);
  const { pcmPath, peaksPath } = outputPaths(outBase);
  const [pcmPart = '', peaksPart = ''] = partPaths(outBase);
  let inFd: number | null = null;
  let outFd: number | null = null;
  try {
    inFd = openSync(source.pcmPath, 'r');
    mkdirSync(dirname(pcmPart), { recursive: true });
    await checkCacheSpace(pcmPart, source.sampleCount / source.sampleRate, sampleRate, channels);
    outFd = openSync(pcmPart, 'w');
    const resampler = createResampler({ inRate: source.sampleRate, outRate: sampleRate, channels });
    const analyser = createChunkAnalyser(channels);
    const frameBytes = channels * BYTES_PER_SAMPLE;
    const bytes = new Uint8Array(CHUNK_FRAMES * frameBytes);
    let written = 0;
    const write = (interleaved: Float64Array): void => {
      const frames = interleaved.length / channels;
      if (frames === 0) return;
      const planes = Array.from({ length: channels }, () => new Float32Array(frames));
      for (let f = 0, i = 0; f < frames; f++)
        for (let c = 0; c < channels; c++, i++) planes[c]![f] = interleaved[i]! / S24_SCALE;
      const out = analyser.process(planes, frames);
      for (let done = 0; done < out.length;) done += writeSync(outFd!, out, done, out.length - done);
      written += frames;
    };
    for (let at = 0; at < source.sampleCount; at += CHUNK_FRAMES) {
      const frames = Math.min(CHUNK_FRAMES, source.sampleCount - at);
      const want = frames * frameBytes;
      let got = 0;
      while (got < want) {
        const n = readSync(inFd, bytes, got, want - got, at * frameBytes + got);
        if (n === 0)
          throw new IngestError('not_audio', 'The source cache ended early: it will be decoded again.');
        got += n;
      }
      write(resampler.push(decodeS24le(bytes.subarray(0, want)), frames));
    }
    write(resampler.flush());
    closeSync(outFd);
    outFd = null;
    const { levels, peakAbs, sumSquares } = analyser.finish();
    writeFileSync(peaksPart, encodePeaks({ version: 1, sampleRate, channels, sampleCount: written, levels }));
    renameSync(peaksPart, peaksPath);
    renameSync(pcmPart, pcmPath);
    return toIngestResult({
      sampleRate,
      channels,
      sampleCount: written,
      pcmPath,
      peaksPath,
      peakAbs,
      sumSquares,
    });
  } catch (error) {
    if (outFd !== null) closeSync(outFd);
    for (const path of [pcmPart, peaksPart]) rmSync(path, { force: true });
    throw toIngestError(error);
  } finally {
    if (inFd !== null) closeSync(inFd);
  }
}
