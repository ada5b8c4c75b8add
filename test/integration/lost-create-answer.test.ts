// A create call whose answer is lost (timeout after KIE accepted it) must not orphan a billed task:
// the submission is recorded before KIE is called, and KIE's first callback (its URL carries the
// submission id) turns it into a task that completes like any other.
import { afterEach, describe, expect, it } from 'vitest';
import { isSettled, startLiveCore, type LiveCore } from '../helpers/live-core.ts';
import { storeFileIn, withRawConnection } from '../helpers/raw-sql.ts';

let live: LiveCore | null = null;
afterEach(async () => {
  await live?.close();
  live = null;
});

const pendingCount = (l: LiveCore): number =>
  withRawConnection(
    storeFileIn(l.dataDir),
    (db) => db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM pending_submissions').get()?.n,
  ) ?? 0;

async function completedTake(l: LiveCore) {
  const task = await l.submitTake('Harbor');
  const done = await l.waitFor(task.id, isSettled);
  return { parentId: done.id, audioId: done.tracks[0]?.audioId ?? '' };
}

describe('lost create answers', () => {
  it.each([
    { order: 'before', stageDelayMs: 20 },
    { order: 'after', stageDelayMs: 900 },
  ])(
    'adopts the task KIE created when our create call timed out (callback $order the timeout)',
    async ({ order, stageDelayMs }) => {
      live = await startLiveCore({}, { kie: { timeoutMs: 300, retryBaseDelayMs: 10 } });
      const take = await completedTake(live);
      expect(pendingCount(live)).toBe(0);

      live.sim.control.setOptions({ stageDelayMs });
      live.sim.control.failNextRequest({ answerDelayMs: 1500 });
      await expect(
        live.core.handlers['tasks.submit']({
          kind: 'separate_vocal',
          from: { taskId: take.parentId, audioId: take.audioId },
        }),
      ).rejects.toMatchObject({ code: 'timeout', message: expect.stringMatching(/appears in the library/) });
      // Kept until KIE's callback names the task (unless that callback already came).
      expect(pendingCount(live)).toBe(order === 'after' ? 1 : 0);

      const deadline = Date.now() + 20_000;
      let adopted = live.core.store.tasks.list({ kind: 'separate_vocal' })[0];
      while (!adopted && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        adopted = live.core.store.tasks.list({ kind: 'separate_vocal' })[0];
      }
      if (!adopted) throw new Error('the task KIE created was never adopted');
      const done = await live.waitFor(adopted.id, isSettled);
      expect(done.state).toBe('complete');
      expect(done.parentTaskId).toBe(take.parentId);
      expect(done.tracks.map((t) => t.stem).sort()).toEqual(['instrumental', 'vocals']);
      expect(done.tracks.every((t) => t.state === 'ready')).toBe(true);
      expect(live.sim.control.tasks().filter((t) => t.kind === 'separate_vocal')).toHaveLength(1);
      expect(pendingCount(live)).toBe(0);
    },
  );

  it.each([
    { httpStatus: 401, code: 'auth' },
    { httpStatus: 402, code: 'insufficient_credits' },
    { httpStatus: 422, code: 'validation' },
    { httpStatus: 433, code: 'sub_key_limit' },
  ])('forgets a submission KIE refused ($httpStatus) and says only what happened', async (refusal) => {
    live = await startLiveCore();
    const take = await completedTake(live);
    live.sim.control.failNextRequest({ httpStatus: refusal.httpStatus, code: refusal.httpStatus });
    const error = await live.core.handlers['tasks.submit']({
      kind: 'separate_vocal',
      from: { taskId: take.parentId, audioId: take.audioId },
    }).then(
      () => null,
      (e: unknown) => e as { code: string; message: string },
    );
    expect(error?.code).toBe(refusal.code);
    expect(error?.message).not.toMatch(/appears in the library|may still/i);
    expect(pendingCount(live)).toBe(0);
    expect(live.sim.control.tasks().filter((t) => t.kind === 'separate_vocal')).toHaveLength(0);
  });

  it('keeps a submission whose answer was a server error: KIE may still have created the task', async () => {
    live = await startLiveCore();
    const take = await completedTake(live);
    live.sim.control.failNextRequest({ httpStatus: 500, code: 500 });
    await expect(
      live.core.handlers['tasks.submit']({
        kind: 'separate_vocal',
        from: { taskId: take.parentId, audioId: take.audioId },
      }),
    ).rejects.toMatchObject({ code: 'server', message: expect.stringMatching(/appears in the library/) });
    expect(pendingCount(live)).toBe(1);
  });

  it('forgets a submission KIE certainly never received', async () => {
    live = await startLiveCore();
    const take = await completedTake(live);
    await expect(
      live.core.handlers['tasks.submit']({
        kind: 'split_stem',
        from: { taskId: take.parentId, audioId: '' },
      }),
    ).rejects.toMatchObject({ code: 'validation' });
    expect(pendingCount(live)).toBe(0);
  });
});
