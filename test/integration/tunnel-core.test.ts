// The tunnel wired into a real core (live mode, KIE simulator) through a fake forwarder: callback
// URLs are computed at submit time, and a task submitted while the public URL was different (here:
// dead) still completes after the tunnel comes back with a new URL.
import { afterEach, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { EventName } from '../../shared/api.ts';
import { startHostTunnel } from '../../electron/core/tunnel/host-tunnel.ts';
import type { ForwardedListener, Forwarder, Tunnel } from '../../electron/core/tunnel/tunnel.ts';
import { isSettled, startLiveCore, type LiveCore } from '../helpers/live-core.ts';
import { writeToneMp3 } from '../helpers/tone-mp3.ts';

let live: LiveCore | null = null;
let tunnel: Tunnel | null = null;
afterEach(async () => {
  await tunnel?.close();
  await live?.close();
  tunnel = live = null;
});

async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 1}`;
}

/** Hands out the given URLs one per forward() call, as ngrok would after each reconnect. */
function forwarderFor(urls: string[]): Forwarder & { ports: number[] } {
  const ports: number[] = [];
  return {
    ports,
    async forward({ addr }): Promise<ForwardedListener> {
      ports.push(addr);
      const url = urls.shift() ?? null;
      return { url: () => url, close: async () => undefined };
    },
  };
}

async function until<T>(read: () => Promise<T | null | undefined | false>, what: string): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const value = await read();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`never happened: ${what}`);
}

describe('tunnel + core', () => {
  it('completes a task submitted under an old (dead) public URL after the tunnel reconnects with a new one', async () => {
    live = await startLiveCore({}, { callbacks: false });
    const core = live.core;
    const receiverBase = core.receiver.callbackUrl.replace(core.receiver.path, '');
    const forwarder = forwarderFor([await deadUrl(), receiverBase]);
    const hostEvents: EventName[] = [];
    core.events.onAny((name) => hostEvents.push(name));

    tunnel = await startHostTunnel(core, {
      forwarder,
      settings: { authtoken: 'test-token' },
      log: () => undefined,
    });
    const online = await until(async () => {
      const status = await core.handlers['host.status']({});
      return status.tunnel.state === 'online' && status;
    }, 'first tunnel online');
    expect(forwarder.ports).toEqual([core.receiver.port]);
    expect(online.pollingOnly).toBe(false);

    const vocal = await writeToneMp3(join(live.dataDir, 'vox.mp3'), { seconds: 1 });
    const input = {
      kind: 'add-instrumental' as const,
      source: { path: vocal },
      title: 'Harbor',
      tags: 'folk',
      negativeTags: 'edm',
    };
    const early = await core.handlers['tasks.submit'](input);
    expect(core.store.tasks.get(early.id)?.callback_url).toBe(
      `${online.publicUrl}${core.receiver.path}?sid=${early.id}`,
    );

    tunnel?.reconnect();
    await until(
      async () => (await core.handlers['host.status']({})).publicUrl === receiverBase && true,
      'second tunnel online',
    );
    const late = await core.handlers['tasks.submit']({ ...input, title: 'Harbor 2' });
    expect(core.store.tasks.get(late.id)?.callback_url).toBe(
      `${receiverBase}${core.receiver.path}?sid=${late.id}`,
    );

    const doneEarly = await live.waitFor(early.id, isSettled);
    const doneLate = await live.waitFor(late.id, isSettled);
    expect([doneEarly.state, doneLate.state]).toEqual(['complete', 'complete']);
    expect(doneEarly.tracks.every((t) => t.state === 'ready')).toBe(true);
    const lateCallbacks = await core.handlers['callbacks.list']({ taskId: late.id });
    expect(lateCallbacks.length).toBeGreaterThan(0);
    expect(await core.handlers['callbacks.list']({ taskId: early.id })).toEqual([]);
    expect(hostEvents).toContain('host.changed');
  });

  it('polls only, and says so, when the tunnel cannot come up', async () => {
    live = await startLiveCore({}, { callbacks: false });
    const core = live.core;
    const logs: string[] = [];
    const forwarder: Forwarder = {
      forward: async () =>
        Promise.reject(
          Object.assign(new Error('failed to start tunnel, error_code: ERR_NGROK_108'), {
            errorCode: 'ERR_NGROK_108',
          }),
        ),
    };
    tunnel = await startHostTunnel(core, {
      forwarder,
      settings: { authtoken: 'test-token' },
      log: (l) => logs.push(l),
      retryBaseMs: 60_000,
    });
    const status = await until(async () => {
      const s = await core.handlers['host.status']({});
      return s.tunnel.state === 'offline' && s;
    }, 'offline');
    expect(status).toMatchObject({ publicUrl: null, pollingOnly: true });
    expect(status.tunnel.reason).toMatch(/another ngrok agent already uses this account/);
    expect(logs.some((l) => /^Tunnel offline \(.*\); polling KIE instead\.$/.test(l))).toBe(true);
    const task = await live.submitTake('Poll');
    expect((await live.waitFor(task.id, isSettled)).state).toBe('complete');
  });

  it('opens no tunnel for a manual public URL or without a token, and says polling only', async () => {
    live = await startLiveCore({}, { callbacks: false });
    const logs: string[] = [];
    const forwarder = forwarderFor(['https://never.example']);
    expect(
      await startHostTunnel(live.core, {
        forwarder,
        settings: { authtoken: 't', publicUrl: 'https://me.example' },
        log: (l) => logs.push(l),
      }),
    ).toBeNull();
    expect(await startHostTunnel(live.core, { forwarder, log: (l) => logs.push(l) })).toBeNull();
    expect(forwarder.ports).toEqual([]);
    expect(logs).toEqual([
      'Callbacks go to the public URL https://me.example',
      expect.stringMatching(/^No public URL .*polling only/),
    ]);
  });
});
