// Binds one node:http listener, turns handler errors into JSON answers, and closes with every connection.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BodyTooLargeError, sendJson } from './http-io.ts';
import { isAbortError } from './lifecycle.ts';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

interface Listener {
  url: string;
  close(): Promise<void>;
}

function handleError(err: unknown, res: ServerResponse): void {
  if (res.headersSent || isAbortError(err)) {
    res.destroy();
    return;
  }
  if (err instanceof BodyTooLargeError) {
    res.setHeader('Connection', 'close');
    sendJson(res, 413, { code: 413, msg: 'Request body too large', data: null });
    return;
  }
  console.error('[kie-simulator]', err);
  sendJson(res, 500, { code: 500, msg: 'Internal Error - Please try again later.', data: null });
}

export async function startListener(host: string, port: number, handler: RequestHandler): Promise<Listener> {
  const server = createServer((req, res) => {
    handler(req, res).catch((err: unknown) => handleError(err, res));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
