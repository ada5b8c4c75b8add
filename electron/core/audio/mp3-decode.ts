// The one MP3 decode pass behind both ingests (a finished file, or bytes as they download): feeds
// one mpg123 decoder in order and hands its output to the shared cache writer (PCM cache, peaks and
// level in the same pass, published by rename), so a crash, a rejection or an aborted download
// never leaves a partial cache behind.
import { MPEGDecoder } from 'mpg123-decoder';
import { openCacheWriter, type CacheWriter } from './cache-writer.ts';
import { IngestError, toIngestError } from './errors.ts';
import { createFrameWalker } from './frame-walker.ts';
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

export async function decodeMp3(pass: Mp3Pass): Promise<IngestResult> {
  const { first, maxSeconds } = pass;
  let writer: CacheWriter | null = null;
  let decoder: MPEGDecoder | null = null;
  try {
    if (!first) throw new IngestError('not_audio', 'no MPEG audio frames found');
    const walker = createFrameWalker(first);
    decoder = new MPEGDecoder();
    await decoder.ready;
    writer = await openCacheWriter({
      outBase: pass.outBase,
      channels: first.header.channels,
      sampleRate: first.header.sampleRate,
      expectedSeconds: estimatedSeconds(first, pass.expectedBytes),
      maxSeconds,
    });

    let position = 0;
    let sampleRate = 0;
    for await (const chunk of pass.chunks) {
      walker.push(chunk, position);
      position += chunk.length;
      const decoded = decoder.decode(chunk);
      if (decoded.samplesDecoded === 0) continue;
      sampleRate = decoded.sampleRate;
      writer.write(decoded.channelData, decoded.samplesDecoded);
    }

    const truncation = walker.finish(position);
    if (truncation) throw new IngestError('truncated', truncation);
    if (writer.sampleCount === 0) throw new IngestError('not_audio', 'decoder produced no audio');
    const result = writer.publish(sampleRate || first.header.sampleRate);
    writer = null;
    return result;
  } catch (error) {
    writer?.discard();
    throw toIngestError(error);
  } finally {
    decoder?.free();
  }
}
