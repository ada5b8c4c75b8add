// The core against the KIE simulator's fault knobs: duplicated, reordered, missing and forged
// callbacks, every failure shape, dead links, credits and keys. Zero lost results, zero duplicated
// tracks, a clear state and message every time.
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { SubmitInput } from '../../shared/api.ts';
import { writeToneMp3 } from '../helpers/tone-mp3.ts';
import { isSettled, startLiveCore, type LiveCore } from '../helpers/live-core.ts';
import { signedPost } from '../helpers/signed-post.ts';
import * as F from '../fixtures/kie-callbacks.ts';

let live: LiveCore | null = null;
afterEach(async () => {
  await live?.close();
  live = null;
});

async function instrumental(l: LiveCore): Promise<SubmitInput> {
  const path = await writeToneMp3(join(l.dataDir, 'vox.mp3'), { seconds: 1 });
  return { kind: 'add-instrumental', source: { path }, title: 'Harbor', tags: 'folk', negativeTags: 'edm' };
}

function expectNoDuplicateTracks(tracks: { stem: string; audioId: string | null }[]): void {
  const keys = tracks.map((t) => `${t.stem}:${t.audioId}`);
  expect(new Set(keys).size).toBe(keys.length);
}

describe('core under callback faults', () => {
  it('applies every stage exactly once when callbacks are duplicated 10x and reordered', async () => {
    live = await startLiveCore({ duplicateCallbacks: 10, shuffleCallbacks: true });
    const task = await live.core.handlers['tasks.submit'](await instrumental(live));
    const done = await live.waitFor(task.id, isSettled);
    expect(done.state).toBe('complete');
    expect(done.tracks).toHaveLength(2);
    expect(done.tracks.every((t) => t.state === 'ready')).toBe(true);
    expectNoDuplicateTracks(done.tracks);
    await live.sim.control.idle();
    const inbox = live.core.store.callbacks.list({ taskId: task.id, limit: 1000 });
    // Each body is applied once at most: 3 stages, 10 copies each. Every other copy is recognised: kept as
    // a duplicate; a conflict (409) when the simulator sent two stages within the same second, so both
    // carry the same `taskId.timestamp` signature and the second can't be vouched for; or (past the
    // inbox's per-source limit on repeated signatures) answered 429 with its headers only.
    const applied = inbox.filter((c) => c.http_status === 200 && c.is_duplicate === 0);
    expect(applied.length).toBeGreaterThanOrEqual(1);
    expect(applied.length).toBeLessThanOrEqual(3);
    expect(new Set(applied.map((c) => c.dedupe_key)).size).toBe(applied.length);
    // A conflict only ever comes from a signature a received body (first copy or duplicate) already
    // carries: a stage refused for any other reason would not be excused by this test.
    const signatureOf = (c: { headers: string }) => {
      const h = JSON.parse(c.headers) as Record<string, string>;
      return `${h['x-webhook-timestamp']}.${h['x-webhook-signature']}`;
    };
    const vouched = new Set(inbox.filter((c) => c.http_status === 200).map(signatureOf));
    for (const conflict of inbox.filter((c) => c.http_status === 409))
      expect(vouched.has(signatureOf(conflict))).toBe(true);
    const repeats = inbox.filter(
      (c) => c.is_duplicate === 1 || c.http_status === 409 || c.http_status === 429,
    );
    expect(repeats.length).toBeGreaterThanOrEqual(27);
    expect(repeats.length + applied.length).toBe(inbox.length);
    expect(new Set(done.stages.map((s) => s.name)).size).toBe(done.stages.length);
    expect(live.core.store.downloads.active()).toHaveLength(0);
  });

  it('completes by reconciliation when no callback ever arrives', async () => {
    live = await startLiveCore({ dropCallbacks: true });
    const task = await live.core.handlers['tasks.submit'](await instrumental(live));
    live.core.reconciler.pollSoon(task.id);
    const done = await live.waitFor(task.id, isSettled);
    expect(done.state).toBe('complete');
    expect(done.stages.find((s) => s.name === 'complete')?.source).toBe('record-info');
    expect(done.tracks.every((t) => t.state === 'ready')).toBe(true);
  });

  it('never trusts forged callbacks: wrong HMAC key → 401s, results only from record-info', async () => {
    live = await startLiveCore({ hmacKey: 'not-the-real-key' });
    const task = await live.core.handlers['tasks.submit'](await instrumental(live));
    live.core.reconciler.pollSoon(task.id);
    const done = await live.waitFor(task.id, isSettled);
    expect(done.state).toBe('complete');
    const inbox = live.core.store.callbacks.list({ taskId: task.id });
    expect(inbox.length).toBeGreaterThan(0);
    expect(inbox.every((c) => c.verdict === 'invalid' && c.http_status === 401)).toBe(true);
    const sources = live.core.store.tracks.rowsOf(task.id).map((t) => t.url_source);
    expect(sources.every((s) => s === 'record-info')).toBe(true);
  });

  it('treats unsigned callbacks as hints: terminal claims are confirmed by record-info', async () => {
    live = await startLiveCore({ hmacKey: null }, { hmacKey: null });
    const task = await live.core.handlers['tasks.submit'](await instrumental(live));
    const done = await live.waitFor(task.id, isSettled);
    expect(done.state).toBe('complete');
    expect(done.stages.find((s) => s.name === 'complete')?.source).toBe('record-info');
    expect(live.core.store.tracks.rowsOf(task.id).every((t) => t.url_source === 'record-info')).toBe(true);
    expect(live.core.store.callbacks.list({ taskId: task.id }).some((c) => c.verdict === 'unsigned')).toBe(
      true,
    );
  });

  it('an unsigned callback announcing a take record-info never reports leaves no phantom track', async () => {
    live = await startLiveCore({ hmacKey: null, stageDelayMs: 300 }, { hmacKey: null });
    const task = await live.core.handlers['tasks.submit'](await instrumental(live));
    const phantom = {
      ...F.MUSIC_COMPLETE,
      data: {
        ...F.MUSIC_COMPLETE.data,
        callbackType: 'first',
        task_id: task.kieTaskId,
        data: (F.MUSIC_COMPLETE.data.data ?? []).map((item) => ({ ...item, id: '\u001b[2Jphantom' })),
      },
    };
    expect((await signedPost(live.core.receiver.callbackUrl, phantom)).status).toBe(200);
    const done = await live.waitFor(task.id, (t) => t.state === 'complete');
    expect(done.tracks.map((t) => t.audioId)).not.toContain('\u001b[2Jphantom');
    expect((await live.waitFor(task.id, isSettled)).tracks.every((t) => t.state === 'ready')).toBe(true);
  });

  it.each(['vocal_separation_info', 'vocal_removal_info', 'response'] as const)(
    'accepts the %s separation callback shape',
    async (key) => {
      live = await startLiveCore({ separationCallbackKey: key });
      const parent = await live.core.handlers['tasks.submit'](await instrumental(live));
      const take = (await live.waitFor(parent.id, isSettled)).tracks[0];
      const split = await live.core.handlers['tasks.submit']({
        kind: 'separate_vocal',
        from: { taskId: parent.id, audioId: take?.audioId ?? '' },
      });
      const done = await live.waitFor(split.id, isSettled);
      expect(done.state).toBe('complete');
      // The callback's shape was understood (a complete claim); record-info confirmed it.
      const inbox = live.core.store.callbacks.list({ taskId: split.id });
      const claims = inbox.map((c) => (JSON.parse(c.effect) as { claim?: string }).claim);
      expect(claims).toContain('complete');
      expect(done.stages.find((s) => s.name === 'complete')?.source).toBe('record-info');
      expect(done.tracks.map((t) => t.stem).sort()).toEqual(['instrumental', 'vocals']);
      expect(done.tracks.every((t) => t.state === 'ready')).toBe(true);
    },
  );
});

describe('core under KIE failures', () => {
  it.each([
    { code: 400, shape: 'null-data' as const, pattern: /copyrighted|invalid/ },
    { code: 413, shape: 'error-field' as const, pattern: /existing/ },
    { code: 501, shape: 'error-field' as const, pattern: /failed to generate/ },
    { code: 531, shape: 'null-data' as const, pattern: /refunded/ },
  ])(
    'a $code failure callback ($shape) ends the task failed with a plain message',
    async ({ code, shape, pattern }) => {
      live = await startLiveCore();
      live.sim.control.failNextTask({ stage: 'first', code, msg: 'Audio generation failed.', shape });
      const task = await live.core.handlers['tasks.submit'](await instrumental(live));
      const done = await live.waitFor(task.id, (t) => t.state === 'failed');
      expect(done.error?.code).toBe(`kie_${code}`);
      expect(done.error?.message).toMatch(pattern);
    },
  );

  it('insufficient credits and a bad key are refused before any task exists', async () => {
    live = await startLiveCore();
    live.sim.control.setCredits(1);
    await expect(live.core.handlers['tasks.submit'](await instrumental(live))).rejects.toMatchObject({
      code: 'insufficient_credits',
      message: expect.stringMatching(/top up/i),
    });
    await live.close();
    live = await startLiveCore({}, { apiKey: 'wrong-key' });
    await expect(live.core.handlers['tasks.submit'](await instrumental(live))).rejects.toMatchObject({
      code: 'auth',
    });
    expect(live.core.store.tasks.list()).toHaveLength(0);
  });

  it('a dead result link ends the track in error with a plain message, never stuck', async () => {
    live = await startLiveCore({ resultRetentionMs: 1 });
    const task = await live.core.handlers['tasks.submit'](await instrumental(live));
    const done = await live.waitFor(task.id, isSettled);
    expect(done.state).toBe('complete');
    expect(done.tracks.length).toBeGreaterThan(0);
    for (const track of done.tracks) {
      expect(track.state).toBe('error');
      expect(track.error).toMatch(/dead|404/);
    }
  });
});
