// Keeps a public URL pointing at the receiver port (and nothing else) through ngrok, reconnecting
// with backoff; reports its state so the app can say "online", or "polling only" and why.
import { describeTunnelError } from './tunnel-errors.ts';

export interface TunnelState {
  state: 'connecting' | 'online' | 'offline';
  url: string | null;
  reason: string | null;
}

export interface ForwardConfig {
  /** The receiver's port on 127.0.0.1: the only thing the tunnel may expose. */
  addr: number;
  authtoken: string;
  domain?: string;
  /** ngrok reports 'closed' when its session drops and 'connected' when it is back. */
  onStatusChange?: (status: string) => void;
}

export interface ForwardedListener {
  url(): string | null;
  close(): Promise<void>;
}

/** The part of @ngrok/ngrok we use; tests pass a fake because ngrok's cloud is unreachable here. */
export interface Forwarder {
  forward(config: ForwardConfig): Promise<ForwardedListener>;
}

interface TunnelOptions {
  port: number;
  authtoken: string;
  domain: string | null;
  forwarder: Forwarder;
  onState: (state: TunnelState) => void;
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** An SDK that neither connects nor fails within this time is reported offline and retried. */
  connectTimeoutMs?: number;
  /** How long ngrok may try to restore a dropped session on its own before we start over. */
  dropGraceMs?: number;
}

export interface Tunnel {
  state(): TunnelState;
  /** The network changed (e.g. after sleep): reconnect now instead of waiting for the backoff. */
  reconnect(): void;
  close(): Promise<void>;
}

class TunnelTimeoutError extends Error {
  code = 'tunnel_timeout' as const;
  constructor(seconds: number) {
    super(`ngrok did not answer within ${seconds} s (no network, or a firewall blocks it)`);
    this.name = 'TunnelTimeoutError';
  }
}

export function startTunnel(options: TunnelOptions): Tunnel {
  let current: TunnelState | null = null;
  let listener: ForwardedListener | null = null;
  let retryTimer: NodeJS.Timeout | null = null;
  let dropTimer: NodeJS.Timeout | null = null;
  let attempts = 0;
  let generation = 0;
  let isClosed = false;

  const report = (next: TunnelState): void => {
    if (isClosed) return;
    if (current && next.state === current.state && next.url === current.url && next.reason === current.reason)
      return;
    current = next;
    options.onState({ ...next });
  };
  const clearTimers = (): void => {
    if (retryTimer) clearTimeout(retryTimer);
    if (dropTimer) clearTimeout(dropTimer);
    retryTimer = dropTimer = null;
  };
  const dropListener = (): void => {
    const old = listener;
    listener = null;
    void old?.close().catch(() => undefined);
  };

  const onStatusChange = (mine: number) => (status: string) => {
    if (isClosed || mine !== generation || !listener) return;
    if (status === 'closed') {
      report({ state: 'connecting', url: null, reason: 'connection to ngrok lost; reconnecting' });
      if (dropTimer) return;
      dropTimer = setTimeout(() => restart(mine), options.dropGraceMs ?? 60_000);
      dropTimer.unref?.();
    } else if (status === 'connected') {
      if (dropTimer) clearTimeout(dropTimer);
      dropTimer = null;
      report({ state: 'online', url: listener.url(), reason: null });
    }
  };

  function scheduleRetry(mine: number, error: unknown): void {
    if (isClosed || mine !== generation) return;
    attempts++;
    const delay = Math.min(
      options.retryMaxMs ?? 300_000,
      (options.retryBaseMs ?? 5_000) * 2 ** (attempts - 1),
    );
    report({ state: 'offline', url: null, reason: describeTunnelError(error, options.authtoken) });
    retryTimer = setTimeout(() => void connect(), delay);
    retryTimer.unref?.();
  }

  function restart(mine: number): void {
    if (isClosed || mine !== generation) return;
    generation++;
    clearTimers();
    dropListener();
    scheduleRetry(generation, new Error('ngrok could not restore the connection'));
  }

  async function connect(): Promise<void> {
    clearTimers();
    if (isClosed) return;
    const mine = ++generation;
    report({ state: 'connecting', url: null, reason: null });
    const limitMs = options.connectTimeoutMs ?? 20_000;
    let timeout: NodeJS.Timeout | null = null;
    const pending = options.forwarder.forward({
      addr: options.port,
      authtoken: options.authtoken,
      ...(options.domain ? { domain: options.domain } : {}),
      onStatusChange: onStatusChange(mine),
    });
    try {
      const opened = await Promise.race([
        pending,
        new Promise<never>((_, reject) => {
          timeout = setTimeout(() => reject(new TunnelTimeoutError(Math.round(limitMs / 1000))), limitMs);
        }),
      ]);
      if (isClosed || mine !== generation) return void (await opened.close().catch(() => undefined));
      const url = opened.url();
      if (!url) {
        await opened.close().catch(() => undefined);
        throw new Error('ngrok gave no public URL');
      }
      listener = opened;
      attempts = 0;
      report({ state: 'online', url, reason: null });
    } catch (error) {
      // A late answer from an attempt we gave up on must not leave a forgotten tunnel open.
      if (error instanceof TunnelTimeoutError)
        void pending.then((late) => late.close()).catch(() => undefined);
      scheduleRetry(mine, error);
    } finally {
      if (timeout) clearTimeout(timeout);
    }
  }

  void connect();
  return {
    state: () => ({ ...(current ?? { state: 'connecting', url: null, reason: null }) }),
    reconnect(): void {
      if (isClosed) return;
      generation++;
      clearTimers();
      const old = listener;
      listener = null;
      attempts = 0;
      void (old ? old.close().catch(() => undefined) : Promise.resolve()).then(connect);
    },
    async close(): Promise<void> {
      if (isClosed) return;
      generation++;
      clearTimers();
      isClosed = true;
      const old = listener;
      listener = null;
      await old?.close().catch(() => undefined);
    },
  };
}

/**
 * Loads the real SDK. `serverAddr` points the SDK at another ngrok server: the tests use a
 * loopback address so they never leave the machine.
 */
export async function loadNgrokForwarder(extra: { serverAddr?: string } = {}): Promise<Forwarder> {
  const ngrok = await import('@ngrok/ngrok');
  return {
    forward: ({ addr, ...config }) =>
      ngrok.forward({
        ...config,
        // Not "localhost": it may resolve to ::1 while the receiver listens on 127.0.0.1 only.
        addr: `127.0.0.1:${addr}`,
        ...(extra.serverAddr ? { server_addr: extra.serverAddr } : {}),
      }),
  };
}
