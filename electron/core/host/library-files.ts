// Answers the desktop window's audio requests (its custom scheme) from the library folder: status,
// headers and a byte stream, with HTTP ranges so seeking works. Nothing outside the library can be
// named: no `..`, no encoded tricks, no symlinks out, only audio file types.
import { constants } from 'node:fs';
import { open, realpath, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { BYTES_PER_SAMPLE, pcmToInt16 } from '../audio/index.ts';
import { derivedPaths } from '../audio/derived-tracks.ts';
import type { Store } from '../store/index.ts';
import { parseRange } from './http-range.ts';

export const AUDIO_TYPES: Readonly<Record<string, string>> = {
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
  '.flac': 'audio/flac',
  '.m4a': 'audio/mp4',
  '.aif': 'audio/aiff',
  '.aiff': 'audio/aiff',
};
const CACHE_TYPES: Readonly<Record<string, string>> = { '.pcm': 'application/octet-stream' };
const ID = /^[A-Za-z0-9-]{1,128}$/;
const SAMPLES_PER_READ = 64 * 1024;

export interface FileRequest {
  method: string;
  /** The URL path, still percent-encoded, starting with `/`. */
  pathname: string;
  range?: string | null;
}

export interface FileResponse {
  status: number;
  headers: Record<string, string>;
  body: Readable | null;
}

/** Where the store says a track's or task's files are; the URL only ever carries ids. */
export interface AudioLookup {
  track(id: string): { isReady: boolean; localPath: string | null; pcmPath: string | null } | null;
  taskSource(id: string): string | null;
}

export type ResolvedPath = { ok: true; path: string } | { ok: false; status: 400 | 403 };

/** Lexical checks only: every segment is decoded once and refused if it could climb or hide. */
export function resolveRequestPath(
  root: string,
  pathname: string,
  types: Readonly<Record<string, string>>,
): ResolvedPath {
  if (!pathname.startsWith('/')) return { ok: false, status: 400 };
  const segments: string[] = [];
  for (const raw of pathname.slice(1).split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return { ok: false, status: 400 };
    }
    if (segment === '' || segment === '.' || segment === '..' || /[/\\\0:]/.test(segment))
      return { ok: false, status: 403 };
    segments.push(segment);
  }
  if (!Object.hasOwn(types, path.extname(segments.at(-1) ?? '').toLowerCase()))
    return { ok: false, status: 403 };
  const base = path.resolve(root);
  const target = path.resolve(base, ...segments);
  return isInside(base, target) ? { ok: true, path: target } : { ok: false, status: 403 };
}

export function isInside(base: string, target: string): boolean {
  const relative = path.relative(base, target);
  return (
    relative !== '' &&
    relative !== '..' &&
    !relative.startsWith(`..${path.sep}`) &&
    !path.isAbsolute(relative)
  );
}

const refuse = (status: number): FileResponse => ({
  status,
  headers: { 'x-content-type-options': 'nosniff' },
  body: null,
});

/** The PCM cache is s24le; playback wants int16 LE, so byte ranges address the converted stream. */
async function* int16Bytes(handle: FileHandle, start: number, end: number): AsyncGenerator<Uint8Array> {
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
 * The int16 view as a stream that owns the handle: closed when the stream closes, whether it ended,
 * failed, or was dropped before its first read (a seek cancelling its request), which a generator's
 * own `finally` never sees because an unstarted generator never runs.
 */
function int16Stream(handle: FileHandle, start: number, end: number): Readable {
  const stream = Readable.from(int16Bytes(handle, start, end));
  stream.once('close', () => void handle.close().catch(() => undefined));
  return stream;
}

interface ServeOptions {
  /** The folder the file must really be in (after symlinks), or null for a path the store recorded. */
  root: string | null;
  types: Readonly<Record<string, string>>;
  asInt16?: boolean;
}

async function serveFile(target: string, request: FileRequest, options: ServeOptions): Promise<FileResponse> {
  const type = options.types[path.extname(target).toLowerCase()];
  if (!type) return refuse(403);
  let real: string;
  try {
    real = await realpath(target);
    if (options.root !== null && !isInside(await realpath(options.root), real)) return refuse(403);
  } catch {
    return refuse(404);
  }
  // Open what we checked without following a link swapped in since, and read only from that handle.
  const handle = await open(real, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0)).catch(() => null);
  if (!handle) return refuse(404);
  const info = await handle.stat();
  if (!info.isFile()) {
    await handle.close();
    return refuse(404);
  }
  const size = options.asInt16 ? Math.floor(info.size / BYTES_PER_SAMPLE) * 2 : info.size;
  const headers: Record<string, string> = {
    'content-type': options.asInt16 ? 'application/octet-stream' : type,
    'accept-ranges': 'bytes',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  };
  const range = parseRange(request.range ?? undefined, size);
  if (range === 'unsatisfiable') {
    await handle.close();
    return { status: 416, headers: { ...headers, 'content-range': `bytes */${size}` }, body: null };
  }
  const start = range?.start ?? 0;
  const end = range?.end ?? size - 1;
  headers['content-length'] = String(size === 0 ? 0 : end - start + 1);
  if (range) headers['content-range'] = `bytes ${start}-${end}/${size}`;
  const status = range ? 206 : 200;
  if (request.method === 'HEAD' || size === 0) {
    await handle.close();
    return { status, headers, body: null };
  }
  const body = options.asInt16
    ? int16Stream(handle, start, end)
    : handle.createReadStream({ start, end, autoClose: true });
  return { status, headers, body };
}

/**
 * Routes (below the scheme's host): `/tracks/<id>/file`, `/tracks/<id>/pcm16` (the PCM cache as
 * int16 LE; derived tracks such as `residual-<taskId>` too), `/tasks/<id>/source` (the file the task was submitted with, as the store recorded it)
 * and `/files/<path>` (any audio file inside the library).
 */
export function createLibraryResponder(options: { libraryDir: string; lookup: AudioLookup }) {
  const { libraryDir, lookup } = options;
  return async function respond(request: FileRequest): Promise<FileResponse> {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405);
    if (request.pathname.startsWith('/files/')) {
      const resolved = resolveRequestPath(libraryDir, request.pathname.slice('/files'.length), AUDIO_TYPES);
      return resolved.ok
        ? serveFile(resolved.path, request, { root: libraryDir, types: AUDIO_TYPES })
        : refuse(resolved.status);
    }
    const [, collection, id = '', what] =
      /^\/(tracks|tasks)\/([^/]+)\/(file|pcm16|source)$/.exec(request.pathname) ?? [];
    if (!collection || !ID.test(id)) return refuse(404);
    if (collection === 'tasks') {
      const source = what === 'source' ? lookup.taskSource(id) : null;
      return source ? serveFile(source, request, { root: null, types: AUDIO_TYPES }) : refuse(404);
    }
    const track = lookup.track(id);
    const derived = track ? null : derivedPaths(libraryDir, id);
    // A derived track (decoded source, residual) has no row: its cache sits in the library by id.
    if (derived && what === 'pcm16')
      return serveFile(derived.pcmPath, request, { root: libraryDir, types: CACHE_TYPES, asInt16: true });
    if (!track?.isReady) return refuse(404);
    if (what === 'file' && track.localPath)
      return serveFile(track.localPath, request, { root: libraryDir, types: AUDIO_TYPES });
    if (what === 'pcm16' && track.pcmPath)
      return serveFile(track.pcmPath, request, { root: libraryDir, types: CACHE_TYPES, asInt16: true });
    return refuse(404);
  };
}

/** The lookup backed by the store the host currently runs (none while it restarts). */
export function storeAudioLookup(getStore: () => Store | null): AudioLookup {
  const attempt = <T>(read: (store: Store) => T): T | null => {
    try {
      const store = getStore();
      return store ? read(store) : null;
    } catch {
      return null; // a store closed mid-restart: "not found" for this one request
    }
  };
  return {
    track: (id) =>
      attempt((store) => {
        const row = store.tracks.get(id);
        return row
          ? { isReady: row.state === 'ready', localPath: row.local_path, pcmPath: row.pcm_path }
          : null;
      }),
    taskSource: (id) => attempt((store) => store.tasks.get(id)?.source_path ?? null),
  };
}
