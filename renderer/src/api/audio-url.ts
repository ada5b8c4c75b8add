// The one place that knows where binary audio comes from: the loopback API in browser mode (Bearer
// header, Range requests). The desktop shell can swap in its custom scheme here.
import { BATCH_PATH, batchQuery, type BatchRange } from '../../../shared/pcm16-batch.ts';
import { readBatchParts, readInto } from './read-into.ts';
import { guardStalls, STALL_LIMITS, type StallGuard, type StallLimits } from './stall-guard.ts';
import { api, authHeaders } from './window-api.ts';

export class AudioFetchError extends Error {
  code: 'not_found' | 'http' | 'network';
  constructor(code: AudioFetchError['code'], message: string) {
    super(message);
    this.name = 'AudioFetchError';
    this.code = code;
  }
}

function base(): string {
  return api.audioBaseUrl ?? '/api';
}

export function trackPcm16Url(trackId: string): string {
  return `${base()}/tracks/${encodeURIComponent(trackId)}/pcm16`;
}

/** Browser mode's download of a lane as an aligned WAV (the desktop drags the same file out instead). */
export function trackExportUrl(trackId: string): string {
  return `/api/exports/tracks/${encodeURIComponent(trackId)}.wav`;
}

/** Browser mode: everything one finished export wrote, as one zip. */
export function exportZipUrl(exportId: string): string {
  return `/api/exports/runs/${encodeURIComponent(exportId)}.zip`;
}

async function send(url: string, headers: Record<string, string>, signal?: AbortSignal): Promise<Response> {
  try {
    return await fetch(url, { headers: { ...authHeaders(), ...headers }, cache: 'no-store', signal });
  } catch (error) {
    throw new AudioFetchError('network', `Could not load audio: ${(error as Error).message}`);
  }
}

/** Fetches bytes [start, end] (inclusive) of a URL above, or the whole body without a range. */
export async function fetchAudioBytes(
  url: string,
  range?: { start: number; end: number },
  signal?: AbortSignal,
): Promise<ArrayBuffer> {
  const response = await send(url, range ? { range: `bytes=${range.start}-${range.end}` } : {}, signal);
  if (response.status === 404)
    throw new AudioFetchError(
      'not_found',
      (await response.text()) || 'its audio file is not in the library (HTTP 404)',
    );
  if (!response.ok) throw new AudioFetchError('http', `Loading audio failed (HTTP ${response.status})`);
  return response.arrayBuffer();
}

/**
 * Runs one PCM read under a stall guard (./stall-guard.ts): the caller's abort (a seek) passes on as
 * it is; a read the guard gave up on fails as a network error that says why.
 */
async function guarded<T>(
  signal: AbortSignal,
  limits: StallLimits,
  read: (guard: StallGuard) => Promise<T>,
): Promise<T> {
  const guard = guardStalls(signal, limits);
  try {
    return await read(guard);
  } catch (error) {
    const why = guard.stalled();
    if (why && !signal.aborted) throw new AudioFetchError('network', `Loading audio failed: ${why}`);
    throw error;
  } finally {
    guard.done();
  }
}

/**
 * Bytes [start, end] of a track's int16 PCM read straight into `targets` (the stream reader's chunk
 * buffers, see ./read-into.ts); a shorter answer leaves the rest of them zeroed.
 */
export function fetchPcm16Into(
  trackId: string,
  range: { start: number; end: number },
  signal: AbortSignal,
  targets: Uint8Array[],
  limits: StallLimits = STALL_LIMITS,
): Promise<Uint8Array[]> {
  return guarded(signal, limits, async (guard) => {
    const url = trackPcm16Url(trackId);
    const response = await send(url, { range: `bytes=${range.start}-${range.end}` }, guard.signal);
    guard.progress();
    if (response.status === 404)
      throw new AudioFetchError(
        'not_found',
        (await response.text()) || 'its audio file is not in the library (HTTP 404)',
      );
    if (response.status !== 206 || !response.body)
      throw new AudioFetchError('http', `Loading audio failed (HTTP ${response.status})`);
    const length = Number(response.headers.get('content-length') ?? range.end - range.start + 1);
    try {
      return await readInto(response.body, guard.progress).fill(targets, length);
    } catch (error) {
      if (guard.signal.aborted) throw error;
      throw new AudioFetchError('network', `Loading audio failed: ${(error as Error).message}`);
    }
  });
}

/**
 * Several tracks' int16 ranges in one request (shared/pcm16-batch.ts), each read straight into the
 * buffers `into` gives for it; per range those buffers, or the error for that lane alone (404: its
 * cache is gone). A failed request throws for all of them.
 */
export async function fetchPcm16Batch(
  ranges: BatchRange[],
  signal: AbortSignal,
  into: (part: number, byteLength: number) => Uint8Array[],
  limits: StallLimits = STALL_LIMITS,
): Promise<Array<Uint8Array[] | AudioFetchError>> {
  const parts = await guarded(signal, limits, async (guard) => {
    const response = await send(`${base()}${BATCH_PATH}?${batchQuery(ranges)}`, {}, guard.signal);
    guard.progress();
    if (!response.ok) throw new AudioFetchError('http', `Loading audio failed (HTTP ${response.status})`);
    try {
      return await readBatchParts(response.body, ranges.length, into, guard.progress);
    } catch (error) {
      if (guard.signal.aborted) throw error;
      throw new AudioFetchError('http', `Loading audio failed: ${(error as Error).message}`);
    }
  });
  return parts.map((part) => {
    if (part.status === 206) return part.views;
    return part.status === 404
      ? new AudioFetchError('not_found', 'its audio file is not in the library (HTTP 404)')
      : new AudioFetchError('http', `Loading audio failed (HTTP ${part.status})`);
  });
}
