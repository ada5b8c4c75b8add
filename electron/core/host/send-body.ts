// Streams a body into an HTTP answer. A client already gone when the answer is ready (a seek
// cancels the previous batch while its files are being opened) makes `pipeline` refuse at once
// without touching the body, and the file handles that body owns would stay open until garbage
// collection: the body is destroyed as well, so they close now.
import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export async function sendBody(body: Readable, res: ServerResponse): Promise<void> {
  await pipeline(body, res).catch(() => {
    body.destroy();
    res.destroy();
  });
}
