// The batch route of the audio responder: several lanes' int16 ranges in one answer (format and
// limits: shared/pcm16-batch.ts), so a seek costs one round trip instead of one per lane. Each
// range is read with the same checks as a single one (the store's path, inside the library, no
// symlink out, a `.pcm` cache), and one lane's missing file is that part's 404, not the request's.
import path from 'node:path';
import { realpath, type FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { partHeader, PART_HEADER_BYTES, type BatchRange } from '../../../shared/pcm16-batch.ts';
import { int16Bytes, int16Size, openInside, streamOwning } from './library-read.ts';

interface OpenedPart {
  status: 206 | 403 | 404 | 416;
  handle: FileHandle | null;
  start: number;
  end: number;
}

const partLength = (part: OpenedPart) => (part.status === 206 ? part.end - part.start + 1 : 0);

async function openPart(
  range: BatchRange,
  pcmPath: string | null,
  library: { dir: string; real: Promise<string> },
  handles: Map<string, Promise<{ handle: FileHandle; size: number } | { status: 403 | 404 }>>,
): Promise<OpenedPart> {
  const refused = (status: OpenedPart['status']): OpenedPart => ({ status, handle: null, start: 0, end: 0 });
  if (!pcmPath || path.extname(pcmPath).toLowerCase() !== '.pcm') return refused(404);
  // One handle per file, however many of its ranges are asked for.
  let opening = handles.get(pcmPath);
  if (!opening) handles.set(pcmPath, (opening = openInside(pcmPath, library.dir, library.real)));
  const opened = await opening;
  if ('status' in opened) return refused(opened.status === 403 ? 403 : 404);
  const size = int16Size(opened.size);
  if (range.start >= size) return refused(416);
  return { status: 206, handle: opened.handle, start: range.start, end: Math.min(range.end, size - 1) };
}

async function readPart(part: OpenedPart): Promise<Uint8Array[]> {
  const blocks: Uint8Array[] = [];
  if (part.handle && part.status === 206)
    for await (const block of int16Bytes(part.handle, part.start, part.end)) blocks.push(block);
  return blocks;
}

/**
 * The frames in the asked order, every part's read started at once: one after the other, a seek's
 * thirteen small reads were thirteen trips to the thread pool before the last lane's bytes left.
 * What is read ahead is bounded by the batch's limit (MAX_BATCH_BYTES).
 */
async function* frames(parts: OpenedPart[]): AsyncGenerator<Uint8Array> {
  const reads = parts.map(readPart);
  // A failed read is reported when its turn comes (the stream errors); until then it must not count
  // as unhandled, and after a dropped answer (a cancelled seek) it never comes.
  for (const read of reads) read.catch(() => undefined);
  for (const [i, part] of parts.entries()) {
    yield partHeader(part.status, partLength(part));
    yield* (await reads[i]) ?? [];
  }
}

export async function serveBatch(
  ranges: BatchRange[],
  options: { method: string; libraryDir: string; pcmPathOf: (trackId: string) => string | null },
): Promise<{ status: number; headers: Record<string, string>; body: Readable | null }> {
  // Every lane's path first: a store read that fails (a busy or broken database) then fails the
  // request before any file is open, instead of leaving the lanes already opened to the GC.
  const pcmPaths = ranges.map((range) => options.pcmPathOf(range.trackId));
  const handles = new Map<string, ReturnType<typeof openInside>>();
  // The library's real path once for the request, not once per lane.
  const real = realpath(options.libraryDir);
  real.catch(() => undefined); // a missing library is each part's 404 (openInside's catch)
  const library = { dir: options.libraryDir, real };
  const parts = await Promise.all(
    ranges.map((range, i) => openPart(range, pcmPaths[i] ?? null, library, handles)),
  );
  const open: FileHandle[] = [];
  for (const opened of await Promise.all(handles.values())) if ('handle' in opened) open.push(opened.handle);
  const length = parts.reduce((sum, part) => sum + PART_HEADER_BYTES + partLength(part), 0);
  const headers = {
    'content-type': 'application/octet-stream',
    'content-length': String(length),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  };
  if (options.method === 'HEAD') {
    await Promise.all(open.map((handle) => handle.close().catch(() => undefined)));
    return { status: 200, headers, body: null };
  }
  return { status: 200, headers, body: streamOwning(frames(parts), open) };
}
