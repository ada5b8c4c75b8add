// The callback receiver over real loopback HTTP with a temp store: stages, duplicates, ordering,
// HMAC verdicts, replays, unsigned hints and hostile requests; the inbox records every POST.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../../electron/core/receiver/server.ts';
import { signKieCallback, verifyKieSignature } from '../../electron/core/receiver/verify-signature.ts';
import type { CallbackOutcome } from '../../electron/core/receiver/process-callback.ts';
import type { CallbackRow, Store, TaskRow } from '../../electron/core/store/index.ts';
import { createTempStore, insertTestTask } from '../helpers/temp-store.ts';
import { storeFileIn, withRawConnection } from '../helpers/raw-sql.ts';
import { signedPost, type PostResult, type SignedPostOptions } from '../helpers/signed-post.ts';
import * as F from '../fixtures/kie-callbacks.ts';

const KEY = 'sim-webhook-key-123';
const NOW_SEC = 1767225600;
const NOW_MS = NOW_SEC * 1000;
const TOKEN = randomBytes(24).toString('hex');
const FIRST = {
  ...F.MUSIC_COMPLETE,
  msg: 'First track generated successfully.',
  data: { ...F.MUSIC_COMPLETE.data, callbackType: 'first' as const },
};

interface Harness {
  store: Store;
  receiver: Receiver;
  url: string;
  task: TaskRow;
  outcomes: CallbackOutcome[];
  post(body: unknown, options?: SignedPostOptions): Promise<PostResult>;
  signed(body: unknown, options?: SignedPostOptions): Promise<PostResult>;
  rows(): CallbackRow[];
  taskNow(): TaskRow;
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function setup(key: string | null): Promise<Harness> {
  const temp = createTempStore();
  const task = insertTestTask(temp.store, { kie_task_id: F.MUSIC_TASK_ID, created_at: NOW_MS - 60_000 });
  const outcomes: CallbackOutcome[] = [];
  const receiver = await startReceiver({
    store: temp.store,
    pathToken: TOKEN,
    hmacKey: () => key,
    now: () => NOW_MS,
    onCallback: (outcome) => outcomes.push(outcome),
  });
  cleanups.push(async () => {
    await receiver.close();
    expect(
      withRawConnection(storeFileIn(temp.dir), (db) => db.pragma('integrity_check', { simple: true })),
    ).toBe('ok');
    temp.cleanup();
  });
  const url = receiver.callbackUrl;
  return {
    store: temp.store,
    receiver,
    url,
    task,
    outcomes,
    post: (body, options) => signedPost(url, body, options),
    signed: (body, options) =>
      signedPost(url, body, { ...options, sign: { key: KEY, timestampSec: NOW_SEC, ...options?.sign } }),
    rows: () => temp.store.callbacks.list({ limit: 1000 }).reverse(),
    taskNow: () => {
      const row = temp.store.tasks.get(task.id);
      if (!row) throw new Error('task vanished');
      return row;
    },
  };
}

function stagesOf(h: Harness): string[] {
  return h.store.tasks.view(h.task.id)?.stages.map((s) => s.name) ?? [];
}

describe('signature helper', () => {
  it('matches the worked example of kie-api.md §9.3 and verifies it', () => {
    const { key, taskId, timestampSec, signature } = F.HMAC_EXAMPLE;
    expect(signKieCallback(key, taskId, timestampSec)).toBe(signature);
    const input = { key, taskId, timestamp: String(timestampSec), signature, nowMs: timestampSec * 1000 };
    expect(verifyKieSignature(input)).toBe('valid');
    expect(verifyKieSignature({ ...input, nowMs: (timestampSec + 301) * 1000 })).toBe('stale');
    expect(verifyKieSignature({ ...input, nowMs: (timestampSec + 301) * 1000, ignoreTimestamp: true })).toBe(
      'valid',
    );
    expect(verifyKieSignature({ ...input, timestamp: '1767225600.0' })).toBe('invalid');
    expect(verifyKieSignature({ ...input, signature: '' })).toBe('missing_headers');
  });
});

describe('signed callbacks (HMAC key configured)', () => {
  it('text and first advance live; complete only asks record-info; no track or URL from a callback', async () => {
    const h = await setup(KEY);
    // KIE signs taskId.timestamp: distinct callbacks need distinct seconds to carry distinct pairs.
    const steps: Array<[unknown, string, number]> = [
      [F.MUSIC_TEXT, 'text', NOW_SEC - 2],
      [FIRST, 'first', NOW_SEC - 1],
      [F.MUSIC_COMPLETE, 'first', NOW_SEC],
    ];
    for (const [index, [body, state, timestampSec]] of steps.entries()) {
      const res = await h.signed(body, { sign: { key: KEY, timestampSec } });
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ code: 200 });
      const rows = h.rows();
      expect(rows).toHaveLength(index + 1);
      expect(rows.at(-1)).toMatchObject({ verdict: 'valid', http_status: 200, task_id: h.task.id });
      expect(h.taskNow().state).toBe(state);
    }
    expect(stagesOf(h)).toEqual(['submitted', 'text', 'first']);
    const effects = h
      .rows()
      .map((r) => JSON.parse(r.effect) as { claim: string; needsVerification: boolean });
    expect(effects.map((e) => [e.claim, e.needsVerification])).toEqual([
      ['text', false],
      ['first', true],
      ['complete', true],
    ]);
    expect(h.store.tracks.rowsOf(h.task.id)).toEqual([]);
    expect(h.store.downloads.active()).toEqual([]);
  });

  it('the raw body and headers are kept in the inbox', async () => {
    const h = await setup(KEY);
    const raw = JSON.stringify(F.MUSIC_TEXT, null, 2);
    await h.signed(raw, { sign: { key: KEY, taskId: F.MUSIC_TASK_ID } });
    const row = h.rows()[0];
    expect(row?.body.toString('utf8')).toBe(raw);
    expect(JSON.parse(row?.headers ?? '{}')).toMatchObject({ 'x-webhook-timestamp': String(NOW_SEC) });
    expect(row?.kie_task_id).toBe(F.MUSIC_TASK_ID);
  });

  it('a split_stem separation callback lands no stems: record-info is asked for them', async () => {
    const h = await setup(KEY);
    const task = insertTestTask(h.store, { kind: 'split_stem', kie_task_id: F.SPLIT_STEM_TASK_ID });
    expect((await h.signed(F.SPLIT_STEM_SUCCESS)).status).toBe(200);
    expect(h.store.tasks.get(task.id)?.state).toBe('submitted');
    expect(JSON.parse(h.rows()[0]?.effect ?? '{}')).toMatchObject({
      claim: 'complete',
      needsVerification: true,
    });
    expect(h.store.tracks.rowsOf(task.id)).toEqual([]);
    expect(h.store.downloads.active()).toEqual([]);
  });

  it('the same callback 10× → one state change, 9 rows marked duplicate', async () => {
    const h = await setup(KEY);
    const results = await Promise.all(Array.from({ length: 10 }, () => h.signed(F.MUSIC_TEXT)));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    const rows = h.rows();
    expect(rows).toHaveLength(10);
    expect(rows.filter((r) => r.is_duplicate === 1)).toHaveLength(9);
    expect(new Set(rows.map((r) => r.dedupe_key)).size).toBe(1);
    expect(stagesOf(h)).toEqual(['submitted', 'text']);
    expect(h.outcomes.filter((o) => o.effect && o.effect.from !== o.effect.to)).toHaveLength(1);
  });

  it('out of order: first, then the late text is a no-op', async () => {
    const h = await setup(KEY);
    expect((await h.signed(FIRST, { sign: { key: KEY, timestampSec: NOW_SEC - 1 } })).status).toBe(200);
    const updatedAt = h.taskNow().updated_at;
    expect((await h.signed(F.MUSIC_TEXT)).status).toBe(200);
    expect(h.taskNow()).toMatchObject({ state: 'first', updated_at: updatedAt });
    expect(stagesOf(h)).toEqual(['submitted', 'first']);
    const late = JSON.parse(h.rows()[1]?.effect ?? '{}') as { to: string; note: string };
    expect(late).toMatchObject({ to: 'first', note: expect.stringMatching(/late stage text/) });
  });

  it('a signed failure is only a claim: the task fails when record-info says so', async () => {
    const h = await setup(KEY);
    expect((await h.signed(F.MUSIC_FAILURE_DATA_NULL)).status).toBe(200);
    expect(h.taskNow()).toMatchObject({ state: 'submitted', error_code: null });
    expect(JSON.parse(h.rows()[0]?.effect ?? '{}')).toMatchObject({
      claim: 'failed',
      needsVerification: true,
    });
  });

  it('accepts a timestamp exactly 300 s old', async () => {
    const h = await setup(KEY);
    expect((await h.signed(F.MUSIC_TEXT, { sign: { key: KEY, timestampSec: NOW_SEC - 300 } })).status).toBe(
      200,
    );
  });
});

describe('rejected signatures → 401, recorded, nothing applied', () => {
  const forged = randomBytes(32).toString('base64');
  const cases: Array<[string, SignedPostOptions, string]> = [
    [
      'forged signature',
      { headers: { 'x-webhook-timestamp': String(NOW_SEC), 'x-webhook-signature': forged } },
      'invalid',
    ],
    ['wrong key', { sign: { key: 'not-the-key', timestampSec: NOW_SEC } }, 'invalid'],
    [
      'signature for another task id',
      { sign: { key: KEY, taskId: F.SPLIT_STEM_TASK_ID, timestampSec: NOW_SEC } },
      'invalid',
    ],
    ['stale timestamp (301 s old)', { sign: { key: KEY, timestampSec: NOW_SEC - 301 } }, 'stale'],
    ['future timestamp (+301 s)', { sign: { key: KEY, timestampSec: NOW_SEC + 301 } }, 'stale'],
    ['missing headers', {}, 'missing_headers'],
    [
      'signature without timestamp',
      { headers: { 'x-webhook-signature': signKieCallback(KEY, F.MUSIC_TASK_ID, NOW_SEC) } },
      'missing_headers',
    ],
    [
      'non-numeric timestamp',
      { headers: { 'x-webhook-timestamp': 'now', 'x-webhook-signature': forged } },
      'invalid',
    ],
  ];

  it.each(cases)('%s', async (_name, options, verdict) => {
    const h = await setup(KEY);
    for (const body of [F.MUSIC_COMPLETE, F.MUSIC_FAILURE_WITH_ERROR]) {
      const res = await h.post(body, options);
      expect(res.status).toBe(401);
    }
    const rows = h.rows();
    expect(rows).toHaveLength(2);
    for (const row of rows)
      expect(row).toMatchObject({ verdict, http_status: 401, is_duplicate: 0, dedupe_key: null });
    expect(h.taskNow()).toMatchObject({
      state: 'submitted',
      error_code: null,
      updated_at: h.task.updated_at,
    });
    expect(h.store.tracks.rowsOf(h.task.id)).toEqual([]);
    expect(h.store.downloads.active()).toEqual([]);
  });

  it('a rejected request does not make the later genuine one a duplicate', async () => {
    const h = await setup(KEY);
    expect((await h.post(F.MUSIC_TEXT, { sign: { key: 'not-the-key', timestampSec: NOW_SEC } })).status).toBe(
      401,
    );
    expect((await h.signed(F.MUSIC_TEXT)).status).toBe(200);
    expect(h.taskNow().state).toBe('text');
    expect(h.rows()[1]?.is_duplicate).toBe(0);
  });
});

describe('replays', () => {
  it('a signature pair vouches for one body: another body under it is a conflict and changes nothing', async () => {
    const h = await setup(KEY);
    expect((await h.signed(F.MUSIC_TEXT)).status).toBe(200);
    const tampered = JSON.parse(JSON.stringify(F.MUSIC_FAILURE_WITH_ERROR)) as F.MusicCallback;
    expect((await h.signed(tampered)).status).toBe(409);
    expect((await h.signed(FIRST)).status).toBe(409);
    expect((await h.signed(F.MUSIC_TEXT)).status).toBe(200);
    expect(h.taskNow()).toMatchObject({ state: 'text', error_code: null });
    const [, failure, first, same] = h.rows();
    for (const row of [failure, first])
      expect(row).toMatchObject({ verdict: 'valid', http_status: 409, dedupe_key: null, is_duplicate: 0 });
    expect(JSON.parse(failure?.effect ?? '{}')).toMatchObject({
      isConflict: true,
      claim: 'failed',
      needsVerification: true,
    });
    expect(same).toMatchObject({ http_status: 200, is_duplicate: 1 });
  });

  it('the same body under a fresh signature pair is still accepted', async () => {
    const h = await setup(KEY);
    expect((await h.signed(F.MUSIC_TEXT, { sign: { key: KEY, timestampSec: NOW_SEC - 1 } })).status).toBe(
      200,
    );
    expect((await h.signed(FIRST)).status).toBe(200);
    expect(h.taskNow().state).toBe('first');
  });
});

describe('unsigned callbacks (no HMAC key)', () => {
  it('progress stages advance, but no track, URL or download comes from them', async () => {
    const h = await setup(null);
    expect((await h.post(F.MUSIC_TEXT)).status).toBe(200);
    expect(h.taskNow().state).toBe('text');
    expect((await h.post(FIRST)).status).toBe(200);
    expect(h.taskNow().state).toBe('first');
    expect(h.rows().map((r) => r.verdict)).toEqual(['unsigned', 'unsigned']);
    expect(h.store.tracks.rowsOf(h.task.id)).toEqual([]);
    expect(h.store.downloads.active()).toEqual([]);
  });

  it('a complete claim only flags needsVerification', async () => {
    const h = await setup(null);
    expect((await h.post(F.MUSIC_COMPLETE)).status).toBe(200);
    expect(h.taskNow().state).toBe('submitted');
    expect(JSON.parse(h.rows()[0]?.effect ?? '{}')).toMatchObject({
      needsVerification: true,
      downloadsQueued: 0,
    });
    expect(h.store.tracks.rowsOf(h.task.id)).toEqual([]);
    expect(h.store.downloads.active()).toEqual([]);
  });

  it('a failure claim only flags needsVerification', async () => {
    const h = await setup(null);
    expect((await h.post(F.MUSIC_FAILURE_WITH_ERROR)).status).toBe(200);
    expect(h.taskNow()).toMatchObject({ state: 'submitted', error_code: null });
    expect(JSON.parse(h.rows()[0]?.effect ?? '{}')).toMatchObject({ needsVerification: true });
  });

  it('HMAC headers are ignored when no key is configured: still unsigned', async () => {
    const h = await setup(null);
    expect((await h.signed(F.MUSIC_COMPLETE)).status).toBe(200);
    expect(h.rows()[0]?.verdict).toBe('unsigned');
    expect(h.store.downloads.active()).toEqual([]);
  });
});

describe('hostile requests', () => {
  it.each([null, KEY])('never answer 5xx and always record POSTs to the route (key: %s)', async (key) => {
    const h = await setup(key);
    const five = Buffer.alloc(5 * 1024 * 1024, 0x20);
    const attempts: Array<[string, () => Promise<PostResult>, number]> = [
      ['invalid JSON', () => h.post('{"code":200,'), 400],
      ['5 MB body', () => h.post(five), 413],
      ['5 MB chunked body', () => h.post(five, { isChunked: true }), 413],
      ['text/plain', () => h.post(F.MUSIC_TEXT, { contentType: 'text/plain' }), 415],
      ['no content type', () => h.post(F.MUSIC_TEXT, { contentType: null }), 415],
      ['JSON that is not a callback', () => h.signed({ code: 200, data: { task_id: F.MUSIC_TASK_ID } }), 400],
      [
        'unknown task',
        () => h.signed({ ...F.MUSIC_TEXT, data: { ...F.MUSIC_TEXT.data, task_id: 'nope' } }),
        404,
      ],
    ];
    let recorded = 0;
    for (const [name, attempt, status] of attempts) {
      const res = await attempt();
      expect(res.status, name).toBe(status);
      recorded++;
      expect(h.rows(), name).toHaveLength(recorded);
      expect(h.rows().at(-1)?.http_status, name).toBe(status);
      const next = await h.signed(F.MUSIC_TEXT);
      expect(next.status, `valid request after ${name}`).toBe(200);
      recorded++;
    }
    const verdicts = h.rows().filter((r) => r.http_status !== 200);
    expect(verdicts.map((r) => r.verdict)).toEqual([
      'malformed',
      'malformed',
      'malformed',
      'malformed',
      'malformed',
      'malformed',
      'unknown_task',
    ]);
    const big = h.rows()[2];
    expect(big?.body_truncated).toBe(1);
    expect(big?.body.length).toBeLessThanOrEqual(1024 * 1024);
    expect(h.taskNow().state).toBe('text');
  });

  it('wrong path and wrong method answer 404/405 and record nothing', async () => {
    const h = await setup(KEY);
    const base = new URL(h.url);
    const wrong = [
      `${base.origin}/kie/${'0'.repeat(48)}`,
      `${base.origin}/kie/${TOKEN}/x`,
      `${base.origin}/`,
      `${base.origin}/kie`,
    ];
    for (const url of wrong) expect((await signedPost(url, F.MUSIC_TEXT)).status, url).toBe(404);
    expect((await h.post('', { method: 'GET' })).status).toBe(405);
    expect((await h.post(F.MUSIC_TEXT, { method: 'PUT' })).status).toBe(405);
    expect(h.rows()).toEqual([]);
    expect((await h.signed(F.MUSIC_TEXT)).status).toBe(200);
  });

  it('a query string on the route is tolerated', async () => {
    const h = await setup(KEY);
    const res = await signedPost(`${h.url}?source=kie`, F.MUSIC_TEXT, {
      sign: { key: KEY, timestampSec: NOW_SEC },
    });
    expect(res.status).toBe(200);
  });

  it('authorization and cookie headers are redacted in the inbox', async () => {
    const h = await setup(null);
    await h.post(F.MUSIC_TEXT, { headers: { authorization: 'Bearer secret-token', cookie: 'sid=secret' } });
    const headers = h.rows()[0]?.headers ?? '';
    expect(headers).not.toContain('secret');
    expect(JSON.parse(headers)).toMatchObject({ authorization: '[redacted]', cookie: '[redacted]' });
  });
});
