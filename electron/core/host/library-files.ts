// Answers the desktop window's audio requests (its custom scheme) from the library folder: status,
// headers and a byte stream, with HTTP ranges so seeking works. Nothing outside the library can be
// named: no `..`, no encoded tricks, no symlinks out, only audio file types.
import path from 'node:path';
import type { Readable } from 'node:stream';
import { derivedPaths } from '../audio/derived-tracks.ts';
import type { Store } from '../store/index.ts';
import { BATCH_PATH, parseBatchQuery } from '../../../shared/pcm16-batch.ts';
import { parseRange } from './http-range.ts';
import { int16Bytes, int16Size, isInside, openInside, streamOwning } from './library-read.ts';
import { serveBatch } from './pcm16-batch.ts';

export { isInside };

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

export interface FileRequest {
  method: string;
  /** The URL path, still percent-encoded, starting with `/`. */
  pathname: string;
  range?: string | null;
  /** The URL's query (`?…`), read only by the batch route. */
  search?: string;
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

const refuse = (status: number, reason?: string): FileResponse => ({
  status,
  headers: { 'x-content-type-options': 'nosniff', ...(reason ? { 'x-stemhook-refusal': reason } : {}) },
  body: null,
});

interface ServeOptions {
  /** The folder the file must really be in (after symlinks), or null for a path the store recorded. */
  root: string | null;
  types: Readonly<Record<string, string>>;
  asInt16?: boolean;
}

async function serveFile(target: string, request: FileRequest, options: ServeOptions): Promise<FileResponse> {
  const type = options.types[path.extname(target).toLowerCase()];
  if (!type) return refuse(403);
  const opened = await openInside(target, options.root);
  if ('status' in opened) return refuse(opened.status);
  const { handle } = opened;
  const size = options.asInt16 ? int16Size(opened.size) : opened.size;
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
    ? streamOwning(int16Bytes(handle, start, end), [handle])
    : handle.createReadStream({ start, end, autoClose: true });
  return { status, headers, body };
}

/**
 * Routes (below the scheme's host): `/tracks/<id>/file`, `/tracks/<id>/pcm16` (the PCM cache as
 * int16 LE; derived tracks such as `residual-<taskId>` too), `/tasks/<id>/source` (the file the task was submitted with, as the store recorded it)
 * `/tracks/pcm16?ranges=…` (several tracks' int16 ranges in one answer, see pcm16-batch.ts) and
 * `/files/<path>` (any audio file inside the library).
 */
export function createLibraryResponder(options: { libraryDir: string; lookup: AudioLookup }) {
  const { libraryDir, lookup } = options;
  /** The cache `/tracks/<id>/pcm16` serves: a ready track's, or a derived track's by its id. */
  const pcmPathOf = (id: string): string | null => {
    const track = lookup.track(id);
    if (!track) return derivedPaths(libraryDir, id)?.pcmPath ?? null;
    return track.isReady ? track.pcmPath : null;
  };
  return async function respond(request: FileRequest): Promise<FileResponse> {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405);
    if (request.pathname.startsWith('/files/')) {
      const resolved = resolveRequestPath(libraryDir, request.pathname.slice('/files'.length), AUDIO_TYPES);
      return resolved.ok
        ? serveFile(resolved.path, request, { root: libraryDir, types: AUDIO_TYPES })
        : refuse(resolved.status);
    }
    if (request.pathname === BATCH_PATH) {
      const ranges = parseBatchQuery(request.search ?? '');
      if ('error' in ranges) return refuse(400, ranges.error);
      return serveBatch(ranges, { method: request.method, libraryDir, pcmPathOf });
    }
    const [, collection, id = '', what] =
      /^\/(tracks|tasks)\/([^/]+)\/(file|pcm16|source)$/.exec(request.pathname) ?? [];
    if (!collection || !ID.test(id)) return refuse(404);
    if (collection === 'tasks') {
      const source = what === 'source' ? lookup.taskSource(id) : null;
      return source ? serveFile(source, request, { root: null, types: AUDIO_TYPES }) : refuse(404);
    }
    if (what === 'pcm16') {
      const pcmPath = pcmPathOf(id);
      return pcmPath
        ? serveFile(pcmPath, request, { root: libraryDir, types: CACHE_TYPES, asInt16: true })
        : refuse(404);
    }
    const track = lookup.track(id);
    if (what === 'file' && track?.isReady && track.localPath)
      return serveFile(track.localPath, request, { root: libraryDir, types: AUDIO_TYPES });
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
