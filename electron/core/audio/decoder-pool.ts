// A small pool of worker threads with a FIFO queue: one job per worker at a time, workers spawned on
// demand, a dead worker's job answered with an error and the worker replaced on the next job.
// Workers may say when their entry has loaded, so a worker that cannot start at all is told apart
// from one that crashed on a job.
import type { TransferListItem, Worker } from 'node:worker_threads';
import type { Result } from '../../../shared/result.ts';

export interface PoolRequest<TIn> {
  id: number;
  input: TIn;
}

export type PoolReply<TOut> = { id: number } & Result<TOut>;

/** Posted once by a worker whose entry has loaded (with `signalsReady`). */
export const WORKER_READY = 'worker-ready';
/** The error code of a job whose worker died before it was ready: its entry could not load. */
export const WORKER_START_FAILED = 'worker_start_failed';

export interface WorkerPool<TIn, TOut> {
  /**
   * Never rejects: failures, including a crashed worker (code 'internal'), come back as data.
   * `transfer` moves objects (a MessagePort) into the worker with the input.
   */
  run(input: TIn, transfer?: readonly TransferListItem[]): Promise<Result<TOut>>;
  /** Terminates every worker; queued and running jobs are answered with code 'internal'. */
  close(): Promise<void>;
}

interface Job<TIn, TOut> {
  id: number;
  input: TIn;
  transfer: readonly TransferListItem[];
  resolve: (result: Result<TOut>) => void;
}

interface Slot<TIn, TOut> {
  worker: Worker;
  job: Job<TIn, TOut> | null;
  lastError: string | null;
  isReady: boolean;
}

function isReply(message: unknown): message is PoolReply<unknown> {
  return typeof message === 'object' && message !== null && 'id' in message && 'ok' in message;
}

export function createWorkerPool<TIn, TOut>(options: {
  size: number;
  spawn: () => Worker;
  /** The workers post WORKER_READY once loaded; a death before that answers WORKER_START_FAILED. */
  signalsReady?: boolean;
}): WorkerPool<TIn, TOut> {
  const size = Math.max(1, Math.floor(options.size));
  const slots = new Set<Slot<TIn, TOut>>();
  const queue: Job<TIn, TOut>[] = [];
  let nextId = 1;
  let isClosed = false;

  function internal(message: string): Result<TOut> {
    return { ok: false, error: { code: 'internal', message } };
  }

  function deathReply(slot: Slot<TIn, TOut>, exitCode: number): Result<TOut> {
    const reason = slot.lastError ?? 'no error reported';
    if (isClosed) return internal('decoder pool closed');
    if (options.signalsReady && !slot.isReady)
      return {
        ok: false,
        error: { code: WORKER_START_FAILED, message: `worker could not start: ${reason}` },
      };
    return internal(`decode worker died (exit ${exitCode}): ${reason}`);
  }

  function spawnSlot(): Slot<TIn, TOut> {
    const slot: Slot<TIn, TOut> = { worker: options.spawn(), job: null, lastError: null, isReady: false };
    // Idle workers must not keep the process alive if a caller forgets close().
    slot.worker.unref();
    slot.worker.on('message', (message: unknown) => {
      if (message === WORKER_READY) {
        slot.isReady = true;
        return;
      }
      const job = slot.job;
      if (!job || !isReply(message) || message.id !== job.id) return;
      slot.job = null;
      slot.worker.unref();
      job.resolve(
        message.ok ? { ok: true, value: message.value as TOut } : { ok: false, error: message.error },
      );
      pump();
    });
    slot.worker.on('error', (error: Error) => {
      slot.lastError = error.message;
    });
    slot.worker.on('exit', (exitCode: number) => {
      slots.delete(slot);
      const job = slot.job;
      slot.job = null;
      if (job) job.resolve(deathReply(slot, exitCode));
      pump();
    });
    slots.add(slot);
    return slot;
  }

  function pump(): void {
    while (!isClosed && queue.length > 0) {
      let slot = [...slots].find((candidate) => candidate.job === null);
      if (!slot && slots.size < size) slot = spawnSlot();
      const job = slot && queue.shift();
      if (!slot || !job) return;
      slot.job = job;
      slot.worker.ref();
      slot.worker.postMessage({ id: job.id, input: job.input } satisfies PoolRequest<TIn>, job.transfer);
    }
  }

  return {
    run(input, transfer = []) {
      if (isClosed) return Promise.resolve(internal('decoder pool closed'));
      return new Promise((resolve) => {
        queue.push({ id: nextId++, input, transfer, resolve });
        pump();
      });
    },
    async close() {
      isClosed = true;
      for (const job of queue.splice(0)) job.resolve(internal('decoder pool closed'));
      await Promise.all([...slots].map((slot) => slot.worker.terminate()));
    },
  };
}
