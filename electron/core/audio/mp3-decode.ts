// The one MP3 decode pass behind both ingests (a finished file, or bytes as they download): feeds
// one mpg123 decoder in order and, in the same pass, writes the s24le PCM cache, builds the peaks
// and measures level, then publishes both outputs by rename so a crash, a rejection or an aborted
// download never leaves a partial cache behind.
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { MPEGDecoder } from 'mpg123-decoder';
import { IngestError, toIngestError } from './errors.ts';
import { createFrameWalker } from './frame-walker.ts';
import { createChunkAnalyser } from './chunk-analyser.ts';
import { toIngestResult } from './ingest-result.ts';
import { encodePeaks } from './peaks.ts';
import { outputPaths, partPaths } from './output-paths.ts';
import { tooLongMessage } from './limits.ts';
import { checkCacheSpace } from './pcm-cache.ts';
import type { FirstFrame } from './mpeg-header.ts';
import type { IngestResult } from './types.ts';

export interface Mp3Pass {
  outBase: string;
  maxSeconds: number;
  /** The first real frame, found in the file's head; null: the file holds no MPEG audio. */
  first: FirstFrame | null;
  /** The file's full size (known up front, also while it downloads): sizes the free-space check. */
  expectedBytes: number;
  /** The whole file from byte 0, in order, in chunks of any size. */
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
}

/** Seconds the stream should hold, from its Xing/VBRI frame count or else its size at the first frame's bitrate. */
function estimatedSeconds(first: FirstFrame, fileSize: number): number {
  const { frameLength, samplesPerFrame, sampleRate } = first.header;
  const frames = first.minFrames ?? (fileSize - first.offset) / Math.max(1, frameLength);
  return (frames * samplesPerFrame) / sampleRate;
}

/** writeSync may write less than asked when the disk fills up; a short cache must never look whole. */
function writeFully(fd: number, bytes: Uint8Array): void {
  for (let done = 0; done < bytes.length;) {
    const written = writeSync(fd, bytes, done, bytes.length - done);
    if (written === 0) throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
    done += written;
  }
}

export async function decodeMp3(pass: Mp3Pass): Promise<IngestResult> {
  const { first, maxSeconds } = pass;
  const { pcmPath, peaksPath } = outputPaths(pass.outBase);
  const [pcmPart = '', peaksPart = ''] = partPaths(pass.outBase);
  let pcmFd: number | null = null;
  let decoder: MPEGDecoder | null = null;
  let isPeaksPublished = false;
  try {
    if (!first) throw new IngestError('not_audio', 'no MPEG audio frames found');
    const channels = first.header.channels;
    const walker = createFrameWalker(first);
    const analyser = createChunkAnalyser(channels);
    decoder = new MPEGDecoder();
    await decoder.ready;
    mkdirSync(dirname(pcmPart), { recursive: true });
    const expected = Math.min(maxSeconds, estimatedSeconds(first, pass.expectedBytes));
    await checkCacheSpace(pcmPart, expected, first.header.sampleRate, channels);
    pcmFd = openSync(pcmPart, 'w');

    let position = 0;
    let sampleCount = 0;
    let sampleRate = 0;
    for await (const chunk of pass.chunks) {
      walker.push(chunk, position);
      position += chunk.length;
      const decoded = decoder.decode(chunk);
      if (decoded.samplesDecoded === 0) continue;
      sampleRate = decoded.sampleRate;
      // Checked before this slice is written: a decode bomb stops here, not after filling the disk.
      if (sampleCount + decoded.samplesDecoded > maxSeconds * sampleRate)
        throw new IngestError('too_long', tooLongMessage(maxSeconds));
      writeFully(pcmFd, analyser.process(decoded.channelData, decoded.samplesDecoded));
      sampleCount += decoded.samplesDecoded;
    }
    closeSync(pcmFd);
    pcmFd = null;

    const truncation = walker.finish(position);
    if (truncation) throw new IngestError('truncated', truncation);
    if (sampleCount === 0) throw new IngestError('not_audio', 'decoder produced no audio');
    if (sampleRate === 0) sampleRate = first.header.sampleRate;

    const { levels, peakAbs, sumSquares } = analyser.finish();
    writeFileSync(peaksPart, encodePeaks({ version: 1, sampleRate, channels, sampleCount, levels }));
    renameSync(peaksPart, peaksPath);
    isPeaksPublished = true;
    renameSync(pcmPart, pcmPath);
    return toIngestResult({ sampleRate, channels, sampleCount, pcmPath, peaksPath, peakAbs, sumSquares });
  } catch (error) {
    if (pcmFd !== null) closeSync(pcmFd);
    for (const path of [pcmPart, peaksPart]) rmSync(path, { force: true });
    if (isPeaksPublished) rmSync(peaksPath, { force: true });
    throw toIngestError(error);
  } finally {
    decoder?.free();
  }
}
