// A callback burst against the real core: 1,000 signed callbacks for 100 tasks (every stage sent
// several times, as KIE's retries do) from 50 concurrent keep-alive connections. Every one is
// acknowledged within KIE's 15 s limit and every stage is applied exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, type Core } from '../../electron/core/host/core.ts';
import { processCallbacks, type IncomingCallback } from '../../electron/core/receiver/process-callback.ts';
import type { Store } from '../../electron/core/store/index.ts';
import * as F from '../fixtures/kie-callbacks.ts';
import {
  musicStageBodies,
  runLoad,
  signedCallback,
  type LoadReport,
  type LoadRequest,
} from '../helpers/load.ts';
import { createTempStore, insertTestTask } from '../helpers/temp-store.ts';
import { storeFileIn, withRawConnection } from '../helpers/raw-sql.ts';
import { closedKieConfig } from '../helpers/live-core.ts';
import { makeTask, newKieTaskId } from '../helpers/task.ts';

const KEY = 'burst-hmac-key';
const TASKS = 100;
const SPLITS = 20;
const CONNECTIONS = 50;
const PER_TASK = 10;
/** KIE gives up on a callback that is not answered within 15 s (kie-api.md §1.4). */
const KIE_ACK_LIMIT_MS = 15_000;

let core: Core;
let dataDir: string;
let report: LoadReport;
const tasks: Array<{
  kieId: string;
  kind: 'add-instrumental' | 'split_stem';
  bodies: Array<Record<string, unknown>>;
}> = [];

/**
 * KIE signs `taskId.timestamp`, and a signature pair vouches for one body, so each stage is sent
 * with its own second as KIE's (seconds-apart) stages are; retries of a stage reuse its pair.
 */
function secondsBefore(body: Record<string, unknown>): number {
  const stage = (body.data as { callbackType?: string } | undefined)?.callbackType;
  return stage === 'text' ? 2 : stage === 'first' ? 1 : 0;
}

/** Ten deliveries per task, in KIE's order, each stage repeated as a retrying sender would. */
function deliveries(bodies: Array<Record<string, unknown>>): Array<Record<string, unknown>> {
  return Array.from(
    { length: PER_TASK },
    (_, i) => bodies[Math.min(bodies.length - 1, Math.floor((i * bodies.length) / PER_TASK))] ?? {},
  );
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'stemhook-burst-'));
  const config = closedKieConfig(dataDir, KEY);
  core = await createCore({ config, log: () => undefined });
  // Downloads and polls are not under test; the URLs point nowhere.
  await core.downloader.stop();
  await core.reconciler.stop();
  for (let i = 0; i < TASKS; i++) {
    const kieId = newKieTaskId();
    const kind = i < SPLITS ? 'split_stem' : 'add-instrumental';
    core.store.tasks.insert(makeTask({ kie_task_id: kieId, kind, title: `Burst ${i}` }));
    const bodies =
      kind === 'split_stem'
        ? [{ ...F.SPLIT_STEM_SUCCESS, data: { ...F.SPLIT_STEM_SUCCESS.data, task_id: kieId } }]
        : musicStageBodies(kieId);
    tasks.push({ kieId, kind, bodies });
  }
  // Each connection carries two tasks, interleaved, so a task's stages stay in KIE's order.
  const queues: LoadRequest[][] = Array.from({ length: CONNECTIONS }, (_, worker) => {
    const mine = tasks.filter((_, i) => i % CONNECTIONS === worker).map((t) => deliveries(t.bodies));
    return Array.from(
      { length: PER_TASK * mine.length },
      (_, n) => mine[n % mine.length]?.[Math.floor(n / mine.length)] ?? {},
    ).map((body) => signedCallback(core.receiver.path, body, KEY, Date.now() - 1000 * secondsBefore(body)));
  });
  const origin = core.receiver.callbackUrl.replace(core.receiver.path, '');
  report = await runLoad({
    origin,
    connections: CONNECTIONS,
    keepAnswers: true,
    next: (worker, index) => queues[worker]?.[index] ?? null,
  });
}, 120_000);

afterAll(async () => {
  await core?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe(`burst: ${TASKS * PER_TASK} callbacks, ${TASKS} tasks, ${CONNECTIONS} connections`, () => {
  it('acknowledges every callback with 200 within KIE’s 15 s limit', () => {
    expect(report.count).toBe(TASKS * PER_TASK);
    expect(report.errors).toBe(0);
    expect(report.statuses).toEqual({ 200: TASKS * PER_TASK });
    expect(report.latenciesMs.at(-1)).toBeLessThan(KIE_ACK_LIMIT_MS);
  });

  it('applies every stage exactly once and records every delivery', () =>
    withRawConnection(storeFileIn(dataDir), (db) => {
      for (const task of tasks) {
        const view = core.store.tasks.view(task.kieId);
        expect(view?.state).toBe(task.kind === 'split_stem' ? 'submitted' : 'first');
        // Callbacks show the live stages; completion and tracks wait for record-info (not polled here).
        const expected = task.kind === 'split_stem' ? ['submitted'] : ['submitted', 'text', 'first'];
        expect(view?.stages.map((s) => s.name)).toEqual(expected);
        const rows = db
          .prepare(
            `SELECT is_duplicate AS dup, COUNT(*) AS n FROM callbacks WHERE kie_task_id = ? AND verdict = 'valid' GROUP BY is_duplicate ORDER BY dup`,
          )
          .all(task.kieId);
        expect(rows).toEqual([
          { dup: 0, n: task.bodies.length },
          { dup: 1, n: PER_TASK - task.bodies.length },
        ]);
        expect(view?.tracks).toEqual([]);
      }
      expect(db.prepare(`SELECT COUNT(*) AS n FROM downloads`).get()).toEqual({ n: 0 });
      expect(db.prepare(`SELECT COUNT(*) AS n FROM callbacks`).get()).toEqual({ n: TASKS * PER_TASK });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    }));
});

describe('group commit (callbacks of one event-loop turn share a transaction)', () => {
  const incoming = (body: Record<string, unknown>): IncomingCallback => {
    const request = signedCallback('/kie/x', body, KEY, Date.now() - 1000 * secondsBefore(body));
    return { headers: request.headers ?? {}, body: Buffer.from(request.body ?? ''), isTruncated: false };
  };

  it('records a batch in order with duplicates seen inside it, and isolates a callback the store cannot take', () => {
    const temp = createTempStore();
    try {
      const [a, b] = [insertTestTask(temp.store), insertTestTask(temp.store)];
      const [aText, aFirst] = musicStageBodies(a.kie_task_id);
      const [bText] = musicStageBodies(b.kie_task_id);
      const poison = { ...(aFirst ?? {}), msg: 'poison' };
      const insert = temp.store.callbacks.insert;
      // A store that fails on one row, as a full disk or a constraint would.
      const store: Store = {
        ...temp.store,
        callbacks: {
          ...temp.store.callbacks,
          insert: (row) =>
            row.body.includes('poison')
              ? (() => {
                  throw new Error('disk I/O error');
                })()
              : insert(row),
        },
      };
      const outcomes = processCallbacks(
        store,
        [aText, poison, bText, aText, aFirst].map((body) => incoming(body ?? {})),
        KEY,
        Date.now(),
      );
      expect(outcomes.map((o) => (o instanceof Error ? o.message : o.message))).toEqual([
        'received',
        'disk I/O error',
        'received',
        'duplicate, already applied',
        'received',
      ]);
      expect(temp.store.tasks.get(a.id)?.state).toBe('first');
      expect(temp.store.tasks.get(b.id)?.state).toBe('text');
      expect(temp.store.callbacks.list({ limit: 10 }).map((r) => [r.kie_task_id, r.is_duplicate])).toEqual([
        [a.kie_task_id, 0],
        [a.kie_task_id, 1],
        [b.kie_task_id, 0],
        [a.kie_task_id, 0],
      ]);
    } finally {
      temp.cleanup();
    }
  });
});
