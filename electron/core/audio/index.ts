// Public face of audio ingest: a pool of decode workers turning MP3s, WAVs and AIFFs into a PCM cache
// and peaks (and computing residuals), plus the readers later export and playback code use.
import { rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { createWorkerPool, WORKER_START_FAILED } from './decoder-pool.ts';
import { IngestError, isIngestErrorCode, toIngestError } from './errors.ts';
import { runDecodeJob } from './decode-job.ts';
import { partPaths } from './output-paths.ts';
import { sourceJob } from './source-format.ts';
import type { DecodeJob, DecodeJobResult, IngestInput, IngestResult, WavIngestInput } from './types.ts';
import type { ResidualInput, ResidualResult } from './residual/types.ts';

export { IngestError } from './errors.ts';
export type { IngestInput, IngestResult, WavIngestInput } from './types.ts';
export type { ResidualInput, ResidualResult, StemLeak } from './residual/types.ts';
export { maxDecodeSeconds } from './limits.ts';
export { pcmToInt16, readPcmFrames, BYTES_PER_SAMPLE } from './pcm-cache.ts';
export { readPeaks, selectLevel, toWaveSurferPeaks } from './peaks.ts';

export interface Ingestor {
  ingest(input: IngestInput): Promise<IngestResult>;
  /** KIE's WAV conversions, parsed in the same workers: a hostile header never blocks the host. */
  ingestWav(input: WavIngestInput): Promise<IngestResult>;
  /** An uploaded source (MP3, WAV or AIFF, told apart by its bytes) into the same PCM cache and peaks. */
  ingestSource(input: { path: string; outBase: string }): Promise<IngestResult>;
  /** A split's residual (source − all stems) from the PCM caches, computed in a worker like a decode. */
  residual(input: ResidualInput): Promise<ResidualResult>;
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
  const pool = createWorkerPool<DecodeJob, IngestResult | ResidualResult>({
    size: options.workers ?? defaultWorkerCount(availableParallelism()),
    spawn: () => new Worker(workerUrl),
    signalsReady: true,
  });
  let isClosed = false;
  let isInProcess = false;

  // Slower and on the main thread, but every track still gets decoded.
  async function runInProcess<J extends DecodeJob>(job: J): Promise<DecodeJobResult<J>> {
    if (isClosed) throw new IngestError('internal', 'decoder pool closed');
    try {
      return await runDecodeJob(job);
    } catch (error) {
      throw toIngestError(error);
    }
  }

  async function run<J extends DecodeJob>(job: J): Promise<DecodeJobResult<J>> {
    if (isInProcess) return runInProcess(job);
    const reply = await pool.run(job);
    // The worker ran runDecodeJob on this very job, so its value has the job's result type.
    if (reply.ok) return reply.value as DecodeJobResult<J>;
    if (reply.error.code === WORKER_START_FAILED) {
      if (!isInProcess)
        log(
          `audio: decode workers cannot start (${reply.error.message}); decoding in the main process instead`,
        );
      isInProcess = true;
      return runInProcess(job);
    }
    const code = isIngestErrorCode(reply.error.code) ? reply.error.code : 'internal';
    // A worker that died mid-file could not clean up after itself.
    if (code === 'internal')
      await Promise.all(partPaths(job.outBase).map((path) => rm(path, { force: true })));
    throw new IngestError(code, reply.error.message);
  }

  return {
    ingest: ({ mp3Path, outBase, maxSeconds }) => run({ format: 'mp3', mp3Path, outBase, maxSeconds }),
    ingestWav: ({ wavPath, outBase, maxSeconds }) => run({ format: 'wav', wavPath, outBase, maxSeconds }),
    ingestSource: async ({ path, outBase }) => run(await sourceJob(path, outBase)),
    residual: (input) => run({ format: 'residual', ...input }),
    close: () => {
      isClosed = true;
      return pool.close();
    },
  };
}
