// Security end to end: the receiver port (all the tunnel exposes) answers nothing but the callback
// route, and a signed callback cannot aim the downloader at the user's network.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { WebSocket } from 'ws';
import type { TaskView } from '../../shared/domain.ts';
import { readHostConfig } from '../../electron/core/host/config.ts';
import { createCore, type Core } from '../../electron/core/host/core.ts';
import { startServe } from '../../electron/core/host/serve.ts';
import { applyEvent } from '../../electron/core/pipeline/apply-event.ts';
import { musicEventFromRecordInfo } from '../../shared/kie/record-info.ts';
import { closedKieConfig } from '../helpers/live-core.ts';
import { makeTask, newKieTaskId } from '../helpers/task.ts';

function send(
  url: string,
  method: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the receiver port, which the tunnel exposes', () => {
  let host: Awaited<ReturnType<typeof startServe>>;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'stemhook-sec-port-'));
    host = await startServe(
      readHostConfig({
        STEMHOOK_DATA_DIR: dataDir,
        STEMHOOK_DEMO_AUDIO_SECONDS: '1',
        STEMHOOK_DEMO_STAGE_MS: '50',
      }),
      { log: () => undefined },
    );
  });
  afterAll(async () => {
    await host?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves no UI, API, event stream or upload route, whatever the method, token or origin', async () => {
    const base = host.core.receiver.callbackUrl.replace(host.core.receiver.path, '');
    const auth = { authorization: `Bearer ${host.token}`, origin: base };
    for (const path of [
      '/',
      '/index.html',
      '/assets/index.js',
      '/api/call/host.status',
      `/api/events?token=${host.token}`,
      '/api/files?name=a.mp3',
      '/favicon.ico',
    ]) {
      for (const method of ['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'DELETE']) {
        const res = await send(`${base}${path}`, method, auth);
        expect(res.status, `${method} ${path}`).toBe(404);
        expect(res.headers['access-control-allow-origin'], `${method} ${path}`).toBeUndefined();
      }
    }
    // The same requests on the local API port do answer, so the 404s above are not an accident.
    expect(
      (await send(`${host.api.apiUrl}/call/host.status`, 'POST', { authorization: `Bearer ${host.token}` }))
        .status,
    ).toBe(200);
  });

  it('answers only POST on the callback route itself, and opens no WebSocket', async () => {
    for (const method of ['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']) {
      expect((await send(host.core.receiver.callbackUrl, method)).status, method).toBe(405);
    }
    const wsUrl = host.core.receiver.callbackUrl
      .replace(host.core.receiver.path, '/api/events')
      .replace('http', 'ws');
    const outcome = await new Promise<string>((resolve) => {
      const ws = new WebSocket(`${wsUrl}?token=${host.token}`);
      ws.on('open', () => resolve('opened'));
      ws.on('error', (error) => resolve(error.message));
    });
    expect(outcome).toMatch(/404/);
  });
});

describe('download guard through the host', () => {
  const KEY = 'sec-guard-hmac-key';
  let core: Core | null = null;
  let dataDir = '';
  let redirector: Server;
  let redirectorHits = 0;
  let redirectorUrl = '';

  beforeAll(async () => {
    redirector = createServer((_req, res) => {
      redirectorHits++;
      res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/iam/security-credentials/' });
      res.end();
    });
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
    redirectorUrl = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => redirector.close(resolve));
  });
  afterEach(async () => {
    await core?.close();
    core = null;
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** A live host (KIE on a closed port) with one task, fed one record-info answer announcing `urls`. */
  async function announce(urls: string[], allowLoopbackDownloads: boolean): Promise<TaskView> {
    dataDir = mkdtempSync(join(tmpdir(), 'stemhook-sec-guard-'));
    const config = closedKieConfig(dataDir, KEY, { allowLoopbackDownloads });
    core = await createCore({ config, log: () => undefined, download: { timeoutMs: 2000, maxAttempts: 1 } });
    const kieId = newKieTaskId();
    const id = randomUUID();
    core.store.tasks.insert(makeTask({ id, kie_task_id: kieId, title: 'Guard' }));
    // Only record-info may announce result URLs (a callback's are never taken), so the links
    // arrive the way a record-info answer brings them.
    const sunoData = urls.map((audioUrl, n) => ({
      id: `guard-${n}`,
      audioUrl,
      sourceAudioUrl: audioUrl,
      title: `Take ${n}`,
      duration: 10,
    }));
    const task = core.store.tasks.get(id);
    if (!task) throw new Error('task missing');
    const answer = { taskId: kieId, status: 'SUCCESS', response: { taskId: kieId, sunoData } };
    core.store.transaction(() =>
      applyEvent(core?.store as Core['store'], {
        task,
        event: musicEventFromRecordInfo(answer),
        source: 'record-info',
        at: Date.now(),
      }),
    );
    core.downloader.kick();
    for (let i = 0; i < 200; i++) {
      const task = await core.handlers['tasks.get']({ id });
      if (
        task.tracks.length === urls.length &&
        task.tracks.every((t) => t.state === 'error' || t.state === 'ready')
      )
        return task;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('tracks did not settle');
  }

  it('refuses private, link-local, loopback, plain-http and non-http links before connecting', async () => {
    const task = await announce(
      [
        `${redirectorUrl}/a.mp3`,
        'http://10.0.0.1/x.mp3',
        'https://192.168.1.20/x.mp3',
        'http://169.254.169.254/latest/meta-data/',
        'http://93.184.216.34/x.mp3',
        'file:///etc/passwd',
      ],
      false,
    );
    const reasons = task.tracks.map((t) => [t.state, t.error]);
    expect(reasons).toEqual([
      ['error', expect.stringMatching(/Refused.*127\.0\.0\.1 is a loopback/)],
      ['error', expect.stringMatching(/Refused.*10\.0\.0\.1 is a private-network address/)],
      ['error', expect.stringMatching(/Refused.*192\.168\.1\.20 is a private-network address/)],
      ['error', expect.stringMatching(/Refused.*169\.254\.169\.254 is a link-local address/)],
      ['error', expect.stringMatching(/Refused.*only https links/)],
      ['error', expect.stringMatching(/Refused.*only https links are downloaded \(got file:\)/)],
    ]);
    expect(redirectorHits).toBe(0);
  });

  it('with the loopback test flag: a private link is still refused, and so is a redirect to the metadata service', async () => {
    const task = await announce([`${redirectorUrl}/to-metadata.mp3`, 'http://10.0.0.1/x.mp3'], true);
    expect(task.tracks.map((t) => [t.state, t.error])).toEqual([
      ['error', expect.stringMatching(/Refused.*169\.254\.169\.254 is a link-local address/)],
      ['error', expect.stringMatching(/Refused.*10\.0\.0\.1 is a private-network address/)],
    ]);
    expect(redirectorHits).toBe(1);
  });
});
