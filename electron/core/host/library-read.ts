// Reading a library file safely and the int16 view of a PCM cache, shared by the single-range
// responder (library-files.ts) and the batch route (pcm16-batch.ts).
import { constants } from 'node:fs';
import { open, realpath, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { BYTES_PER_SAMPLE, pcmToInt16 } from '../audio/index.ts';

const SAMPLES_PER_READ = 64 * 1024;

export function isInside(base: string, target: string): boolean {
  const relative = path.relative(base, target);
  return (
    relative !== '' &&
    relative !== '..' &&
    !relative.startsWith(`..${path.sep}`) &&
    !path.isAbsolute(relative)
  );
}

/**
 * Opens `target` for reading if it really is a file inside `root` (after symlinks; null root: a
 * path the store recorded). Returns the handle (the caller closes it) and its size, or a 403/404.
 * `realRoot`: the root's real path, resolved once by a caller opening many files in it (a trip to
 * the thread pool per file saved: a seek's batch opens one per lane).
 */
export async function openInside(
  target: string,
  root: string | null,
  realRoot?: Promise<string>,
): Promise<{ handle: FileHandle; size: number } | { status: 403 | 404 }> {
  const base = realRoot ?? (root === null ? null : realpath(root));
  base?.catch(() => undefined); // awaited below, after the target's: not an unhandled rejection
  let real: string;
  try {
    real = await realpath(target);
    if (base !== null && !isInside(await base, real)) return { status: 403 };
  } catch {
    return { status: 404 };
  }
  // Open what we checked without following a link swapped in since, and read only from that handle.
  const handle = await open(real, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0)).catch(() => null);
  if (!handle) return { status: 404 };
  const info = await handle.stat().catch(() => null);
  if (!info?.isFile()) {
    await handle.close().catch(() => undefined);
    return { status: 404 };
  }
  return { handle, size: info.size };
}

/** Bytes of the int16 view a PCM cache of `cacheBytes` s24le bytes has. */
export const int16Size = (cacheBytes: number): number => Math.floor(cacheBytes / BYTES_PER_SAMPLE) * 2;

/** The PCM cache is s24le; playback wants int16 LE, so byte ranges address the converted stream. */
export async function* int16Bytes(
  handle: FileHandle,
  start: number,
  end: number,
): AsyncGenerator<Uint8Array> {
  let sample = Math.floor(start / 2);
  const lastSample = Math.floor(end / 2);
  let skip = start % 2;
  while (sample <= lastSample) {
    const count = Math.min(SAMPLES_PER_READ, lastSample - sample + 1);
    const raw = new Uint8Array(count * BYTES_PER_SAMPLE);
    const { bytesRead } = await handle.read(raw, 0, raw.length, sample * BYTES_PER_SAMPLE);
    if (bytesRead < raw.length) throw new Error('PCM cache is shorter than expected');
    const int16 = pcmToInt16(raw);
    const bytes = new Uint8Array(int16.buffer, int16.byteOffset, int16.byteLength);
    yield bytes.subarray(skip, sample + count > lastSample ? end - sample * 2 + 1 : bytes.length);
    skip = 0;
    sample += count;
  }
}

/**
 * A stream over `source` that closes `handles` when it closes, whether it ended, failed, or was
 * dropped before its first read (a seek cancelling its request), which a generator's own `finally`
 * never sees because an unstarted generator never runs.
 */
export function streamOwning(source: AsyncIterable<Uint8Array>, handles: FileHandle[]): Readable {
  const stream = Readable.from(source);
  stream.once('close', () => {
    for (const handle of handles) void handle.close().catch(() => undefined);
  });
  return stream;
}
