// Browser mode's loopback API: the contract over HTTP (POST /api/call/<method>), change events over
// a WebSocket, dropped-file uploads, and the built renderer. Everything but static files needs the
// random token; foreign origins and foreign Host headers (DNS rebinding) are refused.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import { isApiMethod, type ApiHandlers, type ApiMethod } from '../../../shared/api.ts';
import { fail, ok } from '../../../shared/result.ts';
import { BadRequestError, toApiError } from './api-errors.ts';
import type { EventBus } from './events.ts';
import { serveStatic } from './static-files.ts';

/** Extra authenticated routes (binary audio, export downloads); return true when handled. */
export type LocalRoute = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean> | boolean;

export interface LocalApiOptions {
  handlers: ApiHandlers;
  events: EventBus;
  token: string;
  stageFile: (name: string, req: IncomingMessage) => Promise<{ fileId: string; name: string; size: number }>;
  rendererDir: string | null;
  /** Demo mode's simulator origin, whose stream URLs the UI may play (never set in live mode). */
  demoMediaOrigin?: string | null;
  routes?: LocalRoute[];
  port?: number;
}

const MAX_JSON_BYTES = 1024 * 1024;

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(body);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_JSON_BYTES) throw new BadRequestError('request body too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return text ? (JSON.parse(text) as unknown) : {};
  } catch {
    throw new BadRequestError('request body is not JSON');
  }
}

export async function startLocalApi(options: LocalApiOptions) {
  const expectedToken = Buffer.from(options.token);
  let origin = '';
  const isTokenValid = (given: string | null | undefined): boolean => {
    const buf = Buffer.from(given ?? '');
    return buf.length === expectedToken.length && timingSafeEqual(buf, expectedToken);
  };
  const isLocalRequest = (req: IncomingMessage): boolean => {
    const host = req.headers.host ?? '';
    const port = origin.split(':').pop();
    const isOwnHost = host === `127.0.0.1:${port}` || host === `localhost:${port}`;
    const reqOrigin = req.headers.origin;
    return (
      isOwnHost &&
      (!reqOrigin || reqOrigin === origin || reqOrigin === origin.replace('127.0.0.1', 'localhost'))
    );
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    if (!isLocalRequest(req)) return sendJson(res, 403, fail('forbidden', 'foreign origin or host'));
    if (!url.pathname.startsWith('/api/'))
      return serveStatic(options.rendererDir, url.pathname, res, options.demoMediaOrigin ?? null);
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!isTokenValid(bearer)) return sendJson(res, 401, fail('unauthorized', 'missing or wrong token'));
    try {
      if (req.method === 'POST' && url.pathname === '/api/files') {
        const name = url.searchParams.get('name') ?? 'audio';
        return sendJson(res, 200, ok(await options.stageFile(name, req)));
      }
      for (const route of options.routes ?? []) if (await route(req, res, url)) return;
      const method = /^\/api\/call\/(.+)$/.exec(url.pathname)?.[1] ?? '';
      if (req.method !== 'POST' || !isApiMethod(method))
        return sendJson(res, 404, fail('not_found', 'no such method'));
      const input = await readJson(req);
      const handler = options.handlers[method as ApiMethod] as (input: unknown) => Promise<unknown>;
      sendJson(res, 200, ok(await handler(input)));
    } catch (error) {
      if (res.headersSent) res.destroy();
      else sendJson(res, 200, { ok: false, error: toApiError(error) });
    }
  }

  // Nothing a request does may take the host down: an unexpected failure ends that request only.
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      sendJson(res, 500, { ok: false, error: toApiError(error) });
    });
  });

  const sockets = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', origin);
    if (
      url.pathname !== '/api/events' ||
      !isLocalRequest(req) ||
      !isTokenValid(url.searchParams.get('token'))
    ) {
      socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      const off = options.events.onAny((name, payload) => ws.send(JSON.stringify({ name, payload })));
      ws.on('close', off);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  return {
    apiUrl: `${origin}/api`,
    uiUrl: `${origin}/#token=${options.token}`,
    origin,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
