// The real @ngrok/ngrok SDK (its native binary ships in the npm package) with a bogus authtoken and
// no way out: it is pointed at a loopback address where no ngrok server answers, so nothing leaves
// the machine. The failure must be reported in plain words, and the app must finish tasks by polling.
import { afterEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import type { HostStatus } from '../../shared/api.ts';
import { startHostTunnel } from '../../electron/core/tunnel/host-tunnel.ts';
import { loadNgrokForwarder, type Tunnel } from '../../electron/core/tunnel/tunnel.ts';
import { isSettled, startLiveCore, type LiveCore } from '../helpers/live-core.ts';

const WAIT_LIMIT_MS = 20_000;

let live: LiveCore | null = null;
let tunnel: Tunnel | null = null;
let fakeServer: Server | null = null;
const sockets = new Set<Socket>();
afterEach(async () => {
  await tunnel?.close();
  await live?.close();
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => (fakeServer ? fakeServer.close(resolve) : resolve(undefined)));
  tunnel = live = fakeServer = null;
});

/** A loopback "ngrok server" that speaks no TLS: the SDK's handshake fails at once. */
async function brokenNgrokServer(): Promise<string> {
  fakeServer = createServer((socket) => {
    sockets.add(socket);
    socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
  });
  await new Promise<void>((resolve) => fakeServer?.listen(0, '127.0.0.1', resolve));
  const address = fakeServer.address();
  return `127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

async function tunnelSettles(read: () => Promise<HostStatus>): Promise<HostStatus> {
  const deadline = Date.now() + WAIT_LIMIT_MS + 5_000;
  for (;;) {
    const status = await read();
    if (status.tunnel.state === 'offline' || status.tunnel.state === 'online' || Date.now() > deadline)
      return status;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('tunnel with the real ngrok SDK and no network', () => {
  it('reports a bogus token / unreachable ngrok in plain words and completes a task by polling', async () => {
    live = await startLiveCore({}, { callbacks: false });
    const core = live.core;
    const authtoken = `bogus_${randomBytes(12).toString('hex')}`;
    const serverAddr = await brokenNgrokServer();
    const logs: string[] = [];
    tunnel = await startHostTunnel(core, {
      forwarder: () => loadNgrokForwarder({ serverAddr }),
      settings: { authtoken },
      log: (line) => logs.push(line),
      connectTimeoutMs: WAIT_LIMIT_MS,
      retryBaseMs: 60_000,
    });
    expect(tunnel).not.toBeNull();

    let status = await tunnelSettles(() => core.handlers['host.status']({}));
    if (status.tunnel.state === 'connecting') {
      // The SDK hung past our bound: close it; the state must still say offline and why.
      await tunnel?.close();
      status = await core.handlers['host.status']({});
    }
    expect(status.tunnel.state).toBe('offline');
    expect(status.tunnel.reason).toMatch(/cannot reach ngrok|ngrok did not answer|ngrok said:/);
    expect(status.tunnel.reason).not.toMatch(/\n/);
    expect(status).toMatchObject({ publicUrl: null, pollingOnly: true });
    expect(JSON.stringify(status) + logs.join('\n')).not.toContain(authtoken);
    expect(logs.some((l) => l.startsWith('Tunnel offline ('))).toBe(true);

    const task = await live.submitTake('Offline');
    expect(core.store.tasks.get(task.id)?.callback_url).toMatch(/\.invalid\//);
    const done = await live.waitFor(task.id, isSettled);
    expect(done.state).toBe('complete');
    expect(done.tracks.length).toBeGreaterThan(0);
  });
});
