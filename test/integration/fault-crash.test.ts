// `stemhook serve` in live mode, SIGKILLed in the middle of a callback burst and in the middle of
// downloads, then restarted on the same data dir against the same simulator process: every task
// completes, every acknowledged callback is in the inbox, no row is duplicated, no .part file stays.
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TaskView } from '../../shared/domain.ts';
import { cleanEnv, startServeProcess, stopProcess, type ServeProcess } from '../helpers/cli.ts';
import { startSimulatorProcess, type SimulatorProcess } from '../helpers/simulator-process.ts';
import { writeToneMp3 } from '../helpers/tone-mp3.ts';

const HMAC_KEY = 'crash-test-hmac-key';
const PUBLIC_URL = 'https://stemhook-crash-test.invalid';

let sim: SimulatorProcess | null = null;
let serve: ServeProcess | null = null;
let dataDir = '';
afterEach(async () => {
  if (serve) await stopProcess(serve.child, 'SIGKILL');
  await sim?.close();
  rmSync(dataDir, { recursive: true, force: true });
  serve = null;
  sim = null;
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function call<T>(method: string, input: unknown = {}): Promise<T> {
  if (!serve) throw new Error('no host');
  const res = await fetch(`${serve.hostFile.apiUrl}/call/${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${serve.hostFile.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  const body = (await res.json()) as { ok: boolean; value?: T; error?: { message: string } };
  if (!body.ok) throw new Error(`${method}: ${body.error?.message}`);
  return body.value as T;
}

/** A live host whose callbacks reach it through the simulator's stand-in for the ngrok tunnel. */
async function setUp(simOptions: Record<string, unknown>): Promise<NodeJS.ProcessEnv> {
  dataDir = mkdtempSync(join(tmpdir(), 'stemhook-crash-'));
  const port = await freePort();
  sim = await startSimulatorProcess({
    hmacKey: HMAC_KEY,
    audioDurationSec: 1,
    callbackTunnel: { publicUrl: PUBLIC_URL, localUrl: `http://127.0.0.1:${port}` },
    ...simOptions,
  });
  const env = cleanEnv({
    STEMHOOK_DATA_DIR: dataDir,
    KIE_API_KEY: sim.apiKey,
    KIE_BASE_URL: sim.apiUrl,
    KIE_UPLOAD_BASE_URL: sim.uploadUrl,
    KIE_WEBHOOK_HMAC_KEY: HMAC_KEY,
    STEMHOOK_PUBLIC_URL: PUBLIC_URL,
    STEMHOOK_RECEIVER_PORT: String(port),
    STEMHOOK_ALLOW_LOOPBACK_DOWNLOADS: '1',
  });
  serve = await startServeProcess(env, dataDir);
  return env;
}

async function submitMany(count: number): Promise<TaskView[]> {
  const path = await writeToneMp3(join(dataDir, 'vocal.mp3'), { seconds: 1 });
  const input = {
    kind: 'add-instrumental',
    source: { path },
    title: 'Harbor',
    tags: 'folk',
    negativeTags: '',
  };
  return Promise.all(Array.from({ length: count }, () => call<TaskView>('tasks.submit', input)));
}

async function until<T>(read: () => Promise<T>, isDone: (value: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const value = await read();
    if (isDone(value)) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function partFiles(): string[] {
  const dir = join(dataDir, 'library');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.part'))
    .map((e) => join(e.parentPath, e.name));
}

const isAllDone = (tasks: TaskView[]): boolean =>
  tasks.every(
    (t) => t.state === 'complete' && t.tracks.length === 2 && t.tracks.every((k) => k.state === 'ready'),
  );

/** Restarts on the same data dir, waits for every task, then stops cleanly and checks the database itself. */
async function restartAndSettle(env: NodeJS.ProcessEnv, ids: string[]): Promise<TaskView[]> {
  serve = await startServeProcess(env, dataDir);
  const tasks = await until(
    () => Promise.all(ids.map((id) => call<TaskView>('tasks.get', { id }))),
    isAllDone,
    'every task after the restart',
  );
  for (const task of tasks) {
    expect(new Set(task.stages.map((s) => s.name)).size).toBe(task.stages.length);
    expect(new Set(task.tracks.map((t) => t.audioId)).size).toBe(2);
  }
  expect(partFiles()).toEqual([]);
  expect(await stopProcess(serve.child, 'SIGTERM')).toBe(0);
  serve = null;
  const db = new Database(join(dataDir, 'stemhook.db'), { readonly: true });
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.prepare(`SELECT COUNT(*) AS n FROM tracks`).get()).toEqual({ n: ids.length * 2 });
    expect(db.prepare(`SELECT state, COUNT(*) AS n FROM downloads GROUP BY state`).all()).toEqual([
      { state: 'done', n: ids.length * 2 },
    ]);
    expect(db.prepare(`SELECT COUNT(*) AS n FROM tasks`).get()).toEqual({ n: ids.length });
  } finally {
    db.close();
  }
  return tasks;
}

describe('SIGKILL of the host, then restart on the same data dir', () => {
  it('during a callback burst: every acknowledged callback was kept, every task completes once', async () => {
    const env = await setUp({ stageDelayMs: 150, duplicateCallbacks: 10, callbackRetryDelayMs: 100 });
    const tasks = await submitMany(6);
    await until(
      () => sim!.callbackLog(),
      (log) => log.filter((e) => e.status === 200).length >= 40,
      'the burst',
    );
    await stopProcess(serve!.child, 'SIGKILL');
    serve = null;
    // Deliveries to the dead port are retried by the simulator; what still misses, polling on start recovers.
    await restartAndSettle(
      env,
      tasks.map((t) => t.id),
    );
    await sim!.idle();
    const log = await sim!.callbackLog();
    expect(log.some((e) => e.status === null)).toBe(true);
    const db = new Database(join(dataDir, 'stemhook.db'), { readonly: true });
    try {
      const kept = db
        .prepare(
          `SELECT kie_task_id AS id, COUNT(*) AS n FROM callbacks WHERE verdict = 'valid' GROUP BY kie_task_id`,
        )
        .all() as Array<{ id: string; n: number }>;
      const keptBy = new Map(kept.map((row) => [row.id, row.n]));
      for (const task of tasks) {
        const acknowledged = log.filter((e) => e.taskId === task.kieTaskId && e.status === 200).length;
        expect(acknowledged).toBeGreaterThan(0);
        expect(keptBy.get(task.kieTaskId) ?? 0).toBeGreaterThanOrEqual(acknowledged);
      }
      const applied = db
        .prepare(
          `SELECT COUNT(*) AS n FROM callbacks WHERE verdict = 'valid' AND is_duplicate = 0 AND http_status = 200`,
        )
        .get() as { n: number };
      expect(applied.n).toBeLessThanOrEqual(tasks.length * 3);
    } finally {
      db.close();
    }
  });

  it('during downloads: interrupted .part files are discarded and every file arrives whole', async () => {
    const env = await setUp({ stageDelayMs: 30, fileBytesPerSecond: 6000 });
    const tasks = await submitMany(3);
    await until(
      async () => (await call<TaskView[]>('tasks.list', {})).flatMap((t) => t.tracks),
      (tracks) => tracks.filter((t) => t.state === 'downloading').length >= 2,
      'downloads to start',
    );
    await until(
      async () => partFiles(),
      (parts) => parts.some((p) => statSync(p, { throwIfNoEntry: false })?.size),
      'bytes on disk',
    );
    await stopProcess(serve!.child, 'SIGKILL');
    serve = null;
    expect(partFiles().length).toBeGreaterThan(0);
    await sim!.setOptions({ fileBytesPerSecond: 0 });

    const done = await restartAndSettle(
      env,
      tasks.map((t) => t.id),
    );
    for (const track of done.flatMap((t) => t.tracks)) expect(track.sampleCount).toBeGreaterThan(40_000);
  });
});
