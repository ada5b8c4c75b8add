// The one place that knows where binary audio comes from: the loopback API in browser mode (Bearer
// header, Range requests). The desktop shell can swap in its custom scheme here.
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

/** Fetches bytes [start, end] (inclusive) of a URL above, or the whole body without a range. */
export async function fetchAudioBytes(
  url: string,
  range?: { start: number; end: number },
  signal?: AbortSignal,
): Promise<ArrayBuffer> {
  const headers: Record<string, string> = { ...authHeaders() };
  if (range) headers.range = `bytes=${range.start}-${range.end}`;
  let response: Response;
  try {
    response = await fetch(url, { headers, cache: 'no-store', signal });
  } catch (error) {
    throw new AudioFetchError('network', `Could not load audio: ${(error as Error).message}`);
  }
  if (response.status === 404)
    throw new AudioFetchError(
      'not_found',
      (await response.text()) || 'its audio file is not in the library (HTTP 404)',
    );
  if (!response.ok) throw new AudioFetchError('http', `Loading audio failed (HTTP ${response.status})`);
  return response.arrayBuffer();
}
