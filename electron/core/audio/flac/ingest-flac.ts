// Ingest of an uploaded FLAC source, run inside a decode worker: reads the file through a window of
// a few frames, decodes frame by frame, and hands each block to the shared cache writer, so the PCM
// cache, peaks and levels come out exactly as for the same audio in a WAV.
import { closeSync, fstatSync, openSync } from 'node:fs';
import { openCacheWriter, type CacheWriter } from '../cache-writer.ts';
import { IngestError, toIngestError } from '../errors.ts';
import { MAX_TAKE_SECONDS, tooLongMessage } from '../limits.ts';
import type { FlacIngestInput, IngestResult } from '../types.ts';
import { createFileWindow } from './file-window.ts';
import { decodeFrame, type FrameSummary } from './frame.ts';
import { createFrameSequence } from './frame-sequence.ts';
import { readFlacHead, type StreamInfo } from './stream-info.ts';

const MIN_WINDOW_BYTES = 1024 * 1024;
const ID3V1_BYTES = 128;

/**
 * The largest frame accepted: encoders fall back to a VERBATIM frame when prediction would not
 * save bytes, so a real frame is never much bigger than its raw samples; twice that is generous,
 * and it bounds what one hostile frame can make us buffer and scan.
 */
function maxFrameBytes(info: StreamInfo): number {
  const rawBits = info.maxBlockSize * (info.channels * info.bitsPerSample + 1);
  return 2 * Math.ceil(rawBits / 8) + 1024;
}

function openInput(path: string): number {
  try {
    return openSync(path, 'r');
  } catch (error) {
    throw toIngestError(error);
  }
}

/** The last 128 bytes are an ID3v1 tag ("TAG"...), which taggers append to any audio file. */
function isId3v1Tail(bytes: Uint8Array, remaining: number): boolean {
  return remaining === ID3V1_BYTES && bytes[0] === 0x54 && bytes[1] === 0x41 && bytes[2] === 0x47;
}

export async function ingestFlacFile(
  input: FlacIngestInput,
  /** Sees each frame's layout; tests use it to check an encoder really used each mode. */
  observe?: (summary: FrameSummary) => void,
): Promise<IngestResult> {
  const maxSeconds = input.maxSeconds ?? MAX_TAKE_SECONDS;
  const fd = openInput(input.flacPath);
  let writer: CacheWriter | null = null;
  try {
    const fileSize = fstatSync(fd).size;
    if (fileSize === 0) throw new IngestError('not_audio', 'file is empty');
    const head = createFileWindow(fd, fileSize, 64 * 1024);
    const { info, framesOffset } = readFlacHead(head.view, fileSize);
    const { sampleRate, channels, totalSamples } = info;
    if (totalSamples > maxSeconds * sampleRate) throw new IngestError('too_long', tooLongMessage(maxSeconds));
    const frameLimit = maxFrameBytes(info);
    const window = createFileWindow(fd, fileSize, Math.max(MIN_WINDOW_BYTES, 2 * frameLimit));
    const blocks = Array.from({ length: channels }, () => new Int32Array(info.maxBlockSize));
    const planes = Array.from({ length: channels }, () => new Float32Array(info.maxBlockSize));
    const scale = 2 ** (1 - info.bitsPerSample);
    writer = await openCacheWriter({
      outBase: input.outBase,
      channels,
      sampleRate,
      // Unknown length: assume no compression, an underestimate; a full disk still ends as disk_full.
      expectedSeconds:
        totalSamples > 0
          ? totalSamples / sampleRate
          : fileSize / ((channels * info.bitsPerSample * sampleRate) / 8),
      maxSeconds,
    });

    const sequence = createFrameSequence(totalSamples);
    let at = framesOffset;
    // Trailing bytes after the announced last sample (an ID3v1 tag some taggers append) are ignored.
    while (at < fileSize && (totalSamples === 0 || writer.sampleCount < totalSamples)) {
      const bytes = window.view(at, frameLimit);
      if (isId3v1Tail(bytes, fileSize - at)) break;
      const isEndOfFile = at + bytes.length >= fileSize;
      const overrun = (): never => {
        throw isEndOfFile
          ? new IngestError('truncated', 'the FLAC file ends in the middle of a frame (it was cut short)')
          : new IngestError(
              'not_audio',
              'the FLAC file is damaged (a frame runs far past any real frame size)',
            );
      };
      const frame = decodeFrame(bytes, info, blocks, overrun);
      sequence.accept(frame.header, writer.sampleCount);
      observe?.(frame.summary);
      for (let c = 0; c < channels; c++) {
        const block = blocks[c]!;
        const plane = planes[c]!;
        for (let i = 0; i < frame.header.blockSize; i++) plane[i] = block[i]! * scale;
      }
      writer.write(planes, frame.header.blockSize);
      at += frame.byteLength;
    }
    if (writer.sampleCount === 0) throw new IngestError('not_audio', 'the FLAC file holds no audio');
    if (totalSamples > 0 && writer.sampleCount < totalSamples)
      throw new IngestError(
        'truncated',
        `the FLAC file ends after ${(writer.sampleCount / sampleRate).toFixed(1)} s of the ${(totalSamples / sampleRate).toFixed(1)} s its header announces (it was cut short)`,
      );
    const result = writer.publish();
    writer = null;
    return result;
  } catch (error) {
    writer?.discard();
    throw toIngestError(error);
  } finally {
    closeSync(fd);
  }
}
