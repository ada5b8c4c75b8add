// The download failure vocabulary: what went wrong, the sentence the user sees, and whether trying
// again later can help.
import { StemhookError } from '../stemhook-error.ts';

export type DownloadErrorCode =
  | 'gone'
  | 'http_client'
  | 'http_server'
  | 'network'
  | 'stall'
  | 'slow'
  | 'truncated'
  | 'too_large'
  | 'not_audio'
  | 'refused'
  | 'redirects'
  | 'disk'
  | 'ingest'
  | 'stopped';

// A full or read-only disk can be fixed by the user, so those are retried rather than final.
const RETRYABLE = new Set<DownloadErrorCode>([
  'http_server',
  'network',
  'stall',
  'slow',
  'truncated',
  'disk',
]);

export class DownloadError extends StemhookError<DownloadErrorCode> {
  isRetryable: boolean;

  constructor(code: DownloadErrorCode, message: string, isRetryable = RETRYABLE.has(code)) {
    super(code, message);
    this.name = 'DownloadError';
    this.isRetryable = isRetryable;
  }
}

export const DISK_ERROR_CODES = new Set(['ENOSPC', 'EDQUOT', 'EACCES', 'EPERM', 'EROFS', 'EIO']);

export function errorCode(error: unknown): string | null {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') {
    return error.code;
  }
  return null;
}

export function diskError(error: unknown): DownloadError {
  const detail = error instanceof Error ? error.message : String(error);
  const failure = new DownloadError('disk', `Disk full or not writable: ${detail}`);
  failure.cause = error; // keeps ENOSPC / EROFS … for the storage status
  return failure;
}

/** The response status was final and not 200: say what it means for this file. */
export function httpStatusError(status: number): DownloadError {
  if (status === 404 || status === 410) {
    return new DownloadError(
      'gone',
      `KIE's link for this result is dead (HTTP ${status}); the file can no longer be downloaded`,
    );
  }
  // Timeouts and rate limits are client-class statuses that say "later", not "never".
  if (status === 408 || status === 425 || status === 429) {
    return new DownloadError('http_server', `KIE's file server asked us to slow down (HTTP ${status})`);
  }
  if (status >= 500)
    return new DownloadError('http_server', `KIE's file server had an error (HTTP ${status})`);
  if (status >= 400)
    return new DownloadError('http_client', `KIE's file server refused the download (HTTP ${status})`);
  return new DownloadError(
    'not_audio',
    `KIE's file server answered HTTP ${status} instead of sending the file`,
  );
}

export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} bytes`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} kB`;
  return `${(bytes / 1_000_000).toFixed(bytes < 10_000_000 ? 1 : 0)} MB`;
}

/** Why the first bytes are not an MP3 (or the WAV a WAV conversion promised), in plain words. */
export function describeNonAudio(head: Uint8Array, kind: 'MP3' | 'WAV' = 'MP3'): string {
  const file = kind === 'MP3' ? 'an MP3 file' : 'a WAV file';
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head.subarray(0, 160)).trimStart();
  if (head.length === 0) return `The download was empty instead of ${file}`;
  if (text.startsWith('<')) {
    return `The link returned a web page (HTML) instead of ${file}`;
  }
  if (text.startsWith('{') || text.startsWith('[')) {
    const snippet = text.replace(/\p{Cc}+/gu, ' ').slice(0, 120);
    return `The link returned a JSON message instead of ${file}: ${snippet}`;
  }
  const hex = Array.from(head.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return `The downloaded file is not ${kind === 'MP3' ? 'an MP3' : 'a WAV'} (it starts with bytes ${hex})`;
}
