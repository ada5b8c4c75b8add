// The one place that knows where binary audio comes from: the loopback API in browser mode (Bearer
// header, Range requests). The desktop shell can swap in its custom scheme here.
import { BATCH_PATH, batchQuery, splitBatchBody, type BatchRange } from '../../../shared/pcm16-batch.ts';
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
 * Several tracks' int16 ranges in one request (shared/pcm16-batch.ts): per range its bytes (a view
 * into the one body), or the error for that lane alone (404: its cache is gone). A failed request
 * throws for all of them.
 */
export async function fetchPcm16Batch(
  ranges: BatchRange[],
  signal?: AbortSignal,
): Promise<Array<Uint8Array | AudioFetchError>> {
  const response = await send(`${base()}${BATCH_PATH}?${batchQuery(ranges)}`, {}, signal);
  if (!response.ok) throw new AudioFetchError('http', `Loading audio failed (HTTP ${response.status})`);
  const body = await response.arrayBuffer();
  let parts;
  try {
    parts = splitBatchBody(body, ranges.length);
  } catch (error) {
    throw new AudioFetchError('http', `Loading audio failed: ${(error as Error).message}`);
  }
  return parts.map((part) => {
    if (part.status === 206) return new Uint8Array(body, part.offset, part.length);
    return part.status === 404
      ? new AudioFetchError('not_found', 'its audio file is not in the library (HTTP 404)')
      : new AudioFetchError('http', `Loading audio failed (HTTP ${part.status})`);
  });
}
