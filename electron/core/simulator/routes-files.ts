// Serves stored files (GET/HEAD) with Content-Length and single-range requests, like a CDN in front of KIE.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { deliverFile, isPlainDelivery, type FileDelivery } from './file-delivery.ts';
import type { FileStore } from './file-store.ts';
import { sendText } from './http-io.ts';

type Range = { start: number; end: number } | 'unsatisfiable' | null;

function parseRange(header: string | undefined, size: number): Range {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '');
  if (!match) return null;
  const [, from = '', to = ''] = match;
  if (from === '' && to === '') return null;
  if (from === '') {
    const suffix = Number(to);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(from);
  const end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

export async function serveFile(
  req: IncomingMessage,
  res: ServerResponse,
  store: FileStore,
  path: string,
  /** Fault and throttle knobs, applied to audio GETs only (what the app downloads). */
  delivery?: FileDelivery,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendText(res, 405, 'Method Not Allowed', 'text/plain');
    return;
  }
  const file = store.get(path);
  if (!file) {
    sendText(res, 404, 'Not Found', 'text/plain');
    return;
  }
  const bytes = await file.load();
  const size = bytes.length;
  const range = parseRange(req.headers.range, size);
  const headers = { 'Content-Type': file.contentType, 'Accept-Ranges': 'bytes', 'Cache-Control': 'no-store' };
  if (range === 'unsatisfiable') {
    res.writeHead(416, { ...headers, 'Content-Range': `bytes */${size}`, 'Content-Length': 0 });
    res.end();
    return;
  }
  const body = range ? bytes.subarray(range.start, range.end + 1) : bytes;
  const status = range ? 206 : 200;
  const rangeHeader: Record<string, string> = range
    ? { 'Content-Range': `bytes ${range.start}-${range.end}/${size}` }
    : {};
  if (
    delivery &&
    req.method === 'GET' &&
    file.contentType.startsWith('audio/') &&
    !isPlainDelivery(delivery)
  ) {
    return deliverFile(res, status, { ...headers, ...rangeHeader }, body, delivery);
  }
  res.writeHead(status, { ...headers, ...rangeHeader, 'Content-Length': body.length });
  res.end(req.method === 'HEAD' ? undefined : body);
}
