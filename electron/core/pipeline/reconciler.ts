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
import type { TaskState } from '../../../shared/domain.ts';
import { createBackoff } from '../backoff.ts';
import type { Store, TaskRow } from '../store/index.ts';
import { applyEvent } from './apply-event.ts';
import {
  isClaimSettled,
  MIN_POLL_SPACING_MS,
  nextConfirmDelay,
  strongerClaim,
  type PendingClaim,
} from './confirm-claims.ts';

export interface RecordInfoSource {
  musicRecordInfo(taskId: string): Promise<unknown>;
  separationRecordInfo(taskId: string): Promise<unknown>;
  wavRecordInfo(taskId: string): Promise<unknown>;
  midiRecordInfo(taskId: string): Promise<unknown>;
}

/** How often an unfinished task is asked about: first after firstMs, growing 1.5x to a cap. */
export interface PollPace {
  firstMs: number;
  /** Cap while the task is young (its first YOUNG_TASK_MS), when KIE usually finishes it. */
  maxMs: number;
  /** Cap once it is older; default maxMs. */
  oldMaxMs?: number;
}

export interface PollSchedule {
  /** When callbacks can reach us, polls are the safety net for lost ones (a dead URL, sleep, KIE giving up). */
  withCallbacks: PollPace;
  /** Without a public URL polling is the only channel. */
  pollingOnly: PollPace;
}

/** A task this young is polled at the young cap: a lost callback then costs seconds, not minutes. */
export const YOUNG_TASK_MS = 15 * 60_000;

/**
 * A finished task is noticed within 20 s while young and 60 s later on: the caps leave room for the
 * record-info round trip, since the next poll is timed from the previous answer. About 110 calls in
 * a task's first hour and 72 an hour after (test/unit/reconciler-schedule.test.ts prints it); KIE
 * allows 3 per second per task and suggests polling every 30 s without callbacks.
 */
export const DEFAULT_SCHEDULE: PollSchedule = {
  withCallbacks: { firstMs: 10_000, maxMs: 15_000, oldMaxMs: 50_000 },
  pollingOnly: { firstMs: 5_000, maxMs: 15_000, oldMaxMs: 30_000 },
};

/** How long a poll in flight keeps its task out of the due set. */
const POLL_LEASE_MS = 60_000;

// KIE allows 3 record-info calls per second per task: one spacing rule for claims and schedules.
export { MIN_POLL_SPACING_MS };

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
  taskAgeMs = 0,
): number {
  const { firstMs, maxMs, oldMaxMs = maxMs } = hasPublicUrl ? schedule.withCallbacks : schedule.pollingOnly;
  const cap = taskAgeMs < YOUNG_TASK_MS ? maxMs : oldMaxMs;
  return Math.min(cap, Math.round(firstMs * 1.5 ** attempts));
}

/** The in-flight slot of the one-by-one re-check of callback-only failures (not a task id). */
const RECHECK_JOB = 'recheck-callback-failures';

export function createReconciler(options: ReconcilerOptions) {
  const { store, kie } = options;
  const now = options.now ?? Date.now;
  const schedule = options.schedule ?? DEFAULT_SCHEDULE;
  const concurrency = options.concurrency ?? 4;
  const inFlight = new Map<string, Promise<void>>();
  // Callback claims waiting for record-info, and when each task was last asked (KIE's rate limit).
  const claims = new Map<string, PendingClaim>();
  const lastPolledAt = new Map<string, number>();
  /** Asked for again while a poll was in flight (a callback to verify): poll once more right after. */
  const wantedAgain = new Set<string>();
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
    lastPolledAt.set(task.id, now());
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
        at,
      });
    });
  }

  function reschedule(taskId: string): void {
    if (!store.isOpen()) return;
    const task = store.tasks.get(taskId);
    if (!task) return;
    if (rescheduleClaim(task)) return;
    if (task.state === 'complete' || task.state === 'failed') {
      store.tasks.schedulePoll(taskId, null, task.poll_attempts);
      lastPolledAt.delete(taskId);
      wantedAgain.delete(taskId);
      return;
    }
    const attempts = task.poll_attempts + 1;
    const delay = wantedAgain.delete(taskId)
      ? MIN_POLL_SPACING_MS
      : nextPollDelay(attempts, options.hasPublicUrl(), schedule, now() - task.created_at);
    store.tasks.schedulePoll(taskId, now() + delay, attempts);
  }

  /** While a callback's claim is unconfirmed, ask again soon; true when that decided the next poll. */
  function rescheduleClaim(task: TaskRow): boolean {
    const pending = claims.get(task.id);
    if (!pending) return false;
    if (isClaimSettled(task.state, store.tracks.rowsOf(task.id).length, pending.claim)) {
      claims.delete(task.id);
      return false;
    }
    const delay = nextConfirmDelay(pending, now());
    if (delay === null) {
      claims.delete(task.id);
      return false;
    }
    pending.retries++;
    store.tasks.schedulePoll(task.id, now() + delay, task.poll_attempts);
    return true;
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
        const earliest = (lastPolledAt.get(task.id) ?? -Infinity) + MIN_POLL_SPACING_MS;
        if (now() < earliest) {
          store.tasks.schedulePoll(task.id, earliest, task.poll_attempts);
          continue;
        }
        lastPolledAt.set(task.id, now());
        // Moved out of the due set while it runs, or the timer would spin on it until the answer;
        // the answer reschedules it, and a poll that never answers is retried after this lease.
        store.tasks.schedulePoll(task.id, now() + POLL_LEASE_MS, task.poll_attempts);
        const job = poll(task).finally(() => {
          inFlight.delete(task.id);
          arm();
        });
        inFlight.set(task.id, job);
      }
    });
    arm();
  }

  /** (Re)times the next run from the store: an answer may have moved the next due poll earlier. */
  function arm(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    if (isStopped || !store.isOpen()) return;
    let next: number | null = pausedUntil;
    if (now() >= pausedUntil && !guarded('timing the next poll', () => (next = store.tasks.nextPollAt())))
      next = pausedUntil;
    if (next === null) return;
    timer = setTimeout(run, Math.max(0, next - now()));
    timer.unref?.();
  }

  /** `claim`: what a callback said about the task; record-info is asked until it agrees (~30 s). */
  function pollSoon(taskId?: string, claim?: TaskState | null): number {
    // A callback reaction can still arrive after the store closed at shutdown: nothing to schedule.
    if (!store.isOpen()) return 0;
    let count = 0;
    // Called from callbacks and the tunnel too, so a store fault here backs off rather than throws.
    guarded('scheduling polls', () => {
      const targets = taskId
        ? [store.tasks.get(taskId)].filter((t): t is TaskRow => !!t)
        : store.tasks.activeTasks();
      const at = now();
      for (const task of targets) {
        if (task.state === 'complete' || task.state === 'failed') continue;
        if (claim) claims.set(task.id, strongerClaim(claims.get(task.id), claim, at));
        if (inFlight.has(task.id)) wantedAgain.add(task.id);
        else {
          const spaced = (lastPolledAt.get(task.id) ?? -Infinity) + MIN_POLL_SPACING_MS;
          store.tasks.schedulePoll(task.id, Math.max(at, spaced), task.poll_attempts);
        }
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
      // Failures only a callback ever claimed are asked about once, one at a time (there may be
      // many): a forged failure may hide a success.
      let failed: TaskRow[] = [];
      guarded('looking for callback-only failures', () => (failed = store.tasks.failedByCallback()));
      if (failed.length > 0 && !inFlight.has(RECHECK_JOB)) {
        const recheck = (async () => {
          for (const task of failed) if (!isStopped && store.isOpen()) await poll(task);
        })().finally(() => inFlight.delete(RECHECK_JOB));
        inFlight.set(RECHECK_JOB, recheck);
      }
    },
    /** On demand: one task, or all unfinished ones (e.g. after the tunnel reconnects). */
    pollSoon,
    /** A task was added from outside (a submission): time its first poll, or it would wait for a restart. */
    wake: arm,
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
