// A genuinely signed callback captured from the simulator and replayed with other bodies. KIE signs
// `taskId.timestamp`, not the body: the task must end with the genuine takes from record-info, no
// attacker URL may ever be fetched, and the reused signature must show in the inbox as a conflict.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { CallbackRow } from '../../electron/core/store/index.ts';
import { writeToneMp3 } from '../helpers/tone-mp3.ts';
import { isSettled, SIM_HMAC_KEY, startLiveCore, type LiveCore } from '../helpers/live-core.ts';
import { signedPost } from '../helpers/signed-post.ts';
import * as F from '../fixtures/kie-callbacks.ts';

let live: LiveCore | null = null;
let attacker: Server | null = null;
afterEach(async () => {
  await live?.close();
  live = null;
  await new Promise<void>((resolve) => (attacker ? attacker.close(() => resolve()) : resolve()));
  attacker = null;
});

async function startAttacker(hits: string[]): Promise<string> {
  attacker = createServer((req, res) => {
    hits.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'audio/mpeg' });
    res.end(Buffer.alloc(4096, 0xff));
  });
  await new Promise<void>((resolve) => attacker?.listen(0, '127.0.0.2', resolve));
  return `http://127.0.0.2:${(attacker.address() as AddressInfo).port}`;
}

async function until<T>(read: () => T | undefined): Promise<T> {
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 10));
  }
}

it('a captured signature replayed with a failure, attacker URLs and the same body changes nothing', async () => {
  const hits: string[] = [];
  const evil = await startAttacker(hits);
  // Slow stages leave room to replay the signature of the first (text) callback before `complete`.
  live = await startLiveCore({ stageDelayMs: 700 });
  const path = await writeToneMp3(join(live.dataDir, 'vox.mp3'), { seconds: 1 });
  const task = await live.core.handlers['tasks.submit']({
    kind: 'add-instrumental',
    source: { path },
    title: 'Harbor',
    tags: 'folk',
    negativeTags: 'edm',
  });
  const store = live.core.store;
  const genuine: CallbackRow = await until(() =>
    store.callbacks.list({ taskId: task.id }).find((row) => row.verdict === 'valid'),
  );
  const captured = JSON.parse(genuine.headers) as Record<string, string>;
  const signature = {
    'x-webhook-timestamp': captured['x-webhook-timestamp'] ?? '',
    'x-webhook-signature': captured['x-webhook-signature'] ?? '',
  };
  const failure = {
    ...F.MUSIC_FAILURE_WITH_ERROR,
    data: { ...F.MUSIC_FAILURE_WITH_ERROR.data, task_id: task.kieTaskId },
  };
  const forgedTakes = (F.MUSIC_COMPLETE.data.data ?? []).map((item, i) => ({
    ...item,
    id: `forged-${i}`,
    audio_url: `${evil}/take-${i}.mp3`,
    source_audio_url: `${evil}/source-${i}.mp3`,
    stream_audio_url: `${evil}/stream-${i}`,
    image_url: `${evil}/cover-${i}.jpg`,
  }));
  const complete = {
    ...F.MUSIC_COMPLETE,
    data: { ...F.MUSIC_COMPLETE.data, task_id: task.kieTaskId, data: forgedTakes },
  };
  const url = live.core.receiver.callbackUrl;
  const answers = [
    await signedPost(url, failure, { headers: signature }),
    await signedPost(url, complete, { headers: signature }),
    await signedPost(url, genuine.body, { headers: signature }),
  ];
  expect(answers.map((a) => a.status)).toEqual([409, 409, 200]);
  expect(store.tasks.get(task.id)?.state).not.toBe('failed');

  const done = await live.waitFor(task.id, isSettled);
  expect(done.state).toBe('complete');
  expect(done.error).toBeNull();
  expect(done.tracks).toHaveLength(2);
  expect(done.tracks.every((t) => t.state === 'ready')).toBe(true);
  const rows = store.tracks.rowsOf(task.id);
  expect(rows.every((t) => t.url_source === 'record-info' && !t.remote_url?.startsWith(evil))).toBe(true);
  expect(rows.map((t) => t.audio_id)).not.toContain('forged-0');
  await live.sim.control.idle();
  expect(hits).toEqual([]);

  // Both forged bodies are kept as conflicts. (A genuine stage the simulator sent within the same
  // second as the captured one is a conflict too; record-info still brought it in.)
  const conflictBodies = store.callbacks
    .list({ taskId: task.id, limit: 1000 })
    .filter((row) => (JSON.parse(row.effect) as { isConflict?: boolean }).isConflict === true)
    .map((row) => [row.http_status, row.body.toString('utf8')]);
  expect(conflictBodies).toEqual(
    expect.arrayContaining([
      [409, JSON.stringify(failure)],
      [409, JSON.stringify(complete)],
    ]),
  );
  const replayedSame = store.callbacks
    .list({ taskId: task.id, limit: 1000 })
    .find((row) => row.id > genuine.id && row.body.equals(genuine.body) && row.is_duplicate === 1);
  expect(replayedSame).toBeDefined();
});

it('"Replay into handler" re-checks the age of a signature that was refused as stale', async () => {
  live = await startLiveCore({ dropCallbacks: true });
  const path = await writeToneMp3(join(live.dataDir, 'vox.mp3'), { seconds: 1 });
  const task = await live.core.handlers['tasks.submit']({
    kind: 'add-instrumental',
    source: { path },
    title: 'Harbor',
    tags: 'folk',
    negativeTags: 'edm',
  });
  const text = { ...F.MUSIC_TEXT, data: { ...F.MUSIC_TEXT.data, task_id: task.kieTaskId } };
  const tenMinutesAgo = Math.floor(Date.now() / 1000) - 600;
  const refused = await signedPost(live.core.receiver.callbackUrl, text, {
    sign: { key: SIM_HMAC_KEY, timestampSec: tenMinutesAgo },
  });
  expect(refused.status).toBe(401);
  const row = live.core.store.callbacks.list({ taskId: task.id })[0];
  expect(row?.verdict).toBe('stale');
  const replayed = await live.core.handlers['callbacks.replay']({ id: row?.id ?? -1 });
  expect(replayed).toMatchObject({ verdict: 'stale', httpStatus: 401, replayOf: row?.id });
});
