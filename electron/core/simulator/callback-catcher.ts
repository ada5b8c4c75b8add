// A loopback webhook receiver that records every callback it gets; for tests and demo diagnostics.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEmitter } from '../../../shared/emitter.ts';
import { parseJsonObject, readBody } from './http-io.ts';

interface CaughtCallback {
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
  raw: string;
  at: number;
}

export interface CallbackCatcher {
  /** Base URL; any path under it is accepted. */
  url: string;
  received: CaughtCallback[];
  /** Chooses the HTTP status per delivery (1-based count of deliveries so far); default 200. */
  respondWith(status: (delivery: number) => number): void;
  /** Resolves once `count` callbacks matching the filter have arrived. */
  waitFor(count: number, filter?: (c: CaughtCallback) => boolean): Promise<CaughtCallback[]>;
  close(): Promise<void>;
}

export async function createCallbackCatcher(): Promise<CallbackCatcher> {
  const received: CaughtCallback[] = [];
  const arrivals = createEmitter<{ delivered: void }>();
  let statusFor = (_delivery: number): number => 200;
  let deliveries = 0;
  const server = createServer((req, res) => {
    void readBody(req, 64 * 1024 * 1024).then((raw) => {
      deliveries++;
      const text = raw.toString('utf8');
      const status = statusFor(deliveries);
      if (status >= 200 && status < 300) {
        received.push({
          path: req.url ?? '/',
          headers: req.headers,
          body: parseJsonObject(raw) ?? text,
          raw: text,
          at: Date.now(),
        });
      }
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ status: 'received' }));
      arrivals.emit('delivered');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    respondWith: (fn) => void (statusFor = fn),
    waitFor: (count, filter = () => true) =>
      new Promise((resolve) => {
        const check = (): void => {
          const matching = received.filter(filter);
          if (matching.length < count) return;
          stop();
          resolve(matching);
        };
        const stop = arrivals.on('delivered', check);
        check();
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
