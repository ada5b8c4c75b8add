// One ingest, run inside a decode worker: streams an MP3 through one mpg123 decoder in slices and,
// in the same pass, writes the s24le PCM cache, builds the peaks and measures level, then publishes
// both outputs by rename so a crash or a rejection never leaves a partial cache behind.
import {
  closeSync,
  fstatSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { MPEGDecoder } from 'mpg123-decoder';
import { IngestError, toIngestError } from './errors.ts';
import { createFrameWalker } from './frame-walker.ts';
import { findFirstFrame } from './mpeg-header.ts';
import { createChunkAnalyser } from './chunk-analyser.ts';
import { toIngestResult } from './ingest-result.ts';
import { encodePeaks } from './peaks.ts';
import { outputPaths, partPaths } from './output-paths.ts';
import { MAX_TAKE_SECONDS, tooLongMessage } from './limits.ts';
import { checkCacheSpace } from './pcm-cache.ts';
import type { FirstFrame } from './mpeg-header.ts';
import type { IngestInput, IngestResult } from './types.ts';

/** Input slice fed to the decoder; at 320 kbps this is about 3 s of audio, so memory stays small. */
const READ_CHUNK_BYTES = 128 * 1024;
// Re-exported for wav-reader.ts, which publishes its outputs the same way.

function openInput(path: string): number {
  try {
    return openSync(path, 'r');
  } catch (error) {
    throw toIngestError(error);
  }
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

export async function ingestFile(input: IngestInput): Promise<IngestResult> {
  const maxSeconds = input.maxSeconds ?? MAX_TAKE_SECONDS;
  const { pcmPath, peaksPath } = outputPaths(input.outBase);
  const [pcmPart = '', peaksPart = ''] = partPaths(input.outBase);
  const fd = openInput(input.mp3Path);
  let pcmFd: number | null = null;
  let decoder: MPEGDecoder | null = null;
  let isPeaksPublished = false;
  try {
    const fileSize = fstatSync(fd).size;
    if (fileSize === 0) throw new IngestError('not_audio', 'file is empty');
    const readAt = (position: number, length: number): Uint8Array => {
      const buffer = new Uint8Array(Math.max(0, Math.min(length, fileSize - position)));
      return buffer.subarray(0, buffer.length ? readSync(fd, buffer, 0, buffer.length, position) : 0);
    };
    const first = findFirstFrame(readAt, fileSize);
    if (!first) throw new IngestError('not_audio', 'no MPEG audio frames found');
    const channels = first.header.channels;
    const walker = createFrameWalker(first);
    const analyser = createChunkAnalyser(channels);
    decoder = new MPEGDecoder();
    await decoder.ready;
    mkdirSync(dirname(pcmPart), { recursive: true });
    const expected = Math.min(maxSeconds, estimatedSeconds(first, fileSize));
    await checkCacheSpace(pcmPart, expected, first.header.sampleRate, channels);
    pcmFd = openSync(pcmPart, 'w');

    const input8 = new Uint8Array(READ_CHUNK_BYTES);
    let sampleCount = 0;
    let sampleRate = 0;
    for (let position = 0; position < fileSize;) {
      const read = readSync(fd, input8, 0, READ_CHUNK_BYTES, position);
      if (read === 0) break;
      const chunk = input8.subarray(0, read);
      walker.push(chunk, position);
      position += read;
      const decoded = decoder.decode(chunk);
      if (decoded.samplesDecoded === 0) continue;
      sampleRate = decoded.sampleRate;
      // Checked before this slice is written: a decode bomb stops here, not after filling the disk.
      if (sampleCount + decoded.samplesDecoded > maxSeconds * sampleRate)
        throw new IngestError('too_long', tooLongMessage(maxSeconds));
      const pcm = analyser.process(decoded.channelData, decoded.samplesDecoded);
      writeFully(pcmFd, pcm);
      sampleCount += decoded.samplesDecoded;
    }
    closeSync(pcmFd);
    pcmFd = null;

    const truncation = walker.finish(fileSize);
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
    closeSync(fd);
    decoder?.free();
  }
}
