// Secrets never leave the process: `stemhook serve` in live mode with distinctive KIE, webhook and
// ngrok secrets drives real tasks (and failures that echo the key back) against the simulator, then
// every byte it produced is searched: output, database, host.json, library, API answers, inspector,
// exported provenance.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TaskView } from '../../shared/domain.ts';
import { cleanEnv, runCli, startServeProcess, stopProcess, type ServeProcess } from '../helpers/cli.ts';
import { startSimulatorProcess, type SimulatorProcess } from '../helpers/simulator-process.ts';
import { writeToneMp3 } from '../helpers/tone-mp3.ts';

const SECRETS = {
  KIE_API_KEY: 'kie-SECRET-api-7f3a9c21e4b8d650',
  KIE_WEBHOOK_HMAC_KEY: 'kie-SECRET-hmac-2b81f0c9d7e4a356',
  NGROK_AUTHTOKEN: 'ngrok-SECRET-token-9e4d2a7c1b0f8365',
};
const PUBLIC_URL = 'https://stemhook-secrets-test.invalid';

let sim: SimulatorProcess;
let serve: ServeProcess | null = null;
let dataDir: string;
let env: NodeJS.ProcessEnv;
/** Everything the host said or wrote, by where it came from. */
const seen = new Map<string, Buffer>();

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function call(
  method: string,
  input: unknown = {},
): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }> {
  const res = await fetch(`${serve?.hostFile.apiUrl}/call/${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${serve?.hostFile.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  const text = await res.text();
  seen.set(`api ${method} ${seen.size}`, Buffer.from(text));
  return JSON.parse(text) as { ok: boolean; value?: unknown; error?: { code: string; message: string } };
}

async function settled(id: string): Promise<TaskView> {
  for (let i = 0; i < 400; i++) {
    const task = (await call('tasks.get', { id })).value as TaskView;
    if (task.state === 'complete' && task.tracks.every((t) => t.state === 'ready')) return task;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`task ${id} did not complete`);
}

function collectFiles(dir: string, label: string): void {
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile())
      seen.set(
        `${label} ${join(entry.parentPath, entry.name)}`,
        readFileSync(join(entry.parentPath, entry.name)),
      );
  }
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'stemhook-secrets-'));
  const port = await freePort();
  sim = await startSimulatorProcess({
    apiKey: SECRETS.KIE_API_KEY,
    hmacKey: SECRETS.KIE_WEBHOOK_HMAC_KEY,
    audioDurationSec: 1,
    stageDelayMs: 30,
    callbackTunnel: { publicUrl: PUBLIC_URL, localUrl: `http://127.0.0.1:${port}` },
  });
  // A public URL is set, so serve opens no ngrok tunnel (nothing leaves the machine), yet it holds the token.
  env = cleanEnv({
    STEMHOOK_DATA_DIR: dataDir,
    KIE_BASE_URL: sim.apiUrl,
    KIE_UPLOAD_BASE_URL: sim.uploadUrl,
    STEMHOOK_PUBLIC_URL: PUBLIC_URL,
    STEMHOOK_RECEIVER_PORT: String(port),
    STEMHOOK_ALLOW_LOOPBACK_DOWNLOADS: '1',
    ...SECRETS,
  });
  serve = await startServeProcess(env, dataDir);
  seen.set('host.json', readFileSync(join(dataDir, 'host.json')));

  const source = await writeToneMp3(join(dataDir, 'vocal take.mp3'), { seconds: 1 });
  const submitTake = (title: string) =>
    call('tasks.submit', {
      kind: 'add-instrumental',
      source: { path: source },
      title,
      tags: 'folk',
      negativeTags: '',
    });
  const take = await settled(((await submitTake('Secret Harbor')).value as TaskView).id);
  const split = await settled(
    (
      (
        await call('tasks.submit', {
          kind: 'separate_vocal',
          from: { taskId: take.id, audioId: take.tracks[0]?.audioId },
        })
      ).value as TaskView
    ).id,
  );
  // KIE (or a proxy) echoing the key back in an error must not carry it any further.
  await sim.failNextRequest({});
  await sim.failNextRequest({ code: 401, msg: `Invalid API key ${SECRETS.KIE_API_KEY}` });
  expect((await submitTake('Denied')).error?.code).toBe('auth');
  await sim.failNextRequest({});
  await sim.failNextRequest({
    httpStatus: 502,
    body: `<html><title>Bad Gateway ${SECRETS.KIE_API_KEY}</title><body>Authorization: Bearer ${SECRETS.KIE_API_KEY}</body></html>`,
  });
  expect((await submitTake('Proxy')).error?.code).toBe('server');
  await sim.failNextRequest({ code: 401, msg: `key ${SECRETS.KIE_API_KEY} is not valid` });
  expect((await call('credits.get')).error?.code).toBe('auth');
  for (const method of ['tasks.list', 'host.status', 'settings.get', 'callbacks.list'])
    await call(method, method === 'callbacks.list' ? { limit: 500 } : {});
  const exportDir = join(dataDir, 'exports');
  expect(
    (
      await call('export.run', {
        taskId: split.id,
        outDir: join(exportDir, 'split'),
        sessions: ['rpp', 'dawproject'],
        mixdown: 'unity',
      })
    ).ok,
  ).toBe(true);
  for (const args of [
    ['serve'],
    ['status'],
    ['show', take.id],
    ['submit', 'add-instrumental', join(dataDir, 'missing.mp3'), '--title', 'x', '--tags', 'y'],
  ]) {
    const run = await runCli(args, env, 30_000);
    seen.set(`stemhook ${args[0]}`, Buffer.from(run.stdout + run.stderr));
  }
  expect(await stopProcess(serve.child, 'SIGTERM')).toBe(0);
  seen.set('serve output', Buffer.from(serve.output()));
  serve = null;
  collectFiles(dataDir, 'file');
}, 120_000);

afterAll(async () => {
  if (serve) await stopProcess(serve.child, 'SIGKILL');
  await sim?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('secrets never leave the process', () => {
  it('searched a real run: output, database, host.json, library, API answers, inspector and export', () => {
    const labels = [...seen.keys()].join('\n');
    for (const expected of [
      /host\.json/,
      /stemhook\.db/,
      /provenance\.json/,
      /\.mp3$/m,
      /api callbacks\.list/,
      /serve output/,
    ])
      expect(labels).toMatch(expected);
    expect(seen.get('stemhook serve')?.toString()).toMatch(/already using/);
    // The search itself works: a non-secret string the run stored is found where it should be.
    const found = [...seen.entries()]
      .filter(([, bytes]) => bytes.includes(Buffer.from('Secret Harbor')))
      .map(([label]) => label);
    expect(found.some((label) => /stemhook\.db/.test(label))).toBe(true);
    expect(found.some((label) => label.endsWith('provenance.json'))).toBe(true);
    expect(
      [...seen.entries()].find(([label]) => label.startsWith('api callbacks.list'))?.[1].toString(),
    ).toMatch(/x-webhook-signature/);
  });

  it.each(Object.entries(SECRETS))('%s appears nowhere', (_name, secret) => {
    const needles = [
      Buffer.from(secret),
      Buffer.from(secret, 'utf16le'),
      Buffer.from(Buffer.from(secret).toString('base64')),
    ];
    const leaks = [...seen.entries()]
      .filter(([, bytes]) => needles.some((needle) => bytes.includes(needle)))
      .map(([label]) => label);
    expect(leaks).toEqual([]);
  });

  it('exported provenance carries no receiver path token', () => {
    const token = seen.get('host.json')?.toString() ?? '';
    const provenance = [...seen.entries()].filter(([label]) => label.endsWith('provenance.json'));
    expect(provenance.length).toBeGreaterThan(0);
    const db = [...seen.entries()].find(([label]) => label.endsWith('stemhook.db'))?.[1] ?? Buffer.alloc(0);
    const pathToken = /\/kie\/([A-Za-z0-9_-]{20,})/.exec(db.toString('latin1'))?.[1];
    expect(pathToken).toBeDefined();
    for (const [, bytes] of provenance) {
      expect(bytes.includes(Buffer.from(pathToken ?? 'unset'))).toBe(false);
      expect(bytes.toString()).not.toContain(JSON.parse(token || '{}').token ?? 'unset');
    }
  });
});
