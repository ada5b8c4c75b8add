// Request/response plumbing shared by both listeners: bounded body reading, JSON replies, bearer auth.
import type { IncomingMessage, ServerResponse } from 'node:http';

export class BodyTooLargeError extends Error {
  code: string;
  constructor(limit: number) {
    super(`request body exceeds ${limit} bytes`);
    this.name = 'BodyTooLargeError';
    this.code = 'body_too_large';
  }
}

export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) throw new BodyTooLargeError(limit);
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/** Parses a JSON object body; anything else (invalid JSON, arrays, scalars) yields null. */
export function parseJsonObject(raw: Buffer): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(raw.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

export function sendJson(res: ServerResponse, httpStatus: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(httpStatus, {
    'Content-Type': 'application/json;charset=UTF-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendText(res: ServerResponse, httpStatus: number, text: string, contentType: string): void {
  res.writeHead(httpStatus, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** Spring-style "no such route" body, which is what KIE's gateway answers for a wrong path. */
export function sendNotFound(res: ServerResponse, path: string, httpStatus = 404): void {
  const error = httpStatus === 405 ? 'Method Not Allowed' : 'Not Found';
  sendJson(res, httpStatus, {
    timestamp: Date.now(),
    status: httpStatus,
    error,
    message: 'No message available',
    path,
  });
}

export function hasBearer(req: IncomingMessage, apiKey: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
  return match?.[1]?.trim() === apiKey;
}
