// Public face of audio ingest: a pool of decode workers turning MP3s into a PCM cache and peaks,
// plus the readers later export and playback code use.
import { rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { createWorkerPool, WORKER_START_FAILED } from './decoder-pool.ts';
import { IngestError, isIngestErrorCode, toIngestError } from './errors.ts';
import { ingestFile } from './ingest.ts';
import { partPaths } from './output-paths.ts';
import type { IngestInput, IngestResult } from './types.ts';

export { IngestError } from './errors.ts';
export type { IngestErrorCode } from './errors.ts';
export type { IngestInput, IngestResult } from './types.ts';
export { MIN_DB } from './types.ts';
export { pcmToInt16, readPcmFrames, quantizeS24, S24_SCALE, S24_MAX, BYTES_PER_SAMPLE } from './pcm-cache.ts';
export {
  readPeaks,
  decodePeaks,
  selectLevel,
  toWaveSurferPeaks,
  PeaksFormatError,
  SAMPLES_PER_PEAK,
} from './peaks.ts';
export type { PeaksFile, PeaksLevel } from './peaks.ts';

export interface Ingestor {
  ingest(input: IngestInput): Promise<IngestResult>;
  /** Terminates the workers; pending and later ingests reject with code 'internal'. */
  close(): Promise<void>;
}

// Node runs the worker straight from TypeScript in dev and tests; the desktop bundle emits
// decode-worker.js next to itself. The name is a variable so Vite leaves this URL alone.
const workerFile = `./decode-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`;

/** A 12-stem split arrives at once: use the spare cores (leaving one for the UI and receiver), 2..6. */
export function defaultWorkerCount(cores: number): number {
  return Math.max(2, Math.min(cores - 1, 6));
}

export function createIngestor(
  options: {
    workers?: number;
    /** The worker's entry; tests point it at a missing file. */
    workerUrl?: URL;
    log?: (line: string) => void;
  } = {},
): Ingestor {
  const log = options.log ?? ((line: string) => console.log(line));
  const workerUrl = options.workerUrl ?? new URL(workerFile, import.meta.url);
  const pool = createWorkerPool<IngestInput, IngestResult>({
    size: options.workers ?? defaultWorkerCount(availableParallelism()),
    spawn: () => new Worker(workerUrl),
    signalsReady: true,
  });
  let isClosed = false;
  let isInProcess = false;

  // Slower and on the main thread, but every track still gets decoded.
  async function ingestInProcess(input: IngestInput): Promise<IngestResult> {
    if (isClosed) throw new IngestError('internal', 'decoder pool closed');
    try {
      return await ingestFile(input);
    } catch (error) {
      throw toIngestError(error);
    }
  }

  return {
    async ingest(input) {
      if (isInProcess) return ingestInProcess(input);
      const reply = await pool.run({ mp3Path: input.mp3Path, outBase: input.outBase });
      if (reply.ok) return reply.value;
      if (reply.error.code === WORKER_START_FAILED) {
        if (!isInProcess)
          log(
            `audio: decode workers cannot start (${reply.error.message}); decoding in the main process instead`,
          );
        isInProcess = true;
        return ingestInProcess(input);
      }
      const code = isIngestErrorCode(reply.error.code) ? reply.error.code : 'internal';
      // A worker that died mid-file could not clean up after itself.
      if (code === 'internal')
        await Promise.all(partPaths(input.outBase).map((path) => rm(path, { force: true })));
      throw new IngestError(code, reply.error.message);
    },
    close: () => {
      isClosed = true;
      return pool.close();
    },
  };
}
