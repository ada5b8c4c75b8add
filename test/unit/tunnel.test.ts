// The tunnel's state machine against a scripted fake forwarder (ngrok's cloud is unreachable here):
// online, failures with backoff, a hanging SDK, session drops, manual reconnect and shutdown.
import { afterEach, describe, expect, it } from 'vitest';
import { describeTunnelError } from '../../electron/core/tunnel/tunnel-errors.ts';
import { planTunnel } from '../../electron/core/tunnel/host-tunnel.ts';
import {
  startTunnel,
  type ForwardConfig,
  type ForwardedListener,
  type Tunnel,
  type TunnelState,
} from '../../electron/core/tunnel/tunnel.ts';

const TOKEN = '2abcDEFsecretTOKEN_0123456789';

interface FakeListener extends ForwardedListener {
  isClosed: boolean;
}

function listener(url: string | null): FakeListener {
  const fake: FakeListener = {
    isClosed: false,
    url: () => url,
    close: async () => {
      fake.isClosed = true;
    },
  };
  return fake;
}

/** Each forward() call takes the next scripted answer; unscripted calls never settle. */
function scriptedForwarder(script: Array<(config: ForwardConfig) => Promise<ForwardedListener>>) {
  const calls: ForwardConfig[] = [];
  return {
    calls,
    forward(config: ForwardConfig): Promise<ForwardedListener> {
      calls.push(config);
      const next = script.shift();
      return next ? next(config) : new Promise<never>(() => undefined);
    },
  };
}

async function until<T>(read: () => T | undefined | null | false, what: string): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const value = read();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`never happened: ${what}`);
}

let tunnel: Tunnel | null = null;
afterEach(async () => {
  await tunnel?.close();
  tunnel = null;
});

function start(
  forwarder: ReturnType<typeof scriptedForwarder>,
  states: TunnelState[],
  extra: { connectTimeoutMs?: number; dropGraceMs?: number } = {},
): Tunnel {
  tunnel = startTunnel({
    port: 4321,
    authtoken: TOKEN,
    domain: 'beats.ngrok.app',
    forwarder,
    onState: (s) => states.push(s),
    retryBaseMs: 5,
    retryMaxMs: 20,
    ...extra,
  });
  return tunnel;
}

describe('startTunnel', () => {
  it('forwards the receiver port only, with the token and domain, and reports online with the URL', async () => {
    const states: TunnelState[] = [];
    const forwarder = scriptedForwarder([async () => listener('https://beats.ngrok.app')]);
    const t = start(forwarder, states);
    await until(() => states.find((s) => s.state === 'online'), 'online');
    expect(forwarder.calls[0]).toMatchObject({ addr: 4321, authtoken: TOKEN, domain: 'beats.ngrok.app' });
    expect(states.map((s) => s.state)).toEqual(['connecting', 'online']);
    expect(t.state()).toEqual({ state: 'online', url: 'https://beats.ngrok.app', reason: null });
  });

  it('reports a failure in plain words without the token, then retries with backoff until it works', async () => {
    const states: TunnelState[] = [];
    const forwarder = scriptedForwarder([
      async () => Promise.reject(new Error(`authentication failed: bad token ${TOKEN}\n\nERR_NGROK_107`)),
      async () => Promise.reject(new Error('failed to connect session: failed to establish tcp connection')),
      async () => listener('https://later.ngrok.app'),
    ]);
    start(forwarder, states);
    await until(() => states.find((s) => s.state === 'online'), 'online after retries');
    const offline = states.filter((s) => s.state === 'offline');
    expect(offline).toHaveLength(2);
    expect(offline[0]?.reason).toMatch(/authtoken is not valid/);
    expect(offline[1]?.reason).toMatch(/cannot reach ngrok/);
    expect(JSON.stringify(states)).not.toContain(TOKEN);
    expect(forwarder.calls).toHaveLength(3);
  });

  it('gives up on an SDK that hangs, reports offline, and closes the tunnel if it opens late', async () => {
    const states: TunnelState[] = [];
    const late = listener('https://late.ngrok.app');
    let openLate: (value: ForwardedListener) => void = () => undefined;
    const forwarder = scriptedForwarder([
      () => new Promise((resolve) => (openLate = resolve)),
      async () => Promise.reject(new Error('still no network')),
    ]);
    start(forwarder, states, { connectTimeoutMs: 30 });
    await until(() => states.find((s) => s.state === 'offline'), 'offline after the timeout');
    expect(states.find((s) => s.state === 'offline')?.reason).toMatch(/did not answer within/);
    openLate(late);
    await until(() => late.isClosed, 'the late tunnel closed');
    expect(states.some((s) => s.url === 'https://late.ngrok.app')).toBe(false);
  });

  it('follows a session drop: connecting while ngrok restores it, online again afterwards', async () => {
    const states: TunnelState[] = [];
    let status: ((s: string) => void) | undefined;
    const forwarder = scriptedForwarder([
      async (config) => {
        status = config.onStatusChange;
        return listener('https://beats.ngrok.app');
      },
    ]);
    start(forwarder, states);
    await until(() => states.find((s) => s.state === 'online'), 'online');
    status?.('closed');
    expect(states.at(-1)).toEqual({
      state: 'connecting',
      url: null,
      reason: 'connection to ngrok lost; reconnecting',
    });
    status?.('connected');
    expect(states.at(-1)).toEqual({ state: 'online', url: 'https://beats.ngrok.app', reason: null });
  });

  it('starts over when ngrok cannot restore a dropped session within the grace time', async () => {
    const states: TunnelState[] = [];
    const first = listener('https://one.ngrok.app');
    let status: ((s: string) => void) | undefined;
    const forwarder = scriptedForwarder([
      async (config) => {
        status = config.onStatusChange;
        return first;
      },
      async () => listener('https://two.ngrok.app'),
    ]);
    start(forwarder, states, { dropGraceMs: 20 });
    await until(() => states.find((s) => s.state === 'online'), 'online');
    status?.('closed');
    await until(() => states.find((s) => s.url === 'https://two.ngrok.app'), 'a new tunnel');
    expect(first.isClosed).toBe(true);
    expect(states.map((s) => s.state)).toEqual([
      'connecting',
      'online',
      'connecting',
      'offline',
      'connecting',
      'online',
    ]);
  });

  it('reconnect() closes the old tunnel and opens a new one at once', async () => {
    const states: TunnelState[] = [];
    const first = listener('https://one.ngrok.app');
    const forwarder = scriptedForwarder([async () => first, async () => listener('https://two.ngrok.app')]);
    const t = start(forwarder, states);
    await until(() => states.find((s) => s.state === 'online'), 'online');
    t.reconnect();
    await until(() => states.find((s) => s.url === 'https://two.ngrok.app'), 'second URL');
    expect(first.isClosed).toBe(true);
  });

  it('close() closes the tunnel, stops retrying and reports nothing more', async () => {
    const states: TunnelState[] = [];
    const opened = listener('https://beats.ngrok.app');
    const forwarder = scriptedForwarder([async () => opened]);
    const t = start(forwarder, states);
    await until(() => states.find((s) => s.state === 'online'), 'online');
    await t.close();
    expect(opened.isClosed).toBe(true);
    const count = states.length;
    t.reconnect();
    await new Promise((r) => setTimeout(r, 30));
    expect(states).toHaveLength(count);
    expect(forwarder.calls).toHaveLength(1);
  });

  it('close() during failures stops the retry loop', async () => {
    const states: TunnelState[] = [];
    const forwarder = scriptedForwarder(
      Array.from({ length: 50 }, () => async () => Promise.reject(new Error('down'))),
    );
    const t = start(forwarder, states);
    await until(() => forwarder.calls.length >= 2, 'two attempts');
    await t.close();
    const calls = forwarder.calls.length;
    await new Promise((r) => setTimeout(r, 60));
    expect(forwarder.calls.length).toBe(calls);
  });
});

describe('describeTunnelError', () => {
  it('maps known ngrok codes to actions and keeps the code for support', () => {
    const error = Object.assign(
      new Error(
        'failed to start tunnel: The domain is reserved for another account, error_code: ERR_NGROK_320',
      ),
      { errorCode: 'ERR_NGROK_320' },
    );
    expect(describeTunnelError(error, TOKEN)).toBe(
      'that domain belongs to another ngrok account; reserve your own or clear it; ngrok said: failed to start tunnel: The domain is reserved for another account [ERR_NGROK_320]',
    );
  });

  it('keeps only the first line, never the token, and stays short', () => {
    const text = describeTunnelError(
      new Error(`weird ${TOKEN} thing\nsecond line ${'x'.repeat(500)}`),
      TOKEN,
    );
    expect(text).toBe('ngrok said: weird [token] thing');
    expect(describeTunnelError(new Error('x'.repeat(1000)), TOKEN).length).toBeLessThanOrEqual(300);
    expect(describeTunnelError('', TOKEN)).toBe('ngrok failed without saying why');
  });
});

describe('planTunnel', () => {
  it('picks demo, a manual URL, ngrok or polling only', () => {
    expect(planTunnel('demo', { authtoken: 't', domain: null, publicUrl: null })).toBe('demo');
    expect(planTunnel('live', { authtoken: 't', domain: null, publicUrl: 'https://me.example' })).toBe(
      'manual-url',
    );
    expect(planTunnel('live', { authtoken: 't', domain: null, publicUrl: null })).toBe('ngrok');
    expect(planTunnel('live', { authtoken: null, domain: null, publicUrl: null })).toBe('polling-only');
  });
});
