// The inbox's quota over real loopback HTTP with a temp store: a burst of unsigned 1 MB POSTs grows
// the database by a bounded amount, every POST is still recorded, the limit is per source, and old
// rows are pruned by the retention the producer sets in Settings.
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../../electron/core/receiver/server.ts';
import { pruneInbox } from '../../electron/core/receiver/inbox-pruner.ts';
import {
  DEFAULT_INBOX_RETENTION_DAYS,
  INBOX_RETENTION_PREF,
  inboxRetentionDays,
  retentionDaysError,
} from '../../shared/inbox-retention.ts';
import type { Store } from '../../electron/core/store/index.ts';
import { createTempStore, insertTestTask, TEMP_DB_NAME } from '../helpers/temp-store.ts';
import { signedPost } from '../helpers/signed-post.ts';
import { storeFileIn, withRawConnection } from '../helpers/raw-sql.ts';
import * as F from '../fixtures/kie-callbacks.ts';

const KEY = 'quota-hmac-key';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function setup(key: string | null = null): Promise<{ store: Store; dir: string; receiver: Receiver }> {
  const temp = createTempStore();
  const receiver = await startReceiver({
    store: temp.store,
    pathToken: randomBytes(24).toString('hex'),
    hmacKey: () => key,
  });
  cleanups.push(async () => {
    await receiver.close();
    temp.cleanup();
  });
  return { store: temp.store, dir: temp.dir, receiver };
}

/** Folds the WAL into the database file through a second connection (the Store hands out none). */
function checkpoint(dir: string): void {
  withRawConnection(storeFileIn(dir), (db) => db.pragma('wal_checkpoint(TRUNCATE)'));
}

function bytesOnDisk(dir: string): number {
  return [TEMP_DB_NAME, `${TEMP_DB_NAME}-wal`]
    .map((name) => {
      try {
        return statSync(join(dir, name)).size;
      } catch {
        return 0;
      }
    })
    .reduce((a, b) => a + b, 0);
}

it('100 unsigned 1 MB POSTs grow the database by a bounded amount, and all are recorded', async () => {
  const { store, dir, receiver } = await setup();
  const task = insertTestTask(store, { kie_task_id: F.MUSIC_TASK_ID });
  checkpoint(dir);
  const before = bytesOnDisk(dir);
  const pad = 'x'.repeat(1024 * 1024 - 1024);
  // Half are well-formed callbacks for a known task, padded; half are 1 MB of junk.
  const padded = JSON.stringify({ ...F.MUSIC_TEXT, pad });
  const junk = randomBytes(512 * 1024).toString('hex');
  const bodies = Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? padded : junk));
  const statuses: number[] = [];
  for (let i = 0; i < bodies.length; i += 10) {
    const batch = bodies.slice(i, i + 10).map((body) => signedPost(receiver.callbackUrl, body));
    statuses.push(...(await Promise.all(batch)).map((r) => r.status));
  }
  const withWal = bytesOnDisk(dir) - before;
  checkpoint(dir);
  const grown = bytesOnDisk(dir) - before;
  console.info(
    `inbox quota: 100 x 1 MB unsigned POSTs: database +${grown} B, +${withWal} B before checkpoint`,
  );
  // Before the quota this was 185 MB; now it is a few KB per row plus SQLite's page overhead.
  expect(grown).toBeLessThan(512 * 1024);
  expect(withWal).toBeLessThan(2 * 1024 * 1024);
  const rows = store.callbacks.list({ limit: 1000 });
  expect(rows).toHaveLength(100);
  expect(rows.every((r) => r.body.length <= 4096)).toBe(true);
  expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
  expect(store.tasks.get(task.id)?.state).toBe('text');
});

it('one captured signature replayed 100 times with 1 MB bodies stays bounded too', async () => {
  const { store, dir, receiver } = await setup(KEY);
  insertTestTask(store, { kie_task_id: F.MUSIC_TASK_ID });
  const sign = { key: KEY, timestampSec: Math.floor(Date.now() / 1000) };
  expect((await signedPost(receiver.callbackUrl, F.MUSIC_TEXT, { sign })).status).toBe(200);
  checkpoint(dir);
  const before = bytesOnDisk(dir);
  const pad = 'x'.repeat(1024 * 1024 - 2048);
  // The same stage padded (a duplicate by content) and another stage padded (a conflict).
  const sameStage = JSON.stringify({ ...F.MUSIC_TEXT, pad });
  const otherStage = JSON.stringify({ ...F.MUSIC_FAILURE_WITH_ERROR, pad });
  for (let i = 0; i < 100; i++)
    await signedPost(receiver.callbackUrl, i % 2 === 0 ? sameStage : otherStage, { sign });
  checkpoint(dir);
  const grown = bytesOnDisk(dir) - before;
  console.info(`inbox quota: one signature replayed 100 x 1 MB: database +${grown} B`);
  expect(grown).toBeLessThan(512 * 1024);
  expect(store.callbacks.list({ limit: 1000 })).toHaveLength(101);
});

it('one flooded source does not use up another source: a second task is still heard', async () => {
  const { store, receiver } = await setup();
  const flooded = insertTestTask(store, { kie_task_id: F.MUSIC_TASK_ID });
  const quiet = insertTestTask(store);
  const statuses: number[] = [];
  for (let i = 0; i < 40; i++) statuses.push((await signedPost(receiver.callbackUrl, F.MUSIC_TEXT)).status);
  expect(statuses.slice(0, 20)).toEqual(Array(20).fill(200));
  expect(statuses.slice(20)).toEqual(Array(20).fill(429));
  const other = { ...F.MUSIC_TEXT, data: { ...F.MUSIC_TEXT.data, task_id: quiet.kie_task_id } };
  expect((await signedPost(receiver.callbackUrl, other)).status).toBe(200);
  expect(store.tasks.get(quiet.id)?.state).toBe('text');
  expect(store.tasks.get(flooded.id)?.state).toBe('text');
});

it('old inbox rows are pruned by the retention in Settings (30 days by default); replays keep working', () => {
  const temp = createTempStore();
  cleanups.push(async () => temp.cleanup());
  const { store } = temp;
  const now = Date.UTC(2026, 0, 31);
  const day = 86_400_000;
  const row = (receivedAt: number, replayOf: number | null = null): number =>
    store.callbacks.insert({
      received_at: receivedAt,
      headers: '{}',
      body: Buffer.from('{}'),
      body_truncated: 0,
      verdict: 'malformed',
      kie_task_id: null,
      task_id: null,
      dedupe_key: null,
      is_duplicate: 0,
      effect: '{}',
      http_status: 400,
      replay_of: replayOf,
      submission_id: null,
      signature_pair: null,
    });
  const old = row(now - 40 * day);
  const recent = row(now - 10 * day, old);
  expect(pruneInbox(store, now)).toBe(1);
  expect(store.callbacks.get(old)).toBeUndefined();
  expect(store.callbacks.get(recent)).toMatchObject({ replay_of: null });
  store.settings.set(`pref.${INBOX_RETENTION_PREF}`, '7');
  expect(pruneInbox(store, now)).toBe(1);
  expect(store.callbacks.list()).toEqual([]);
});

it('the retention setting accepts whole days only and falls back to the default', () => {
  expect(retentionDaysError('30')).toBeNull();
  expect(retentionDaysError('0')).toMatch(/whole number of days/);
  expect(retentionDaysError('2.5')).toMatch(/whole number of days/);
  expect(inboxRetentionDays(null)).toBe(DEFAULT_INBOX_RETENTION_DAYS);
  expect(inboxRetentionDays('abc')).toBe(DEFAULT_INBOX_RETENTION_DAYS);
  expect(inboxRetentionDays(' 90 ')).toBe(90);
});
