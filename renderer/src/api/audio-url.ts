// The one place that knows where binary audio comes from: the loopback API in browser mode (Bearer
// header, Range requests). The desktop shell can swap in its custom scheme here.
import { BATCH_PATH, batchQuery, type BatchRange } from '../../../shared/pcm16-batch.ts';
import {
  startWatchdog,
  type CrossedLimit,
  type TransferLimits,
  type TransferWatchdog,
} from '../../../shared/transfer-watchdog.ts';
import { readBatchParts, readInto } from './read-into.ts';
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

/**
 * A PCM read the host stops answering must end in an error the studio can name, not in "Loading
 * audio" forever: a hung host, or one dripping a byte every few seconds, left a lane (and the song,
 * which waits for every lane) silent with nothing said. A healthy read of the largest batch (16 MB)
 * ends in well under a second on loopback; in the stream bench, while a split ingested, the slowest
 * PCM requests (p95) took 0.1-0.2 s. The stream reader retries a failed read, and names the lane
 * after three failures.
 */
export const PCM_READ_LIMITS: TransferLimits = { stallMs: 5000, deadlineMs: 20_000, minThroughput: null };

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;

function whyGivenUp(limit: CrossedLimit): string {
  if (limit.kind === 'stall')
    return `the host stopped sending its audio (nothing for ${seconds(limit.stallMs)})`;
  if (limit.kind === 'deadline')
    return `the host sent its audio too slowly (one read took over ${seconds(limit.deadlineMs)})`;
  return `the host sent its audio too slowly (${limit.bytes} bytes in ${seconds(limit.floor.windowMs)})`;
}

/**
 * Runs one PCM read under a transfer watchdog (shared/transfer-watchdog.ts): the caller's abort (a
 * seek) passes on as it is; a read the watchdog gave up on fails as a network error that says why.
 */
async function watched<T>(
  signal: AbortSignal,
  limits: TransferLimits,
  read: (guard: { signal: AbortSignal } & Pick<TransferWatchdog, 'touch' | 'received'>) => Promise<T>,
): Promise<T> {
  const givenUp = new AbortController();
  let why: string | null = null;
  const watchdog = startWatchdog(limits, (limit) => {
    why = whyGivenUp(limit);
    givenUp.abort(new Error(why));
  });
  try {
    return await read({ ...watchdog, signal: AbortSignal.any([signal, givenUp.signal]) });
  } catch (error) {
    if (why && !signal.aborted) throw new AudioFetchError('network', `Loading audio failed: ${why}`);
    throw error;
  } finally {
    watchdog.stop();
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
  limits: TransferLimits = PCM_READ_LIMITS,
): Promise<Uint8Array[]> {
  return watched(signal, limits, async (guard) => {
    const url = trackPcm16Url(trackId);
    const response = await send(url, { range: `bytes=${range.start}-${range.end}` }, guard.signal);
    guard.touch();
    if (response.status === 404)
      throw new AudioFetchError(
        'not_found',
        (await response.text()) || 'its audio file is not in the library (HTTP 404)',
      );
    if (response.status !== 206 || !response.body)
      throw new AudioFetchError('http', `Loading audio failed (HTTP ${response.status})`);
    const length = Number(response.headers.get('content-length') ?? range.end - range.start + 1);
    try {
      return await readInto(response.body, guard.received).fill(targets, length);
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
  limits: TransferLimits = PCM_READ_LIMITS,
): Promise<Array<Uint8Array[] | AudioFetchError>> {
  const parts = await watched(signal, limits, async (guard) => {
    const response = await send(`${base()}${BATCH_PATH}?${batchQuery(ranges)}`, {}, guard.signal);
    guard.touch();
    if (!response.ok) throw new AudioFetchError('http', `Loading audio failed (HTTP ${response.status})`);
    try {
      return await readBatchParts(response.body, ranges.length, into, guard.received);
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
