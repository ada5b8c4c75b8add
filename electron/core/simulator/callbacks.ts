// Delivers task callbacks: POST JSON with a 15 s timeout, 3 retries with backoff, optional HMAC headers, and
// the duplicate/drop/delay fault knobs. Each task's callbacks go out in order, one at a time.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { webhookHeaders } from './hmac.ts';
import type { Lifecycle } from './lifecycle.ts';
import type { CallbackLogEntry, SimulatorOptions } from './types.ts';

const TIMEOUT_MS = 15_000;
const RETRIES = 3;

export interface CallbackDispatcher {
  /** Queues callbacks for a task; they are delivered after any earlier ones for the same task. */
  send(taskId: string, url: string, bodies: unknown[]): void;
  log(): CallbackLogEntry[];
}

/** The simulator must never reach the internet: only loopback receivers are contacted. */
function isLoopback(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** What ngrok does for the app: a callback to the public URL arrives at the local receiver, same path. */
function throughTunnel(rawUrl: string, tunnel: SimulatorOptions['callbackTunnel']): string {
  const base = tunnel?.publicUrl.replace(/\/+$/, '');
  if (!tunnel || !base || !rawUrl.startsWith(`${base}/`)) return rawUrl;
  return `${tunnel.localUrl.replace(/\/+$/, '')}${rawUrl.slice(base.length)}`;
}

function post(
  url: URL,
  body: string,
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<number | null> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const req = request(url, {
      method: 'POST',
      agent: false,
      signal,
      headers: {
        ...headers,
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(body),
        Connection: 'close',
      },
    });
    req.setTimeout(TIMEOUT_MS, () => req.destroy(new Error('callback timed out')));
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? null));
      res.on('error', () => resolve(null));
    });
    req.on('error', () => resolve(null));
    req.end(body);
  });
}

export function createCallbackDispatcher(
  options: () => SimulatorOptions,
  lifecycle: Lifecycle,
): CallbackDispatcher {
  const entries: CallbackLogEntry[] = [];
  const chains = new Map<string, Promise<void>>();

  const attempt = async (taskId: string, url: URL, body: unknown): Promise<void> => {
    const text = JSON.stringify(body);
    for (let n = 1; n <= RETRIES + 1; n++) {
      const key = options().hmacKey;
      const headers = key ? webhookHeaders(key, taskId, Date.now()) : {};
      const status = isLoopback(url) ? await post(url, text, headers, lifecycle.signal) : null;
      lifecycle.signal.throwIfAborted();
      entries.push({ taskId, url: url.href, body, status, attempt: n, at: Date.now() });
      if (!isLoopback(url) || (status !== null && status >= 200 && status < 300)) return;
      if (n <= RETRIES) await lifecycle.sleep(options().callbackRetryDelayMs * n);
    }
  };

  const deliver = async (taskId: string, url: URL, bodies: unknown[]): Promise<void> => {
    for (const body of bodies) {
      await lifecycle.sleep(options().callbackDelayMs);
      for (let copy = 0; copy < options().duplicateCallbacks; copy++) await attempt(taskId, url, body);
    }
  };

  const send = (taskId: string, rawUrl: string, bodies: unknown[]): void => {
    if (options().dropCallbacks || bodies.length === 0) return;
    let url: URL;
    try {
      url = new URL(throughTunnel(rawUrl, options().callbackTunnel));
    } catch {
      return;
    }
    const previous = chains.get(taskId) ?? Promise.resolve();
    const next = previous.then(() => deliver(taskId, url, bodies));
    const settled = next.catch(() => undefined);
    chains.set(taskId, settled);
    lifecycle.spawn(() => next);
    void settled.then(() => {
      if (chains.get(taskId) === settled) chains.delete(taskId);
    });
  };

  return { send, log: () => entries.map((e) => ({ ...e })) };
}
