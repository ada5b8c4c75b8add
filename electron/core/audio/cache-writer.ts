// The output half every decode shares (MP3, WAV/AIFF, FLAC): checks the disk has room, runs decoded
// audio through the one chunk analyser into the `.part` PCM cache, refuses a decode that runs past
// its limit before writing it, and publishes peaks and cache by rename, or removes every trace.
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { createChunkAnalyser } from './chunk-analyser.ts';
import { IngestError } from './errors.ts';
import { toIngestResult } from './ingest-result.ts';
import { tooLongMessage } from './limits.ts';
import { outputPaths, partPaths } from './output-paths.ts';
import { checkCacheSpace } from './pcm-cache.ts';
import { encodePeaks } from './peaks.ts';
import type { IngestResult } from './types.ts';

export interface CacheWriterOptions {
  outBase: string;
  channels: number;
  sampleRate: number;
  /** What the file should decode to, for the free-space check up front. */
  expectedSeconds: number;
  maxSeconds: number;
}

export interface CacheWriter {
  /** Appends planar float frames (-1..1, the decoders' convention) to the cache. */
  write(channelData: readonly Float32Array[], frames: number): void;
  readonly sampleCount: number;
  /** Writes the peaks and publishes both files; `sampleRate` when the decoder knows it better. */
  publish(sampleRate?: number): IngestResult;
  /** Closes and removes whatever this writer wrote, published peaks included. */
  discard(): void;
}

/** writeSync may write less than asked when the disk fills up; a short cache must never look whole. */
function writeFully(fd: number, bytes: Uint8Array): void {
  for (let done = 0; done < bytes.length;) {
    const written = writeSync(fd, bytes, done, bytes.length - done);
    if (written === 0) throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
    done += written;
  }
}

export async function openCacheWriter(options: CacheWriterOptions): Promise<CacheWriter> {
  const { outBase, channels, maxSeconds } = options;
  const { pcmPath, peaksPath } = outputPaths(outBase);
  const [pcmPart = '', peaksPart = ''] = partPaths(outBase);
  mkdirSync(dirname(pcmPart), { recursive: true });
  await checkCacheSpace(pcmPart, Math.min(maxSeconds, options.expectedSeconds), options.sampleRate, channels);
  const analyser = createChunkAnalyser(channels);
  const maxFrames = maxSeconds * options.sampleRate;
  let fd: number | null = openSync(pcmPart, 'w');
  let sampleCount = 0;
  let isPeaksPublished = false;
  const close = () => {
    if (fd !== null) closeSync(fd);
    fd = null;
  };
  return {
    write(channelData, frames) {
      if (fd === null) throw new IngestError('internal', 'the cache writer is closed');
      // Checked before this slice is written: a decode bomb stops here, not after filling the disk.
      if (sampleCount + frames > maxFrames) throw new IngestError('too_long', tooLongMessage(maxSeconds));
      writeFully(fd, analyser.process(channelData, frames));
      sampleCount += frames;
    },
    get sampleCount() {
      return sampleCount;
    },
    publish(sampleRate = options.sampleRate) {
      close();
      const { levels, peakAbs, sumSquares } = analyser.finish();
      writeFileSync(peaksPart, encodePeaks({ version: 1, sampleRate, channels, sampleCount, levels }));
      renameSync(peaksPart, peaksPath);
      isPeaksPublished = true;
      renameSync(pcmPart, pcmPath);
      return toIngestResult({ sampleRate, channels, sampleCount, pcmPath, peaksPath, peakAbs, sumSquares });
    },
    discard() {
      try {
        close();
      } finally {
        for (const path of [pcmPart, peaksPart]) rmSync(path, { force: true });
        if (isPeaksPublished) rmSync(peaksPath, { force: true });
      }
    },
  };
}
