// A callback's claim is confirmed by record-info at once and, while record-info lags behind the
// callback, again after 1 s, 2 s, 4 s…: the task completes in seconds even when the regular poll is
// minutes away. KIE's record-info is stood in by an object answering like KIE (the
// simulator updates record-info before it calls back, so it cannot lag).
import { afterEach, expect, it } from 'vitest';
import { createReconciler } from '../../electron/core/pipeline/reconciler.ts';
import { MIN_POLL_SPACING_MS } from '../../electron/core/pipeline/confirm-claims.ts';
import { createTempStore, insertTestTask } from '../helpers/temp-store.ts';
import * as F from '../fixtures/kie-callbacks.ts';

/** The reconciler spaces its asks by when it decides each one; the fakes here stamp them when they
 * arrive, a few async steps later, so one can arrive a millisecond later than it was decided (a
 * clean-clone CI run measured 399 ms for 400): the slack allowed, far less than an extra ask. */
const ARRIVAL_SLACK_MS = 5;

const HOUR = { firstMs: 3_600_000, maxMs: 3_600_000 };
const HOUR_SCHEDULE = { withCallbacks: HOUR, pollingOnly: HOUR };

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

it('record-info lagging twice behind a complete callback: confirmed on the third ask, without waiting for the regular poll', async () => {
  const { store, cleanup } = createTempStore();
  cleanups.push(cleanup);
  const task = insertTestTask(store, { kie_task_id: F.MUSIC_TASK_ID, next_poll_at: null });
  const asks: number[] = [];
  const pending = { ...F.MUSIC_RECORD_INFO_SUCCESS, status: 'FIRST_SUCCESS' };
  const reconciler = createReconciler({
    store,
    hasPublicUrl: () => true,
    // The regular schedule is an hour away: only the confirmation retries can finish the task.
    schedule: {
      withCallbacks: { firstMs: 3_600_000, maxMs: 3_600_000 },
      pollingOnly: { firstMs: 3_600_000, maxMs: 3_600_000 },
    },
    kie: {
      async musicRecordInfo() {
        asks.push(Date.now());
        return asks.length < 3 ? pending : F.MUSIC_RECORD_INFO_SUCCESS;
      },
      separationRecordInfo: () => Promise.reject(new Error('not used')),
      wavRecordInfo: () => Promise.reject(new Error('not used')),
      midiRecordInfo: () => Promise.reject(new Error('not used')),
    },
  });
  reconciler.start();
  cleanups.push(() => reconciler.stop());
  await reconciler.idle();
  asks.length = 0;
  reconciler.pollSoon(task.id, 'complete');
  while (store.tasks.get(task.id)?.state !== 'complete') {
    await reconciler.idle();
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(asks).toHaveLength(3);
  // Never more than KIE's 3 record-info queries per second per task.
  for (let i = 1; i < asks.length; i++)
    expect((asks[i] ?? 0) - (asks[i - 1] ?? 0)).toBeGreaterThanOrEqual(
      MIN_POLL_SPACING_MS - ARRIVAL_SLACK_MS,
    );
  expect(store.tracks.rowsOf(task.id)).toHaveLength(1);
});

it('several claims in a burst collapse into one ask, at least 400 ms after the last one', async () => {
  const { store, cleanup } = createTempStore();
  cleanups.push(cleanup);
  const task = insertTestTask(store, { kie_task_id: F.MUSIC_TASK_ID, next_poll_at: null });
  const asks: number[] = [];
  const reconciler = createReconciler({
    store,
    hasPublicUrl: () => true,
    schedule: HOUR_SCHEDULE,
    kie: {
      async musicRecordInfo() {
        asks.push(Date.now());
        return { ...F.MUSIC_RECORD_INFO_SUCCESS, status: 'FIRST_SUCCESS' };
      },
      separationRecordInfo: () => Promise.reject(new Error('not used')),
      wavRecordInfo: () => Promise.reject(new Error('not used')),
      midiRecordInfo: () => Promise.reject(new Error('not used')),
    },
  });
  reconciler.start();
  cleanups.push(() => reconciler.stop());
  await reconciler.idle();
  expect(asks).toHaveLength(1);
  for (const claim of ['text', 'first', 'text'] as const) reconciler.pollSoon(task.id, claim);
  while (asks.length < 2) await new Promise((r) => setTimeout(r, 50));
  await reconciler.idle();
  expect(store.tasks.get(task.id)?.state).toBe('first');
  expect(asks).toHaveLength(2);
  expect((asks[1] ?? 0) - (asks[0] ?? 0)).toBeGreaterThanOrEqual(MIN_POLL_SPACING_MS - ARRIVAL_SLACK_MS);
});

it('a task an older version failed from a callback alone is re-checked once on start: a success wins', async () => {
  const { store, cleanup } = createTempStore();
  cleanups.push(cleanup);
  const task = insertTestTask(store, { kie_task_id: F.MUSIC_TASK_ID, next_poll_at: null });
  store.tasks.setState(task.id, 'failed', 2000, { code: 'kie_501', message: 'forged' });
  store.tasks.addStage(task.id, 'failed', 2000, 'callback');
  const asks: string[] = [];
  const kie = {
    async musicRecordInfo(taskId: string) {
      asks.push(taskId);
      return F.MUSIC_RECORD_INFO_SUCCESS;
    },
    separationRecordInfo: () => Promise.reject(new Error('not used')),
    wavRecordInfo: () => Promise.reject(new Error('not used')),
    midiRecordInfo: () => Promise.reject(new Error('not used')),
  };
  for (let start = 0; start < 2; start++) {
    const reconciler = createReconciler({ store, hasPublicUrl: () => true, schedule: HOUR_SCHEDULE, kie });
    reconciler.start();
    await reconciler.idle();
    await reconciler.stop();
  }
  expect(asks).toEqual([F.MUSIC_TASK_ID]);
  expect(store.tasks.view(task.id)).toMatchObject({ state: 'complete', error: null });
  expect(store.tracks.rowsOf(task.id)).toHaveLength(1);
});
