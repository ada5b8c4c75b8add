// Public face of audio ingest: pools of decode workers turning MP3s (finished or still downloading),
// WAVs, AIFFs and FLACs into a PCM cache and peaks (and computing residuals), plus the readers later export
// and playback code use.
import { rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { createWorkerPool, WORKER_START_FAILED } from './decoder-pool.ts';
import { IngestError, isIngestErrorCode, toIngestError } from './errors.ts';
import { runDecodeJob } from './decode-job.ts';
import { partPaths } from './output-paths.ts';
import { sourceJob } from './source-format.ts';
import type {
  ConformInput,
  DecodeJob,
  DecodeJobResult,
  IngestInput,
  IngestResult,
  StreamFeedMessage,
  StreamIngestInput,
  WavIngestInput,
} from './types.ts';
import { computeResidual, type RunResidualStep } from './residual/residual-job.ts';
import type { ResidualInput, ResidualResult, ResidualStep, ResidualStepResult } from './residual/types.ts';

export { IngestError } from './errors.ts';
export type { IngestInput, IngestResult, StreamIngestInput, WavIngestInput } from './types.ts';
export type { ResidualInput, ResidualResult, StemLeak } from './residual/types.ts';
export { maxDecodeSeconds } from './limits.ts';
export { outputPaths } from './output-paths.ts';
export { pcmToInt16, readPcmFrames, BYTES_PER_SAMPLE } from './pcm-cache.ts';
export { readPeaks, readPeaksLevel, toWaveSurferPeaks } from './peaks.ts';

export interface Ingestor {
  ingest(input: IngestInput): Promise<IngestResult>;
  /** KIE's WAV conversions, parsed in the same workers: a hostile header never blocks the host. */
  ingestWav(input: WavIngestInput): Promise<IngestResult>;
  /** Decodes an MP3 while it downloads: feed it the checked bytes in order, then end or abort it. */
  ingestStream(input: StreamIngestInput): IngestStream;
  /** An uploaded source (MP3, WAV, AIFF or FLAC, told apart by its bytes) into the same PCM cache and peaks. */
  ingestSource(input: { path: string; outBase: string }): Promise<IngestResult>;
  /** A split's residual (source − all stems) from the PCM caches, computed in a worker like a decode. */
  residual(input: ResidualInput): Promise<ResidualResult>;
  /** A decoded source resampled to its stems' rate (windowed sinc), into its own cache and peaks. */
  conformRate(input: ConformInput): Promise<IngestResult>;
  /** Terminates the workers; pending and later ingests reject with code 'internal'. */
  close(): Promise<void>;
}

export interface IngestStream {
  /** The next bytes of the file (copied: the caller may reuse its buffer). */
  push(chunk: Uint8Array): void;
  /** The download finished with `bytes` in all; a different count fails the ingest as truncated. */
  end(bytes: number): void;
  /** The download failed: the ingest stops and removes what it wrote. */
  abort(): void;
  /** Settles once the worker is done; after an abort it rejects, and nothing of it is left on disk. */
  result: Promise<IngestResult>;
}

// Node runs the worker straight from TypeScript in dev and tests; the desktop bundle emits
// decode-worker.js next to itself. The name is a variable so Vite leaves this URL alone.
const workerFile = `./decode-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`;

/** A 12-stem split arrives at once: use the spare cores (leaving one for the UI and receiver), 2..6. */
export function defaultWorkerCount(cores: number): number {
  return Math.max(2, Math.min(cores - 1, 6));
}

/** A residual is cut into one part per worker, at most this many (only 2 measured: a 2-core machine). */
const MAX_RESIDUAL_PARTS = 4;

/**
 * `streamWorkers`: decodes that follow downloads get their own workers (they mostly wait for bytes),
 * so a finished file never queues behind a slow download; match the downloader's concurrency.
 */
export function createIngestor(
  options: {
    workers?: number;
    streamWorkers?: number;
    /** The worker's entry; tests point it at a missing file. */
    workerUrl?: URL;
    /** Parts a residual is computed in, in parallel: one per worker (at most 4) unless set. */
    residualParts?: number;
    log?: (line: string) => void;
  } = {},
): Ingestor {
  const log = options.log ?? ((line: string) => console.log(line));
  const workerUrl = options.workerUrl ?? new URL(workerFile, import.meta.url);
  const spawn = () => new Worker(workerUrl);
  const poolSize = options.workers ?? defaultWorkerCount(availableParallelism());
  const residualParts = options.residualParts ?? Math.min(poolSize, MAX_RESIDUAL_PARTS);
  const pool = createWorkerPool<DecodeJob, DecodeJobResult<DecodeJob>>({
    size: poolSize,
    spawn,
    signalsReady: true,
  });
  const streamPool = createWorkerPool<DecodeJob, IngestResult>({
    size: options.streamWorkers ?? 3,
    spawn,
    signalsReady: true,
  });
  let isClosed = false;
  let isInProcess = false;
  /** The residual running now; the next waits for it (see `residual`). */
  let residualQueue: Promise<unknown> = Promise.resolve();

  // Slower and on the main thread, but every track still gets decoded (a MessagePort works within
  // one thread too, so a streamed decode runs here the same way).
  async function runInProcess<J extends DecodeJob>(job: J): Promise<DecodeJobResult<J>> {
    if (isClosed) throw new IngestError('internal', 'decoder pool closed');
    try {
      return await runDecodeJob(job);
    } catch (error) {
      throw toIngestError(error);
    }
  }

  async function run<J extends DecodeJob>(
    job: J,
    on = pool,
    transfer: MessagePort[] = [],
  ): Promise<DecodeJobResult<J>> {
    if (isInProcess) return runInProcess(job);
    const reply = await on.run(job, transfer);
    // The worker ran runDecodeJob on this very job, so its value has the job's result type.
    if (reply.ok) return reply.value as DecodeJobResult<J>;
    if (reply.error.code === WORKER_START_FAILED) {
      if (!isInProcess)
        log(
          `audio: decode workers cannot start (${reply.error.message}); decoding in the main process instead`,
        );
      isInProcess = true;
      // A streamed job's port went to the worker that died: that one download is retried, in process.
      if (job.format === 'mp3-stream')
        throw new IngestError('internal', `the streaming decoder could not start: ${reply.error.message}`);
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
    ingestStream({ outBase, maxSeconds, expectedBytes }) {
      // Messages posted before a worker takes the job wait in the channel, so nothing is lost.
      const { port1, port2 } = new MessageChannel();
      const send = (message: StreamFeedMessage, transfer: ArrayBuffer[] = []) =>
        port1.postMessage(message, transfer);
      const job: DecodeJob = { format: 'mp3-stream', outBase, maxSeconds, expectedBytes, port: port2 };
      const result = run(job, streamPool, isInProcess ? [] : [port2]).finally(() => port1.close());
      return {
        push(chunk) {
          const bytes = new Uint8Array(chunk);
          send({ kind: 'bytes', bytes }, [bytes.buffer]);
        },
        end: (bytes) => send({ kind: 'end', bytes }),
        abort: () => send({ kind: 'abort' }),
        result,
      };
    },
    ingestSource: async ({ path, outBase }) => run(await sourceJob(path, outBase)),
    residual: (input: ResidualInput) => {
      // run() answers DecodeJobResult<J>, which for a residual step is ResidualStepResult<J>; the
      // compiler does not reduce the conditional type for a generic J.
      const runStep: RunResidualStep = <J extends ResidualStep>(step: J) =>
        run(step) as Promise<ResidualStepResult<J>>;
      // One residual at a time: its parts already keep every worker busy, and the next one's
      // free-space check must see this one's files. Run side by side on a nearly full disk, both
      // passed the check and both could fail halfway (a CI run saw it); queued, the second is
      // refused up front in plain words and writes nothing.
      const result = residualQueue.then(() => computeResidual(input, runStep, residualParts));
      residualQueue = result.catch(() => undefined);
      return result;
    },
    conformRate: (input) => run({ format: 'conform', ...input }),
    close: async () => {
      isClosed = true;
      await Promise.all([pool.close(), streamPool.close()]);
    },
  };
}
