// Browser mode's loopback API: the token, origin and Host checks, the contract over HTTP, events
// over WebSocket, and that the receiver port answers nothing but the callback route.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { WebSocket } from 'ws';
import { startDemoServe, type DemoServe, type ServeHost } from '../helpers/demo-serve.ts';

let demo: DemoServe;
let host: ServeHost;

beforeAll(async () => {
  demo = await startDemoServe('stemhook-api-');
  host = demo.host;
});

afterAll(async () => {
  await demo?.close();
});

function post(
  url: string,
  headers: Record<string, string>,
  body = '{}',
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', headers: { 'content-type': 'application/json', ...headers } },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('local API', () => {
  it('answers the contract with the token', async () => {
    const res = await post(`${host.api.apiUrl}/call/host.status`, { authorization: `Bearer ${host.token}` });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ ok: true, value: { mode: 'demo' } });
  });

  it('refuses a missing or wrong token', async () => {
    expect((await post(`${host.api.apiUrl}/call/host.status`, {})).status).toBe(401);
    expect((await post(`${host.api.apiUrl}/call/host.status`, { authorization: 'Bearer nope' })).status).toBe(
      401,
    );
  });

  it('refuses foreign origins and foreign Host headers (DNS rebinding)', async () => {
    const auth = { authorization: `Bearer ${host.token}` };
    expect(
      (await post(`${host.api.apiUrl}/call/host.status`, { ...auth, origin: 'https://evil.example' })).status,
    ).toBe(403);
    expect(
      (await post(`${host.api.apiUrl}/call/host.status`, { ...auth, host: 'evil.example' })).status,
    ).toBe(403);
  });

  it('answers unknown methods with a clear error, not a crash', async () => {
    const res = await post(`${host.api.apiUrl}/call/tasks.delete_everything`, {
      authorization: `Bearer ${host.token}`,
    });
    expect(res.status).toBe(404);
    const bad = await post(
      `${host.api.apiUrl}/call/tasks.get`,
      { authorization: `Bearer ${host.token}` },
      '{"id":"missing"}',
    );
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('refuses malformed inputs with a plain bad_request, never internal error text', async () => {
    const cases: Array<[string, unknown]> = [
      ['tasks.list', { search: 42 }],
      ['tasks.list', { search: { $gt: '' } }],
      ['tasks.list', { state: 'bogus' }],
      ['tasks.list', { kind: 'opera' }],
      ['tasks.list', { limit: 'all' }],
      ['tasks.list', { limit: 1e9 }],
      ['tasks.list', { offset: -1 }],
      ['tasks.list', null],
      ['tasks.submit', null],
      ['tasks.submit', { kind: 'opera' }],
      ['tasks.submit', { kind: 'add-vocals', source: 'song.mp3' }],
      ['tasks.submit', { kind: 'split_stem', from: { taskId: 1, audioId: [] } }],
      ['tasks.get', { id: ['x'] }],
      ['tasks.get', {}],
      ['tasks.refresh', { id: 7 }],
      ['tasks.retry', { id: null }],
      ['tracks.peaks', { trackId: {} }],
      ['tracks.peaks', { trackId: 'x', pixels: 'wide' }],
      ['callbacks.list', { taskId: 1 }],
      ['callbacks.list', { limit: -5 }],
      ['callbacks.replay', { id: 'one' }],
      ['export.prepareDrag', { trackIds: 'x' }],
      ['settings.update', { publicUrl: 5 }],
      ['settings.update', { preferences: 'dark' }],
      ['settings.update', { preferences: { 'export.dir': 'relative/dir' } }],
      ['settings.update', { preferences: { 'export.dir': '/proc/stemhook-x' } }],
      ['export.plan', { taskId: 'x', outDir: '' }],
    ];
    for (const [method, input] of cases) {
      const res = await post(
        `${host.api.apiUrl}/call/${method}`,
        { authorization: `Bearer ${host.token}` },
        JSON.stringify(input),
      );
      const body = JSON.parse(res.body) as { ok: boolean; error?: { code: string; message: string } };
      expect({ method, input, ...body }).toMatchObject({ ok: false, error: { code: 'bad_request' } });
      expect(body.error?.message).not.toMatch(/TypeError|Unexpected error|undefined|\[object/);
    }
    const settings = await post(`${host.api.apiUrl}/call/settings.get`, {
      authorization: `Bearer ${host.token}`,
    });
    expect(JSON.parse(settings.body)).not.toMatchObject({
      value: { preferences: { 'export.dir': expect.anything() } },
    });
  });

  it('pushes change events over an authenticated WebSocket only', async () => {
    const wsUrl = host.api.apiUrl.replace('http', 'ws');
    const rejected = new WebSocket(`${wsUrl}/events?token=wrong`);
    const rejection = await new Promise<string>((resolve) => {
      rejected.on('error', (e) => resolve(e.message));
      rejected.on('open', () => resolve('opened'));
    });
    expect(rejection).not.toBe('opened');

    const ws = new WebSocket(`${wsUrl}/events?token=${host.token}`);
    await new Promise((resolve) => ws.on('open', resolve));
    const event = new Promise<{ name: string }>((resolve) =>
      ws.on('message', (m) => resolve(JSON.parse(String(m)))),
    );
    host.core.events.emit('host.changed', {});
    expect((await event).name).toBe('host.changed');
    ws.close();
  });

  it('exposes nothing but the callback route on the receiver port', async () => {
    const base = host.core.receiver.callbackUrl.replace(host.core.receiver.path, '');
    for (const path of [
      '/',
      '/api/call/host.status',
      '/index.html',
      '/kie/',
      `${host.core.receiver.path}x`,
    ]) {
      const res = await post(`${base}${path}`, { authorization: `Bearer ${host.token}` });
      expect(res.status, path).toBe(404);
    }
  });

  it('answers malformed paths with 404 and stays up', async () => {
    const get = (path: string) =>
      new Promise<number>((resolve, reject) => {
        request(`${host.api.origin}${path}`, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
          .on('error', reject)
          .end();
      });
    expect(await get('/%E0%A4%A')).toBe(404);
    expect(await get('/..%2F..%2Fetc%2Fpasswd')).toBe(404);
    expect(
      (await post(`${host.api.apiUrl}/call/host.status`, { authorization: `Bearer ${host.token}` })).status,
    ).toBe(200);
  });
});
