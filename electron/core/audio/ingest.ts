// One ingest of a finished MP3 file, run inside a decode worker: finds the first frame in the file's
// head, then reads it in slices through the shared decode pass (mp3-decode.ts).
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { IngestError, toIngestError } from './errors.ts';
import { findFirstFrame } from './mpeg-header.ts';
import { decodeMp3 } from './mp3-decode.ts';
import { MAX_TAKE_SECONDS } from './limits.ts';
import type { IngestInput, IngestResult } from './types.ts';

/** Input slice fed to the decoder; at 320 kbps this is about 3 s of audio, so memory stays small. */
export const READ_CHUNK_BYTES = 128 * 1024;

function openInput(path: string): number {
  try {
    return openSync(path, 'r');
  } catch (error) {
    throw toIngestError(error);
  }
}

function* readSlices(fd: number, fileSize: number): Generator<Uint8Array> {
  // One buffer for every slice: the decode pass is done with a slice before it asks for the next.
  const slice = new Uint8Array(READ_CHUNK_BYTES);
  for (let position = 0; position < fileSize;) {
    const read = readSync(fd, slice, 0, READ_CHUNK_BYTES, position);
    if (read === 0) return;
    position += read;
    yield slice.subarray(0, read);
  }
}

export async function ingestFile(input: IngestInput): Promise<IngestResult> {
  const fd = openInput(input.mp3Path);
  try {
    const fileSize = fstatSync(fd).size;
    if (fileSize === 0) throw new IngestError('not_audio', 'file is empty');
    const readAt = (position: number, length: number): Uint8Array => {
      const buffer = new Uint8Array(Math.max(0, Math.min(length, fileSize - position)));
      return buffer.subarray(0, buffer.length ? readSync(fd, buffer, 0, buffer.length, position) : 0);
    };
    return await decodeMp3({
      outBase: input.outBase,
      maxSeconds: input.maxSeconds ?? MAX_TAKE_SECONDS,
      first: findFirstFrame(readAt, fileSize),
      expectedBytes: fileSize,
      chunks: readSlices(fd, fileSize),
    });
  } catch (error) {
    throw toIngestError(error);
  } finally {
    closeSync(fd);
  }
}
