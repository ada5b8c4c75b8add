// The callback receiver: node:http on 127.0.0.1 with ONE route (POST under a long random path
// token). It is the only thing the tunnel exposes, so it answers nothing else and never does slow
// work in the request: the inbox write is one synchronous transaction, the rest runs afterwards.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Store } from '../store/index.ts';
import { createRateLimiter, type RateLimit } from './inbox-quota.ts';
import { processCallbacks, type CallbackOutcome, type IncomingCallback } from './process-callback.ts';

export interface ReceiverOptions {
  store: Store;
  pathToken: string;
  hmacKey: () => string | null;
  port?: number;
  host?: string;
  /** KIE callbacks are a few KB; anything near this is hostile. */
  maxBodyBytes?: number;
  now?: () => number;
  /** Unverified callbacks one source may store (see inbox-quota.ts for what a source is). */
  rateLimit?: RateLimit;
  onCallback?: (outcome: CallbackOutcome) => void;
  /** A callback could not be recorded (disk full, database busy): it was answered 503 so KIE retries. */
  onStoreError?: (error: Error) => void;
}

export interface Receiver {
  /** Loopback URL of the callback route, e.g. http://127.0.0.1:PORT/kie/<token>. */
  callbackUrl: string;
  port: number;
  path: string;
  close(): Promise<void>;
}

function reply(res: ServerResponse, status: number, message: string): void {
  const body = JSON.stringify({ code: status === 200 ? 200 : status, msg: message });
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  res.end(body);
}

function readCapped(req: IncomingMessage, cap: number): Promise<{ body: Buffer; isTruncated: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let isTruncated = false;
    req.on('data', (chunk: Buffer) => {
      if (isTruncated) return;
      size += chunk.length;
      if (size > cap) {
        isTruncated = true;
        chunks.push(chunk.subarray(0, Math.max(0, chunk.length - (size - cap))));
        resolve({ body: Buffer.concat(chunks), isTruncated });
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve({ body: Buffer.concat(chunks), isTruncated }));
    req.on('error', reject);
  });
}

export async function startReceiver(options: ReceiverOptions): Promise<Receiver> {
  const path = `/kie/${options.pathToken}`;
  const cap = options.maxBodyBytes ?? 1024 * 1024;
  const now = options.now ?? Date.now;
  const admit = createRateLimiter(options.rateLimit, now);

  // Callbacks read in the same event-loop turn are recorded in one transaction (group commit).
  let queue: Array<{ input: IncomingCallback; req: IncomingMessage; res: ServerResponse }> = [];
  const flush = (): void => {
    const batch = queue;
    queue = [];
    const outcomes = processCallbacks(
      options.store,
      batch.map((item) => item.input),
      options.hmacKey(),
      now(),
      admit,
    );
    batch.forEach(({ input, req, res }, i) => {
      const outcome = outcomes[i];
      if (!outcome || outcome instanceof Error) {
        // Only a broken store gets here (disk full, closed database): say so, KIE will retry.
        console.error(`receiver: could not record callback: ${outcome?.message ?? 'no outcome'}`);
        if (outcome) options.onStoreError?.(outcome);
        return reply(res, 503, 'temporarily unable to record callback');
      }
      if (input.isTruncated) res.setHeader('connection', 'close');
      reply(res, outcome.status, outcome.message);
      if (input.isTruncated) req.destroy();
      if (options.onCallback) setImmediate(() => options.onCallback?.(outcome));
    });
  };

  const server = createServer(async (req, res) => {
    // The raw path must match exactly: no dot-segment or encoding normalisation reaches the route.
    const [rawPath, query = ''] = (req.url ?? '').split('?', 2);
    if (rawPath !== path) return reply(res, 404, 'not found');
    if (req.method !== 'POST') return reply(res, 405, 'method not allowed');
    const declared = Number(req.headers['content-length'] ?? 0);
    let received: { body: Buffer; isTruncated: boolean };
    try {
      received = declared > cap ? { body: Buffer.alloc(0), isTruncated: true } : await readCapped(req, cap);
    } catch {
      return; // the client went away; nothing to record
    }
    if (queue.length === 0) setImmediate(flush);
    const submissionId = new URLSearchParams(query).get('sid');
    queue.push({ input: { headers: req.headers, ...received, submissionId }, req, res });
  });
  server.requestTimeout = 15_000;
  server.headersTimeout = 10_000;
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    callbackUrl: `http://127.0.0.1:${port}${path}`,
    port,
    path,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
