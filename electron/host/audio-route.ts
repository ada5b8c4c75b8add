// Authenticated binary audio for the renderer in browser mode: a track's PCM cache as header-less
// interleaved int16 LE (the top 16 bits of each s24le sample), the downloaded file, and a task's
// source file, all with single HTTP Range support. Paths come from the store only, never the URL.
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BYTES_PER_SAMPLE, pcmToInt16 } from '../audio/index.ts';
import type { Store } from '../store/index.ts';
import type { LocalRoute } from './local-api.ts';

const ROUTE = /^\/api\/(tracks|tasks)\/([0-9a-f-]{36})\/(pcm16|file|source)$/;
const SAMPLES_PER_READ = 64 * 1024;
const AUDIO_TYPES: Record<string, string> = {
  '.mp3': 'audio/mpeg',
  '.wav': 'audio/wav',
  '.flac': 'audio/flac',
  '.m4a': 'audio/mp4',
  '.aif': 'audio/aiff',
  '.aiff': 'audio/aiff',
  '.ogg': 'audio/ogg',
};

export type ByteRange = { start: number; end: number } | 'unsatisfiable' | null;

/** Parses a single `bytes=` range against a body of `size` bytes; null means "send it all". */
export function parseRange(header: string | undefined, size: number): ByteRange {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '');
  if (!match || (match[1] === '' && match[2] === '')) return null;
  const [, from = '', to = ''] = match;
  if (from === '') {
    const suffix = Number(to);
    return suffix === 0 || size === 0
      ? 'unsatisfiable'
      : { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(from);
  const end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  return start >= size || end < start ? 'unsatisfiable' : { start, end };
}

/** Yields int16 LE bytes [start, end] of the converted cache, reading the s24le file in bounded chunks. */
async function* int16Bytes(pcmPath: string, start: number, end: number): AsyncGenerator<Uint8Array> {
  const handle = await open(pcmPath, 'r');
  try {
    const lastSample = Math.floor(end / 2);
    let sample = Math.floor(start / 2);
    let skip = start % 2;
    while (sample <= lastSample) {
      const count = Math.min(SAMPLES_PER_READ, lastSample - sample + 1);
      const raw = new Uint8Array(count * BYTES_PER_SAMPLE);
      const { bytesRead } = await handle.read(raw, 0, raw.length, sample * BYTES_PER_SAMPLE);
      if (bytesRead < raw.length) throw new Error('PCM cache is shorter than expected');
      const int16 = pcmToInt16(raw);
      const bytes = new Uint8Array(int16.buffer, int16.byteOffset, int16.byteLength);
      const isLast = sample + count > lastSample;
      yield bytes.subarray(skip, isLast ? end - sample * 2 + 1 : bytes.length);
      skip = 0;
      sample += count;
    }
  } finally {
    await handle.close();
  }
}

function refuse(res: ServerResponse, status: number, message: string): true {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end(message);
  return true;
}

async function send(
  req: IncomingMessage,
  res: ServerResponse,
  size: number,
  type: string,
  body: (start: number, end: number) => Readable,
): Promise<true> {
  const range = parseRange(req.headers.range, size);
  const headers = {
    'content-type': type,
    'accept-ranges': 'bytes',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  };
  if (range === 'unsatisfiable') {
    res.writeHead(416, { ...headers, 'content-range': `bytes */${size}` });
    res.end();
    return true;
  }
  const { start, end } = range ?? { start: 0, end: size - 1 };
  const length = size === 0 ? 0 : end - start + 1;
  res.writeHead(range ? 206 : 200, {
    ...headers,
    'content-length': length,
    ...(range ? { 'content-range': `bytes ${start}-${end}/${size}` } : {}),
  });
  if (length === 0) {
    res.end();
    return true;
  }
  await pipeline(body(start, end), res).catch(() => res.destroy());
  return true;
}

async function fileSize(path: string | null): Promise<number | null> {
  const info = path ? await stat(path).catch(() => null) : null;
  return info?.isFile() ? info.size : null;
}

export function createAudioRoute(store: Store): LocalRoute {
  return async (req, res, url) => {
    const match = ROUTE.exec(url.pathname);
    if (!match) return false;
    if (req.method !== 'GET') return refuse(res, 405, 'GET only');
    const [, collection, id = '', what] = match;
    if (collection === 'tasks') {
      if (what !== 'source') return refuse(res, 404, 'no such audio');
      const path = store.tasks.get(id)?.source_path ?? null;
      const size = await fileSize(path);
      if (!path || size === null)
        return refuse(res, 404, 'The source file of this task is not on this computer');
      const type = AUDIO_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
      return send(req, res, size, type, (start, end) => createReadStream(path, { start, end }));
    }
    const track = store.tracks.get(id);
    if (!track || track.state !== 'ready') return refuse(res, 404, 'This track has not been downloaded yet');
    if (what === 'file') {
      const path = track.local_path;
      const size = await fileSize(path);
      if (!path || size === null) return refuse(res, 404, 'The downloaded file is missing');
      return send(req, res, size, AUDIO_TYPES[extname(path).toLowerCase()] ?? 'audio/mpeg', (start, end) =>
        createReadStream(path, { start, end }),
      );
    }
    if (what !== 'pcm16') return refuse(res, 404, 'no such audio');
    const path = track.pcm_path;
    const s24Size = await fileSize(path);
    if (!path || s24Size === null) return refuse(res, 404, 'The PCM cache of this track is missing');
    const size = Math.floor(s24Size / BYTES_PER_SAMPLE) * 2;
    return send(req, res, size, 'application/octet-stream', (start, end) =>
      Readable.from(int16Bytes(path, start, end)),
    );
  };
}
