// How a flaky CDN hands out result files: the fileFault knob (404, stall, truncation, an HTML page, an
// absurd size) and the fileBytesPerSecond throttle that makes a download slow enough to interrupt.
import type { ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { sendText } from './http-io.ts';
import type { FileFault } from './types.ts';

export interface FileDelivery {
  fault: FileFault | null;
  bytesPerSecond: number;
  /** The simulator's lifetime: stalled and throttled bodies end when it closes. */
  signal: AbortSignal;
}

const TICK_MS = 50;
const STALL_PREFIX_BYTES = 4096;
const OVERSIZE_BYTES = 4 * 1024 ** 3;
const ERROR_PAGE =
  '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>';

export function isPlainDelivery(delivery: FileDelivery | undefined): boolean {
  return !delivery || (delivery.fault === null && delivery.bytesPerSecond <= 0);
}

function untilClosed(res: ServerResponse, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      signal.removeEventListener('abort', done);
      res.destroy();
      resolve();
    };
    if (signal.aborted || res.destroyed) return done();
    res.once('close', done);
    signal.addEventListener('abort', done, { once: true });
  });
}

async function writeThrottled(
  res: ServerResponse,
  body: Uint8Array,
  bytesPerSecond: number,
  signal: AbortSignal,
): Promise<void> {
  const slice = Math.max(1, Math.round((bytesPerSecond * TICK_MS) / 1000));
  for (let at = 0; at < body.length; at += slice) {
    if (res.destroyed || signal.aborted) return void res.destroy();
    res.write(body.subarray(at, at + slice));
    try {
      await delay(TICK_MS, undefined, { signal });
    } catch {
      return void res.destroy();
    }
  }
  res.end();
}

/** Sends a GET answer for an audio file through the configured fault or throttle. */
export async function deliverFile(
  res: ServerResponse,
  status: number,
  headers: Record<string, string | number>,
  body: Uint8Array,
  delivery: FileDelivery,
): Promise<void> {
  const full = { ...headers, 'Content-Length': body.length };
  switch (delivery.fault) {
    case 'not_found':
      return sendText(res, 404, 'Not Found', 'text/plain');
    case 'not_audio':
      return sendText(res, 200, ERROR_PAGE, 'text/html; charset=utf-8');
    case 'oversize':
      res.writeHead(200, { ...headers, 'Content-Length': OVERSIZE_BYTES });
      res.flushHeaders();
      return untilClosed(res, delivery.signal);
    case 'stall':
      res.writeHead(200, full);
      res.write(body.subarray(0, Math.min(STALL_PREFIX_BYTES, Math.floor(body.length / 2))));
      return untilClosed(res, delivery.signal);
    case 'truncate':
      res.writeHead(200, full);
      res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.destroy());
      return;
  }
  res.writeHead(status, full);
  if (delivery.bytesPerSecond > 0) return writeThrottled(res, body, delivery.bytesPerSecond, delivery.signal);
  res.end(body);
}
