// Owns every timer and background job of one simulator so close() can stop them all and idle() can wait for them.
import { setTimeout as delay } from 'node:timers/promises';

export interface Lifecycle {
  signal: AbortSignal;
  /** Rejects with an AbortError when the simulator closes, which also clears the timer. */
  sleep(ms: number): Promise<void>;
  /** Runs a background job; an abort on close ends it quietly, any other error is logged. */
  spawn(job: () => Promise<void>): void;
  idle(): Promise<void>;
  close(): Promise<void>;
}

export function isAbortError(err: unknown): boolean {
  return err instanceof Error && err.name === 'AbortError';
}

export function createLifecycle(): Lifecycle {
  const controller = new AbortController();
  const running = new Set<Promise<void>>();

  const sleep = async (ms: number): Promise<void> => {
    if (ms <= 0) {
      controller.signal.throwIfAborted();
      return;
    }
    await delay(ms, undefined, { signal: controller.signal });
  };

  const spawn = (job: () => Promise<void>): void => {
    const run = job().catch((err: unknown) => {
      if (!isAbortError(err) && !controller.signal.aborted) console.error('[kie-simulator]', err);
    });
    running.add(run);
    void run.finally(() => running.delete(run));
  };

  const idle = async (): Promise<void> => {
    while (running.size > 0) await Promise.allSettled([...running]);
  };

  const close = async (): Promise<void> => {
    controller.abort();
    await idle();
  };

  return { signal: controller.signal, sleep, spawn, idle, close };
}
