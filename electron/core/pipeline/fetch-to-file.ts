// Fetches one result URL into a file: guarded redirect hops, the watchdog (stall, slow drip,
// deadline), the size cap, the MP3 (or WAV) sniff, and a .part file that is renamed only once every
// byte has arrived.
import { once } from 'node:events';
import { mkdir, rename, rm } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { startDownloadWatchdog } from './transfer-watchdog.ts';
import type { UrlVerdict } from './url-guard.ts';
import {
  DISK_ERROR_CODES,
  DownloadError,
  describeNonAudio,
  diskError,
  errorCode,
  httpStatusError,
  formatBytes,
} from './download-error.ts';
import { looksLikeMp3, looksLikeWav } from '../../../shared/audio-sniff.ts';

export interface FetchToFileOptions {
  url: string;
  dir: string;
  partPath: string;
  finalPath: string;
  maxBytes: number;
  /** Abort when no progress (headers or bytes) happens for this long. */
  stallMs: number;
  /** Abort when the whole attempt takes longer than this. */
  deadlineMs: number;
  /** Abort when fewer than `bytes` arrive in a `windowMs` window; null: no floor. */
  minThroughput: { bytes: number; windowMs: number } | null;
  maxRedirects: number;
  /** Aborted by the owner (stop); its reason should be a DownloadError. */
  signal: AbortSignal;
  checkUrl: (url: string) => Promise<UrlVerdict>;
  createWriteStream: (path: string) => Writable;
  onProgress: (done: number, total: number | null) => void;
  /** What the file must be: KIE's results are MP3s, except WAV conversions. Default 'mp3'. */
  accept?: 'mp3' | 'wav';
  /**
   * Called once the server answered 200 within the size cap; may return a tap that sees every byte
   * that passed the content check, in order, and `end` once all of them (and no more) arrived.
   */
  tap?: (total: number | null) => ByteTap | null;
}

export interface ByteTap {
  push(chunk: Uint8Array): void;
  end(bytes: number): void;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const SNIFF_BYTES = { mp3: 3, wav: 12 } as const;

export async function fetchToFile(o: FetchToFileOptions): Promise<{ bytes: number; total: number | null }> {
  const watchdog = startDownloadWatchdog(o);
  const signal = AbortSignal.any([o.signal, watchdog.signal]);
  try {
    const res = await openFinalResponse(o, signal, watchdog.touch);
    return await streamToFile(res, o, signal, watchdog.received);
  } catch (error) {
    await rm(o.partPath, { force: true }).catch(() => undefined);
    throw toDownloadError(
      error,
      signal,
      (detail) => new DownloadError('network', `Network error while downloading: ${detail}`),
    );
  } finally {
    watchdog.stop();
  }
}

async function openFinalResponse(
  o: FetchToFileOptions,
  signal: AbortSignal,
  touch: () => void,
): Promise<Response> {
  let url = o.url;
  for (let hop = 0; ; hop++) {
    const verdict = await abortable(o.checkUrl(url), signal).catch((error: unknown) => {
      throw toDownloadError(
        error,
        signal,
        (d) => new DownloadError('network', `Could not look up the file server: ${d}`),
      );
    });
    if (!verdict.ok) throw new DownloadError('refused', `Refused to download this link: ${verdict.reason}`);
    const res = await fetch(url, {
      redirect: 'manual',
      signal,
      // Identity encoding keeps Content-Length meaningful for the size cap and truncation check.
      headers: { accept: 'audio/mpeg, audio/*;q=0.9, */*;q=0.1', 'accept-encoding': 'identity' },
    });
    touch();
    if (!REDIRECT_STATUSES.has(res.status)) return res;
    await res.body?.cancel().catch(() => undefined);
    const location = res.headers.get('location');
    if (!location) {
      throw new DownloadError('http_client', `The file server redirected (HTTP ${res.status}) to nowhere`);
    }
    if (hop >= o.maxRedirects) {
      throw new DownloadError('redirects', `The link redirected more than ${o.maxRedirects} times`);
    }
    try {
      url = new URL(location, url).href;
    } catch {
      throw new DownloadError(
        'refused',
        'Refused to download this link: it redirected to an invalid address',
      );
    }
  }
}

async function streamToFile(
  res: Response,
  o: FetchToFileOptions,
  signal: AbortSignal,
  received: (bytes: number) => void,
) {
  const encoding = res.headers.get('content-encoding');
  const lengthHeader = res.headers.get('content-length');
  const isIdentity = encoding === null || encoding === 'identity';
  const total =
    isIdentity && lengthHeader !== null && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : null;
  if (res.status !== 200 || (total !== null && total > o.maxBytes) || !res.body) {
    await res.body?.cancel().catch(() => undefined);
    if (res.status !== 200) throw httpStatusError(res.status);
    if (total !== null && total > o.maxBytes) throw tooLarge(formatBytes(total), o.maxBytes);
    throw new DownloadError('not_audio', describeNonAudio(new Uint8Array()));
  }
  await mkdir(o.dir, { recursive: true }).catch((error: unknown) => {
    throw diskError(error);
  });
  let done = 0;
  const accept = o.accept ?? 'mp3';
  const tap = o.tap?.(total) ?? null;
  function passOn(chunk: Uint8Array): Uint8Array {
    tap?.push(chunk);
    return chunk;
  }
  async function* sniffAndCount(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    let head: Uint8Array[] | null = [];
    for await (const chunk of source) {
      received(chunk.length);
      done += chunk.length;
      if (done > o.maxBytes) throw tooLarge(`more than ${formatBytes(o.maxBytes)}`, o.maxBytes);
      o.onProgress(done, total);
      if (!head) {
        yield passOn(chunk);
        continue;
      }
      head.push(chunk);
      if (done < SNIFF_BYTES[accept]) continue;
      yield passOn(checkedHead(head, accept));
      head = null;
    }
    if (head) {
      const joined = checkedHead(head, accept);
      if (joined.length > 0) yield passOn(joined);
    }
    // The last byte is here: the tap may finish its work while the file is flushed and renamed.
    if (total === null || done === total) tap?.end(done);
  }
  const out = o.createWriteStream(o.partPath);
  try {
    // Node's web streams are async iterable; the cast is for the DOM typing the test project also loads.
    const body = res.body as unknown as AsyncIterable<Uint8Array>;
    await pipeline(sniffAndCount(body), out);
  } catch (error) {
    // A file stream destroyed before its open finished still creates the file afterwards: wait for
    // it to close, so the caller's removal of the .part file comes last.
    await settleClose(out);
    throw toDownloadError(error, signal, (detail) =>
      total !== null
        ? truncated(done, total)
        : new DownloadError('network', `The connection dropped during the download: ${detail}`),
    );
  }
  if (total !== null && done < total) throw truncated(done, total);
  await rename(o.partPath, o.finalPath).catch((error: unknown) => {
    throw diskError(error);
  });
  return { bytes: done, total };
}

async function settleClose(stream: Writable): Promise<void> {
  if (stream.closed) return;
  const done = new AbortController();
  const { signal } = done;
  await Promise.race([once(stream, 'close', { signal }), delay(2000, undefined, { signal })]).catch(
    () => undefined,
  );
  done.abort();
}

function checkedHead(chunks: Uint8Array[], accept: 'mp3' | 'wav'): Uint8Array {
  const joined = Buffer.concat(chunks);
  const isAccepted = accept === 'wav' ? looksLikeWav(joined) : looksLikeMp3(joined);
  if (!isAccepted)
    throw new DownloadError('not_audio', describeNonAudio(joined, accept === 'wav' ? 'WAV' : 'MP3'));
  return joined;
}

function tooLarge(size: string, maxBytes: number): DownloadError {
  return new DownloadError(
    'too_large',
    `The file is larger than the ${formatBytes(maxBytes)} limit (${size}); it was not kept`,
  );
}

function truncated(done: number, total: number): DownloadError {
  return new DownloadError('truncated', `The download was cut short (got ${done} of ${total} bytes)`);
}

/** Our own errors pass through; an abort becomes its reason; disk codes become the disk message. */
function toDownloadError(error: unknown, signal: AbortSignal, other: (detail: string) => DownloadError) {
  if (error instanceof DownloadError) return error;
  if (signal.aborted && signal.reason instanceof DownloadError) return signal.reason;
  const code = errorCode(error);
  if (code !== null && DISK_ERROR_CODES.has(code)) return diskError(error);
  return other(describeCause(error));
}

function describeCause(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause: unknown = error.cause;
  if (cause instanceof Error) return `${error.message} (${errorCode(cause) ?? cause.message})`;
  return error.message;
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
