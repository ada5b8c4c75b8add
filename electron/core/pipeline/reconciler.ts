// Polls KIE's record-info for every unfinished task (on start, on a backoff schedule, on demand)
// and feeds the answers into the same state machine as callbacks. Record-info is the truth; this
// is what completes tasks whose callbacks never arrived.
import {
  musicEventFromRecordInfo,
  separationEventFromRecordInfo,
  wavEventFromRecordInfo,
} from '../../../shared/kie/record-info.ts';
import { midiEventFromRecordInfo } from '../../../shared/kie/midi.ts';
import type { KieEvent } from '../../../shared/kie/tracks.ts';
import { createBackoff } from '../backoff.ts';
import type { Store, TaskRow } from '../store/index.ts';
import { applyEvent } from './apply-event.ts';

export interface RecordInfoSource {
  musicRecordInfo(taskId: string): Promise<unknown>;
  separationRecordInfo(taskId: string): Promise<unknown>;
  wavRecordInfo(taskId: string): Promise<unknown>;
  midiRecordInfo(taskId: string): Promise<unknown>;
}

export interface PollSchedule {
  /** First poll and growth when callbacks can reach us (polls are a safety net). */
  withCallbacks: { firstMs: number; maxMs: number };
  /** Without a public URL polling is the only channel, so it runs faster. */
  pollingOnly: { firstMs: number; maxMs: number };
}

export const DEFAULT_SCHEDULE: PollSchedule = {
  withCallbacks: { firstMs: 45_000, maxMs: 5 * 60_000 },
  pollingOnly: { firstMs: 5_000, maxMs: 30_000 },
};

export interface ReconcilerOptions {
  store: Store;
  kie: RecordInfoSource;
  hasPublicUrl: () => boolean;
  schedule?: PollSchedule;
  concurrency?: number;
  now?: () => number;
  onChange?: (taskId: string) => void;
  onError?: (taskId: string, error: Error) => void;
  /** A store write failed (disk full, database busy …): the reconciler backs off and retries. */
  onStoreFault?: (where: string, error: unknown) => void;
}

function isSeparation(task: TaskRow): boolean {
  return task.kind === 'separate_vocal' || task.kind === 'split_stem';
}

export function nextPollDelay(
  attempts: number,
  hasPublicUrl: boolean,
  schedule: PollSchedule = DEFAULT_SCHEDULE,
): number {
  const { firstMs, maxMs } = hasPublicUrl ? schedule.withCallbacks : schedule.pollingOnly;
  return Math.min(maxMs, Math.round(firstMs * 1.5 ** attempts));
}

export function createReconciler(options: ReconcilerOptions) {
  const { store, kie } = options;
  const now = options.now ?? Date.now;
  const schedule = options.schedule ?? DEFAULT_SCHEDULE;
  const concurrency = options.concurrency ?? 4;
  const inFlight = new Map<string, Promise<void>>();
  let timer: NodeJS.Timeout | null = null;
  let isStopped = true;
  // After a store fault nothing is polled before this time: the due rows could not be rescheduled.
  let pausedUntil = 0;
  const backoff = createBackoff();

  /** Runs store work from a timer or promise: a failure pauses polling instead of escaping. */
  function guarded(where: string, work: () => void): boolean {
    try {
      work();
      return true;
    } catch (error) {
      if (options.onStoreFault) options.onStoreFault(where, error);
      else console.error(`reconciler: ${where}:`, error);
      pausedUntil = now() + backoff.next();
      return false;
    }
  }

  function eventFor(task: TaskRow, data: unknown): KieEvent {
    if (task.kind === 'wav') return wavEventFromRecordInfo(data);
    if (task.kind === 'midi') return midiEventFromRecordInfo(data);
    return isSeparation(task) ? separationEventFromRecordInfo(data) : musicEventFromRecordInfo(data);
  }

  function askKie(task: TaskRow): Promise<unknown> {
    if (task.kind === 'wav') return kie.wavRecordInfo(task.kie_task_id);
    if (task.kind === 'midi') return kie.midiRecordInfo(task.kie_task_id);
    if (isSeparation(task)) return kie.separationRecordInfo(task.kie_task_id);
    return kie.musicRecordInfo(task.kie_task_id);
  }

  async function poll(task: TaskRow): Promise<void> {
    let data: unknown;
    let answered = true;
    try {
      data = await askKie(task);
    } catch (error) {
      options.onError?.(task.id, error as Error);
      answered = false;
    }
    if (isStopped || !store.isOpen()) return;
    guarded(`record-info of task ${task.id}`, () => {
      const effect = answered ? record(task, data) : null;
      reschedule(task.id);
      backoff.reset();
      if (effect && (effect.from !== effect.to || effect.tracksAdded > 0 || effect.downloadsQueued > 0)) {
        options.onChange?.(task.id);
      }
    });
  }

  function record(task: TaskRow, data: unknown) {
    const at = now();
    return store.transactionImmediate(() => {
      const fresh = store.tasks.get(task.id);
      if (!fresh) return null;
      return applyEvent(store, {
        task: fresh,
        event: eventFor(fresh, data),
        source: 'record-info',
        isTrusted: true,
        at,
      });
    });
  }

  function reschedule(taskId: string): void {
    if (!store.isOpen()) return;
    const task = store.tasks.get(taskId);
    if (!task) return;
    if (task.state === 'complete' || task.state === 'failed') {
      store.tasks.schedulePoll(taskId, null, task.poll_attempts);
      return;
    }
    const attempts = task.poll_attempts + 1;
    store.tasks.schedulePoll(
      taskId,
      now() + nextPollDelay(attempts, options.hasPublicUrl(), schedule),
      attempts,
    );
  }

  function run(): void {
    timer = null;
    if (isStopped || !store.isOpen()) return;
    if (now() < pausedUntil) return arm();
    guarded('looking for due polls', () => {
      const free = concurrency - inFlight.size;
      for (const task of free > 0 ? store.tasks.duePolls(now(), free * 2) : []) {
        if (inFlight.size >= concurrency) break;
        if (inFlight.has(task.id)) continue;
        const job = poll(task).finally(() => {
          inFlight.delete(task.id);
          arm();
        });
        inFlight.set(task.id, job);
      }
    });
    arm();
  }

  function arm(): void {
    if (isStopped || timer || !store.isOpen()) return;
    let next: number | null = pausedUntil;
    if (now() >= pausedUntil && !guarded('timing the next poll', () => (next = store.tasks.nextPollAt())))
      next = pausedUntil;
    if (next === null) return;
    timer = setTimeout(run, Math.max(0, next - now()));
    timer.unref?.();
  }

  function pollSoon(taskId?: string): number {
    let count = 0;
    // Called from callbacks and the tunnel too, so a store fault here backs off rather than throws.
    guarded('scheduling polls', () => {
      const targets = taskId
        ? [store.tasks.get(taskId)].filter((t): t is TaskRow => !!t)
        : store.tasks.activeTasks();
      const at = now();
      for (const task of targets) {
        if (task.state !== 'complete' && task.state !== 'failed')
          store.tasks.schedulePoll(task.id, at, task.poll_attempts);
      }
      count = targets.length;
      pausedUntil = 0;
    });
    if (timer) clearTimeout(timer);
    timer = null;
    run();
    return count;
  }

  /**
   * A separation finished by callback has no originData ids (only record-info carries them), and
   * per-stem MIDI needs them: read record-info once more and merge the ids into our stems.
   * Resolves false when KIE could not be asked; the ids then stay missing until the next try.
   */
  async function fetchStemIds(taskId: string): Promise<boolean> {
    const task = store.isOpen() ? store.tasks.get(taskId) : undefined;
    if (!task || !isSeparation(task) || task.state !== 'complete') return false;
    if (store.tracks.rowsOf(task.id).every((t) => t.audio_id)) return true;
    let data: unknown;
    try {
      data = await kie.separationRecordInfo(task.kie_task_id);
    } catch (error) {
      options.onError?.(task.id, error as Error);
      return false;
    }
    if (!store.isOpen()) return false;
    return guarded(`stem ids of task ${task.id}`, () => {
      record(task, data);
      options.onChange?.(task.id);
    });
  }

  return {
    fetchStemIds,
    /** Polls every unfinished task at once: callbacks may have been missed while we were closed. */
    start(): void {
      isStopped = false;
      pollSoon();
    },
    /** On demand: one task, or all unfinished ones (e.g. after the tunnel reconnects). */
    pollSoon,
    /** A task was added from outside (a submission): time its first poll, or it would wait for a restart. */
    wake(): void {
      if (timer) clearTimeout(timer);
      timer = null;
      arm();
    },
    async stop(): Promise<void> {
      isStopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await Promise.allSettled([...inFlight.values()]);
    },
    async idle(): Promise<void> {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight.values()]);
    },
  };
}
