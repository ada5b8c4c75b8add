// Seeded fuzzing of the callback receiver inside the real core: 10,000 generated and mutated bodies,
// headers, methods and paths. The host never answers 5xx or drops a connection, every POST to the
// route is in the inbox, no forged request changes a task, and SQLite's integrity check passes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callbackTaskId } from '../../shared/kie/callbacks.ts';
import { createCore, type Core } from '../../electron/core/host/core.ts';
import { signKieCallback } from '../../electron/core/receiver/verify-signature.ts';
import * as F from '../fixtures/kie-callbacks.ts';
import { runLoad, type LoadRequest, type LoadReport } from '../helpers/load.ts';
import { storeFileIn, withRawConnection, type RawDb } from '../helpers/raw-sql.ts';
import { closedKieConfig } from '../helpers/live-core.ts';
import { makeTask, newKieTaskId } from '../helpers/task.ts';
import { createRandom } from '../../electron/core/simulator/ids.ts';

const KEY = 'fuzz-hmac-key';
const SEED = 20260101;
const REQUESTS = 10_000;
const TEMPLATES: unknown[] = [
  F.MUSIC_TEXT,
  F.MUSIC_COMPLETE,
  F.MUSIC_COMPLETE_EPOCH,
  F.MUSIC_FAILURE_WITH_ERROR,
  F.MUSIC_FAILURE_DATA_NULL,
  F.ADD_INSTRUMENTAL_FIRST,
  F.SEPARATE_VOCAL_SUCCESS,
  F.SPLIT_STEM_SUCCESS,
  F.SEPARATE_VOCAL_RESPONSE_CAMEL,
  F.SEPARATION_FAILURE_KIE_API,
];
const ODD_VALUES: unknown[] = [
  null,
  0,
  -1,
  1e308,
  2 ** 53 + 1,
  '',
  ' ',
  'NaN',
  true,
  [],
  {},
  [[[[]]]],
  'x'.repeat(20_000),
  '\u0000\u202e\ud83c\udfb5',
  'javascript:alert(1)',
  'file:///etc/passwd',
  'http://169.254.169.254/latest',
  '../../../../etc/passwd',
  JSON.parse('{"__proto__":{"polluted":true}}') as unknown,
  '{"nested":"json"}',
];
const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/vnd.kie+json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  '',
];

type Kind = 'forged' | 'cross' | 'signed' | 'garbage' | 'protocol';
interface Case extends LoadRequest {
  kind: Kind;
  isRoutePost: boolean;
}

function createFuzzer(random: () => number, route: string, protectedIds: string[], openIds: string[]) {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const nowSec = Math.floor(Date.now() / 1000);

  function mutate(value: unknown, depth = 0): unknown {
    if (typeof value !== 'object' || value === null || depth > 6)
      return random() < 0.5 ? pick(ODD_VALUES) : value;
    const copy: Record<string, unknown> = Array.isArray(value)
      ? { ...value }
      : { ...(value as Record<string, unknown>) };
    const keys = Object.keys(copy);
    const roll = random();
    if (keys.length === 0 || roll < 0.15)
      copy[pick(['__proto__', 'constructor', 'callbackType', 'code', 'data', 'task_id', 'extra'])] =
        pick(ODD_VALUES);
    else if (roll < 0.3) delete copy[pick(keys)];
    else if (roll < 0.55) copy[pick(keys)] = pick(ODD_VALUES);
    else {
      const key = pick(keys);
      copy[key] = mutate(copy[key], depth + 1);
    }
    return Array.isArray(value) ? Object.values(copy) : copy;
  }

  function callbackFor(taskId: string): Record<string, unknown> {
    const body = structuredClone(pick(TEMPLATES)) as { data: Record<string, unknown> };
    body.data.task_id = taskId;
    const rounds = random() < 0.3 ? 0 : 1 + Math.floor(random() * 3);
    let out: unknown = body;
    for (let i = 0; i < rounds; i++) out = mutate(out);
    // Keep the target id unless the mutation replaced the whole data object.
    if (
      typeof out === 'object' &&
      out !== null &&
      typeof (out as { data?: unknown }).data === 'object' &&
      (out as { data?: unknown }).data !== null
    ) {
      (out as { data: Record<string, unknown> }).data.task_id = taskId;
    }
    return out as Record<string, unknown>;
  }

  function signature(taskId: string, timestampSec: number, key = KEY): Record<string, string> {
    return {
      'x-webhook-timestamp': String(timestampSec),
      'x-webhook-signature': signKieCallback(key, taskId, timestampSec),
    };
  }

  function forgedHeaders(taskId: string): Record<string, string> {
    const variants: Array<() => Record<string, string>> = [
      () => ({}),
      () => signature(taskId, nowSec, 'not-the-key'),
      () => signature(taskId, nowSec - 301 - Math.floor(random() * 1e6)),
      () => signature(taskId, nowSec + 301 + Math.floor(random() * 1e6)),
      () =>
        signature(pick([...openIds, ...protectedIds, 'other-task'].filter((id) => id !== taskId)), nowSec),
      () => ({ 'x-webhook-timestamp': 'now', 'x-webhook-signature': signKieCallback(KEY, taskId, nowSec) }),
      () => ({
        'x-webhook-timestamp': String(nowSec),
        'x-webhook-signature': Buffer.from(
          Array.from({ length: 32 }, () => Math.floor(random() * 256)),
        ).toString('base64'),
      }),
      () => ({ 'x-webhook-timestamp': String(nowSec), 'x-webhook-signature': 'A'.repeat(3000) }),
      () => ({ 'x-webhook-signature': signKieCallback(KEY, taskId, nowSec) }),
    ];
    return pick(variants)();
  }

  function garbage(): Buffer {
    const variants: Array<() => Buffer> = [
      () =>
        Buffer.from(Array.from({ length: Math.floor(random() * 4096) }, () => Math.floor(random() * 256))),
      () => Buffer.from(JSON.stringify(callbackFor(pick(openIds))).slice(0, Math.floor(random() * 200))),
      () => Buffer.from(`${'['.repeat(5000)}${']'.repeat(5000)}`),
      () => Buffer.from(JSON.stringify(pick(ODD_VALUES)) ?? 'undefined'),
      () => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(F.MUSIC_TEXT))]),
      () => Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0x7b, 0x7d]),
      () =>
        Buffer.from(
          `{"code":200,"code":"x","data":{"task_id":"${pick(protectedIds)}","task_id":"${pick(openIds)}"}}`,
        ),
      () => Buffer.from(JSON.stringify({ pad: 'p'.repeat(900_000) })),
      () => Buffer.alloc(0),
    ];
    return pick(variants)();
  }

  return function next(): Case {
    const roll = random();
    const json = { 'content-type': 'application/json' };
    if (roll < 0.3) {
      const target = random() < 0.5 ? pick(protectedIds) : pick(openIds);
      return {
        kind: 'forged',
        isRoutePost: true,
        path: route,
        headers: { ...json, ...forgedHeaders(target) },
        body: JSON.stringify(callbackFor(target)),
      };
    }
    if (roll < 0.4) {
      // A genuine signature for an open task, attached to a body that names a protected one.
      return {
        kind: 'cross',
        isRoutePost: true,
        path: route,
        headers: { ...json, ...signature(pick(openIds), nowSec) },
        body: JSON.stringify(callbackFor(pick(protectedIds))),
      };
    }
    if (roll < 0.7) {
      const body = callbackFor(pick(openIds));
      const id = callbackTaskId(body);
      const headers = id && !protectedIds.includes(id) ? signature(id, nowSec) : {};
      return {
        kind: 'signed',
        isRoutePost: true,
        path: random() < 0.1 ? `${route}?attempt=2` : route,
        headers: { 'content-type': pick(CONTENT_TYPES.slice(0, 4)), ...headers },
        body: JSON.stringify(body),
      };
    }
    if (roll < 0.9) {
      return {
        kind: 'garbage',
        isRoutePost: true,
        path: route,
        headers: { 'content-type': pick(CONTENT_TYPES), ...forgedHeaders(pick(openIds)) },
        body: garbage(),
      };
    }
    const isWrongPath = random() < 0.5;
    const path = isWrongPath
      ? pick([
          `${route}/`,
          `${route}x`,
          route.toUpperCase(),
          `${route}/../api/call/host.status`,
          '/kie/',
          '/',
          '/api/events',
          `/%2e%2e${route}`,
        ])
      : route;
    const method = isWrongPath
      ? pick(['POST', 'GET', 'PUT'])
      : pick(['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD']);
    const body =
      method === 'GET' || method === 'HEAD' ? undefined : JSON.stringify(callbackFor(pick(openIds)));
    return { kind: 'protocol', isRoutePost: false, method, path, headers: json, body };
  };
}

let core: Core;
let dataDir: string;
let protectedIds: string[];
let openIds: string[];
let cases: Case[];
let report: LoadReport;
let before: string;

function snapshot(ids: string[]): string {
  return withRawConnection(storeFileIn(dataDir), (db) => snapshotWith(db, ids));
}

function snapshotWith(db: RawDb, ids: string[]): string {
  const rows = ids.map((kieId) => {
    const task = core.store.tasks.getByKieId(kieId);
    const stages = db
      .prepare('SELECT stage, at, source FROM task_stages WHERE task_id = ? ORDER BY id')
      .all(task?.id);
    const tracks = db.prepare('SELECT * FROM tracks WHERE task_id = ? ORDER BY id').all(task?.id);
    const downloads = db
      .prepare('SELECT d.* FROM downloads d JOIN tracks t ON t.id = d.track_id WHERE t.task_id = ?')
      .all(task?.id);
    return { task, stages, tracks, downloads };
  });
  return JSON.stringify(rows);
}

function insertTasks(
  count: number,
  kinds: Array<'add-instrumental' | 'split_stem' | 'separate_vocal'>,
): string[] {
  return Array.from({ length: count }, (_, i) => {
    const kieId = newKieTaskId();
    core.store.tasks.insert(
      makeTask({
        kie_task_id: kieId,
        kind: kinds[i % kinds.length] ?? 'add-instrumental',
        title: `Fuzz ${i}`,
      }),
    );
    return kieId;
  });
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'stemhook-fuzz-'));
  // KIE is a closed loopback port: nothing here may reach the network, and downloads stay queued.
  const config = closedKieConfig(dataDir, KEY);
  core = await createCore({ config, log: () => undefined });
  await core.downloader.stop();
  await core.reconciler.stop();
  protectedIds = insertTasks(10, ['add-instrumental', 'split_stem', 'separate_vocal']);
  openIds = insertTasks(10, ['add-instrumental', 'split_stem', 'separate_vocal']);
  before = snapshot(protectedIds);
  const next = createFuzzer(createRandom(SEED), core.receiver.path, protectedIds, openIds);
  cases = Array.from({ length: REQUESTS }, next);
  const origin = core.receiver.callbackUrl.replace(core.receiver.path, '');
  report = await runLoad({
    origin,
    connections: 16,
    keepAnswers: true,
    next: (worker, index) => cases[index * 16 + worker] ?? null,
  });
}, 120_000);

afterAll(async () => {
  await core?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe(`receiver fuzz (${REQUESTS} requests, seed ${SEED})`, () => {
  it('answers every request, never with 5xx, only with the statuses the receiver documents', () => {
    expect(report.count).toBe(REQUESTS);
    expect(report.answers.filter((a) => a.error !== null)).toEqual([]);
    expect(Object.keys(report.statuses).map(Number).sort()).toEqual(expect.arrayContaining([200, 401]));
    for (const status of Object.keys(report.statuses).map(Number))
      // 409: a valid signature reused with a mutated body; 429: an unverified source over its limit.
      expect([200, 400, 401, 404, 405, 409, 415, 429]).toContain(status);
  });

  it('refuses every forged and cross-signed request with 401', () => {
    const refused = report.answers.filter((a) =>
      ['forged', 'cross'].includes(cases[a.index * 16 + a.worker]?.kind ?? ''),
    );
    expect(refused.length).toBeGreaterThan(REQUESTS * 0.3);
    expect(refused.filter((a) => a.status !== 401)).toEqual([]);
  });

  it('records every POST to the route in the inbox, and nothing else', () => {
    const posted = cases.filter((c) => c.isRoutePost).length;
    expect(
      withRawConnection(storeFileIn(dataDir), (db) =>
        db.prepare('SELECT COUNT(*) AS n FROM callbacks').get(),
      ),
    ).toEqual({ n: posted });
  });

  it('lets no forged request change a task, while genuine ones still applied', () => {
    expect(snapshot(protectedIds)).toBe(before);
    const moved = openIds
      .map((id) => core.store.tasks.getByKieId(id)?.state)
      .filter((s) => s !== 'submitted');
    expect(moved.length).toBeGreaterThan(0);
  });

  it('leaves a consistent database and a receiver that still works', async () => {
    withRawConnection(storeFileIn(dataDir), (db) => {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('foreign_key_check')).toEqual([]);
    });
    const [fresh] = insertTasks(1, ['add-instrumental']);
    const body = JSON.stringify({ ...F.MUSIC_TEXT, data: { ...F.MUSIC_TEXT.data, task_id: fresh } });
    const ts = Math.floor(Date.now() / 1000);
    const res = await fetch(core.receiver.callbackUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-webhook-timestamp': String(ts),
        'x-webhook-signature': signKieCallback(KEY, fresh ?? '', ts),
      },
      body,
    });
    expect(res.status).toBe(200);
    expect(core.store.tasks.getByKieId(fresh ?? '')?.state).toBe('text');
  });
});
