// The durable result downloader: claims due rows of the download queue, fetches each file into the
// library, hands it to the audio ingest, and records the outcome so that no row or track is lost.
import { createWriteStream as fsCreateWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { createBackoff } from '../backoff.ts';
import type { DownloadRow, Store } from '../store/index.ts';
import { diskError, DownloadError } from './download-error.ts';
import { pickFairly } from './fair-order.ts';
import { fetchToFile } from './fetch-to-file.ts';
import {
  maxDecodeSeconds,
  outputPaths,
  type IngestInput,
  type IngestResult,
  type StreamIngestInput,
  type WavIngestInput,
} from '../audio/index.ts';
import { trackPaths, type TrackPaths } from './library-paths.ts';
import { checkDownloadUrl, type UrlGuardOptions } from './url-guard.ts';

export type IngestFn = (input: IngestInput) => Promise<IngestResult>;
export type IngestWavFn = (input: WavIngestInput) => Promise<IngestResult>;
/** A decode fed while the file downloads (see audio/index.ts IngestStream). */
export interface StreamingIngest {
  push(chunk: Uint8Array): void;
  end(bytes: number): void;
  abort(): void;
  result: Promise<IngestResult>;
}
export type IngestStreamFn = (input: StreamIngestInput) => StreamingIngest;

export interface DownloaderOptions {
  store: Store;
  libraryDir: string;
  ingest: IngestFn;
  /** Results of WAV conversion tasks are WAV files, read by this instead of the MP3 decoder. */
  ingestWav?: IngestWavFn;
  /**
   * Decode MP3s while they download, so a stem is ready moments after its last byte. Used when the
   * server announces the size (the free-space check needs it); otherwise the file is decoded after.
   */
  ingestStream?: IngestStreamFn;
  concurrency?: number;
  maxBytes?: number;
  /** Stall timeout: abort when no bytes arrive for this long. */
  timeoutMs?: number;
  /** One attempt may take this long in all, however steadily bytes arrive. */
  deadlineMs?: number;
  /** Abort an attempt (to retry later) when fewer than `bytes` arrive in any `windowMs`: a slow drip. */
  minThroughput?: { bytes: number; windowMs: number };
  maxAttempts?: number;
  backoffBaseMs?: number;
  /** STEMHOOK_ALLOW_LOOPBACK_DOWNLOADS=1: lets tests and the simulator serve files on 127.0.0.1. */
  allowLoopback?: boolean;
  now?: () => number;
  onChange?: (e: { trackId: string; taskId: string }) => void;
  /** Opens the .part file; tests inject a failing stream to simulate a full disk. */
  createWriteStream?: (path: string) => Writable;
  /** DNS resolver for the URL guard; tests inject one so nothing leaves the machine. */
  lookup?: UrlGuardOptions['lookup'];
  /** A store write or the disk failed (disk full, database busy …): the downloader backs off and retries. */
  onStoreFault?: (where: string, error: unknown) => void;
}

export interface Downloader {
  /** Requeues rows a crash or stop left 'running', then processes due rows. */
  start(): void;
  /** New rows were queued (or restarted): look for due work now. */
  kick(): void;
  /** Takes no more work, aborts in-flight fetches (their rows wait for the next start), clears the timer. */
  stop(): Promise<void>;
  /** Resolves once nothing runs and no queued row is due now; a row waiting out a backoff does not count. */
  idle(): Promise<void>;
}

/** Files fetched at once unless told otherwise; the core gives the streaming decode as many workers. */
export const DEFAULT_DOWNLOAD_CONCURRENCY = 3;
const BACKOFF_CAP_MS = 10 * 60_000;
const PROGRESS_EVERY_MS = 250;
const MAX_REDIRECTS = 5;
/** How many due rows the fair pick looks at; beyond this, the oldest rows go first anyway. */
const DUE_SCAN_LIMIT = 256;
/** A full or locked disk is not the file's fault: retried this often, without using up attempts. */
const DISK_RETRY_MAX_MS = 5000;

export function createDownloader(options: DownloaderOptions): Downloader {
  const { store, libraryDir, ingest } = options;
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_DOWNLOAD_CONCURRENCY);
  const maxAttempts = Math.max(1, options.maxAttempts ?? 6);
  const backoffBaseMs = options.backoffBaseMs ?? 2000;
  const now = options.now ?? Date.now;
  const guard: UrlGuardOptions = { allowLoopback: options.allowLoopback ?? false, lookup: options.lookup };
  // flush: the bytes reach the disk before the rename makes the file look complete.
  const openPart =
    options.createWriteStream ?? ((path: string) => fsCreateWriteStream(path, { flush: true }));
  const jobs = new Map<number, { controller: AbortController; done: Promise<void>; taskId: string }>();
  /** A task's most recent claim, as an increasing turn number: the round-robin's memory. */
  const lastServed = new Map<string, number>();
  let turn = 0;
  let idleWaiters: Array<() => void> = [];
  let timer: NodeJS.Timeout | null = null;
  let isActive = false;
  /** Outcomes that could not be written yet (store fault): their rows stay 'running' until they are. */
  const unrecorded = new Map<number, () => void>();
  const backoff = createBackoff();

  function storeFault(where: string, error: unknown): void {
    if (options.onStoreFault) options.onStoreFault(where, error);
    else console.error(`downloader: ${where}:`, error);
  }

  function emit(trackId: string, taskId: string): void {
    try {
      options.onChange?.({ trackId, taskId });
    } catch (error) {
      console.error('downloader: onChange listener threw', error);
    }
  }

  function backoffMs(attempt: number): number {
    const ceiling = Math.min(BACKOFF_CAP_MS, backoffBaseMs * 2 ** (attempt - 1));
    return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
  }

  function pump(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    if (!isActive) return settleIdle();
    let nextAt: number | null;
    try {
      writeUnrecorded();
      const free = concurrency - jobs.size;
      if (free > 0) {
        const due = store.downloads
          .due(now(), DUE_SCAN_LIMIT)
          .map((row) => ({ row, taskId: store.tracks.get(row.track_id)?.task_id ?? '' }));
        const running = new Map<string, number>();
        for (const job of jobs.values()) running.set(job.taskId, (running.get(job.taskId) ?? 0) + 1);
        for (const { row, taskId } of pickFairly(due, running, lastServed, free)) {
          if (!store.downloads.claim(row.id, now())) continue;
          lastServed.set(taskId, ++turn);
          launch(row, taskId);
        }
      }
      // A full pool needs no timer: each finishing job pumps again.
      nextAt = jobs.size < concurrency ? store.downloads.nextDueAt() : null;
      backoff.reset();
    } catch (error) {
      storeFault('claiming downloads', error);
      nextAt = now() + backoff.next();
    }
    if (nextAt !== null) timer = setTimeout(pump, Math.min(Math.max(0, nextAt - now()), BACKOFF_CAP_MS));
    settleIdle();
  }

  /** Oldest first; throws at the first one the store still refuses. */
  function writeUnrecorded(): void {
    for (const [rowId, write] of unrecorded) {
      write();
      unrecorded.delete(rowId);
    }
  }

  /** Writes a download's outcome; if the store refuses, it is kept and written by a later pump. */
  function settle(rowId: number, write: () => void): void {
    try {
      write();
    } catch (error) {
      unrecorded.set(rowId, write);
      storeFault(`recording download ${rowId}`, error);
    }
  }

  function settleIdle(): void {
    if (jobs.size > 0 || idleWaiters.length === 0) return;
    if (isActive && (unrecorded.size > 0 || hasDueRow())) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  function hasDueRow(): boolean {
    try {
      return store.downloads.due(now(), 1).length > 0;
    } catch {
      return true; // the store cannot say: the work is not done
    }
  }

  function launch(row: DownloadRow, taskId: string): void {
    const controller = new AbortController();
    const done = runJob(row, row.attempts + 1, controller.signal)
      .catch((error: unknown) => {
        // A write before the fetch failed (store fault): put the row back in the queue once writing works.
        storeFault(`download ${row.id}`, error);
        unrecorded.set(row.id, () => requeue(row, 'Waiting for the disk or database to accept writes'));
      })
      .finally(() => {
        jobs.delete(row.id);
        pump();
      });
    jobs.set(row.id, { controller, done, taskId });
  }

  async function runJob(row: DownloadRow, attempt: number, signal: AbortSignal): Promise<void> {
    const track = store.tracks.get(row.track_id);
    if (!track) return store.downloads.fail(row.id, 'The track no longer exists', now());
    let paths: TrackPaths;
    try {
      paths = trackPaths(libraryDir, track.task_id, track.id);
    } catch (error) {
      return record(row, track.task_id, attempt, new DownloadError('refused', (error as Error).message));
    }
    const isWav = store.tasks.get(track.task_id)?.kind === 'wav';
    const localPath = isWav ? `${paths.outBase}.wav` : paths.mp3Path;
    store.tracks.setState(track.id, 'downloading', null, now());
    emit(track.id, track.task_id);
    let lastProgressAt = 0;
    // KIE's announced duration bounds the decode, so a decode bomb cannot fill the disk.
    const maxSeconds = maxDecodeSeconds(track.duration_sec);
    let streamed: StreamingIngest | null = null;
    // A streamed decode that fails early (not audio, a decode bomb) stops the download too.
    const decodeFailed = new AbortController();
    const openStream = (total: number | null): StreamingIngest | null => {
      if (isWav || !options.ingestStream || total === null) return null;
      streamed = options.ingestStream({ outBase: paths.outBase, maxSeconds, expectedBytes: total });
      streamed.result.catch((error: unknown) => decodeFailed.abort(ingestFailure(error)));
      return streamed;
    };
    try {
      const { bytes, total } = await fetchToFile({
        url: row.url,
        dir: paths.dir,
        partPath: isWav ? `${localPath}.part` : paths.partPath,
        finalPath: localPath,
        accept: isWav ? 'wav' : 'mp3',
        maxBytes: options.maxBytes ?? 200_000_000,
        stallMs: options.timeoutMs ?? 30_000,
        deadlineMs: options.deadlineMs ?? 15 * 60_000,
        minThroughput: options.minThroughput ?? { bytes: 64 * 1024, windowMs: 30_000 },
        maxRedirects: MAX_REDIRECTS,
        signal: AbortSignal.any([signal, decodeFailed.signal]),
        tap: openStream,
        checkUrl: (url) => checkDownloadUrl(url, guard),
        createWriteStream: openPart,
        onProgress: (doneBytes, totalBytes) => {
          if (now() - lastProgressAt < PROGRESS_EVERY_MS) return;
          lastProgressAt = now();
          try {
            store.downloads.progress(row.id, doneBytes, totalBytes);
          } catch {
            return; // progress is only for display: a busy or full store must not abort the download
          }
          emit(track.id, track.task_id);
        },
      });
      const audio = await runIngest(paths, isWav ? localPath : null, maxSeconds, streamed);
      settle(row.id, () =>
        store.transaction(() => {
          store.downloads.progress(row.id, bytes, total);
          store.tracks.setIngested(track.id, { localPath, ...pickAudio(audio) }, now());
          store.downloads.finish(row.id, now());
        }),
      );
      emit(track.id, track.task_id);
    } catch (error) {
      if (streamed) await discardStreamed(streamed, paths);
      const failure =
        error instanceof DownloadError
          ? error
          : new DownloadError('network', `Unexpected download error: ${String(error)}`);
      record(row, track.task_id, attempt, failure);
    }
  }

  async function runIngest(
    paths: TrackPaths,
    wavPath: string | null,
    maxSeconds: number,
    streamed: StreamingIngest | null,
  ): Promise<IngestResult> {
    const { outBase } = paths;
    try {
      if (streamed) return await streamed.result;
      if (wavPath === null) return await ingest({ mp3Path: paths.mp3Path, outBase, maxSeconds });
      if (!options.ingestWav)
        throw Object.assign(new Error('this build cannot read WAV results'), { code: 'not_audio' });
      return await options.ingestWav({ wavPath, outBase, maxSeconds });
    } catch (error) {
      // The file is only kept once it is ingested; a retry downloads it again.
      await rm(wavPath ?? paths.mp3Path, { force: true }).catch(() => undefined);
      throw ingestFailure(error);
    }
  }

  /**
   * The download failed with a decode attached: stop the decode and wait for it, so a retry starts
   * from a clean slate; a decode that already finished (the rename failed after the last byte) is
   * removed, since its file is not kept.
   */
  async function discardStreamed(streamed: StreamingIngest, paths: TrackPaths): Promise<void> {
    streamed.abort();
    const isPublished = await streamed.result.then(
      () => true,
      () => false,
    );
    if (!isPublished) return;
    const { pcmPath, peaksPath } = outputPaths(paths.outBase);
    await Promise.all([pcmPath, peaksPath].map((path) => rm(path, { force: true }).catch(() => undefined)));
  }

  /** Stopped rows stay 'running' for requeueInterrupted; others are retried or failed. */
  function record(row: DownloadRow, taskId: string, attempt: number, error: DownloadError): void {
    const at = now();
    if (error.code === 'disk') storeFault(`download ${row.id}`, error);
    if (error.code === 'stopped') {
      settle(row.id, () => store.tracks.setState(row.track_id, 'remote', null, at));
    } else if (error.code === 'disk') {
      settle(row.id, () => requeue(row, error.message, Math.min(backoffMs(attempt), DISK_RETRY_MAX_MS)));
    } else if (error.isRetryable && attempt < maxAttempts) {
      settle(row.id, () => requeue(row, error.message, backoffMs(attempt)));
    } else {
      const message = error.isRetryable
        ? `${error.message} (gave up after ${attempt} attempts)`
        : error.message;
      settle(row.id, () =>
        store.transaction(() => {
          store.downloads.fail(row.id, message, at);
          store.tracks.setState(row.track_id, 'error', message, at);
        }),
      );
    }
    emit(row.track_id, taskId);
  }

  function requeue(row: DownloadRow, message: string, delayMs = 0): void {
    const at = now();
    store.transaction(() => {
      store.downloads.retryLater(row.id, message, at + delayMs, at);
      store.tracks.setState(row.track_id, 'remote', message, at);
    });
  }

  return {
    start() {
      if (isActive) return;
      isActive = true;
      const at = now();
      store.downloads.requeueInterrupted(at);
      for (const row of store.downloads.active()) {
        const track = store.tracks.get(row.track_id);
        if (row.state !== 'queued' || track?.state !== 'downloading') continue;
        store.tracks.setState(track.id, 'remote', null, at);
        emit(track.id, track.task_id);
      }
      pump();
    },
    kick() {
      if (isActive) pump();
    },
    async stop() {
      isActive = false;
      if (timer) clearTimeout(timer);
      timer = null;
      const stopped = new DownloadError('stopped', 'The downloader was stopped');
      for (const job of jobs.values()) job.controller.abort(stopped);
      await Promise.all([...jobs.values()].map((job) => job.done));
      try {
        writeUnrecorded();
      } catch {
        // Their rows stay 'running': the next start requeues them, so nothing is lost.
      }
      settleIdle();
    },
    idle() {
      return new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        settleIdle();
      });
    },
  };
}

function pickAudio(a: IngestResult): IngestResult {
  return {
    sampleRate: a.sampleRate,
    channels: a.channels,
    sampleCount: a.sampleCount,
    durationSec: a.durationSec,
    pcmPath: a.pcmPath,
    peaksPath: a.peaksPath,
    peakDb: a.peakDb,
    rmsDb: a.rmsDb,
    isNearSilent: a.isNearSilent,
  };
}

/** IngestError codes: not_audio and too_long are final; truncated, disk_full and io may succeed later. */
function ingestFailure(error: unknown): DownloadError {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : null;
  const detail = error instanceof Error ? error.message : String(error);
  // Decode workers pass only a code and a message: a full disk while writing the caches shows in the text.
  const diskFull = /\b(ENOSPC|EDQUOT)\b/.exec(detail)?.[1];
  if (diskFull) return diskError(Object.assign(new Error(detail), { code: diskFull }));
  if (code === 'not_audio')
    return new DownloadError('ingest', `The downloaded file is not playable audio: ${detail}`, false);
  if (code === 'too_long')
    return new DownloadError('ingest', `The downloaded file was refused: ${detail}`, false);
  if (code === 'disk_full') return new DownloadError('disk', detail, true);
  if (code === 'truncated')
    return new DownloadError('ingest', `The downloaded MP3 is incomplete: ${detail}`, true);
  return new DownloadError('ingest', `Could not prepare the audio for playback: ${detail}`, true);
}
