// Posts a callback body to the receiver over real HTTP, optionally with KIE's HMAC headers, and
// returns status and body whatever happens (early replies to oversized uploads included).
import { request } from 'node:http';
import { callbackTaskId } from '../../shared/kie/callbacks.ts';
import { signKieCallback } from '../../electron/core/receiver/verify-signature.ts';

interface KieSigning {
  key: string;
  /** Id to sign; defaults to the one the body carries. */
  taskId?: string;
  /** Unix seconds; defaults to now. */
  timestampSec?: number;
}

export interface SignedPostOptions {
  sign?: KieSigning;
  method?: string;
  /** Defaults to application/json. */
  contentType?: string | null;
  headers?: Record<string, string>;
  /** Send without content-length (chunked), so the server cannot refuse by the declared size. */
  isChunked?: boolean;
}

export interface PostResult {
  status: number;
  text: string;
  json: unknown;
}

function kieSignatureHeaders(key: string, taskId: string, timestampSec: number): Record<string, string> {
  return {
    'x-webhook-timestamp': String(timestampSec),
    'x-webhook-signature': signKieCallback(key, taskId, timestampSec),
  };
}

function toBuffer(body: unknown): Buffer {
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  return Buffer.from(JSON.stringify(body), 'utf8');
}

/** `body` is sent as-is when it is a string or Buffer, else JSON-encoded. */
export function signedPost(url: string, body: unknown, options: SignedPostOptions = {}): Promise<PostResult> {
  const payload = toBuffer(body);
  const headers: Record<string, string> = {};
  const contentType = options.contentType === undefined ? 'application/json' : options.contentType;
  if (contentType !== null) headers['content-type'] = contentType;
  if (!options.isChunked) headers['content-length'] = String(payload.length);
  if (options.sign) {
    const parsed = Buffer.isBuffer(body) || typeof body === 'string' ? safeParse(payload) : body;
    const taskId = options.sign.taskId ?? callbackTaskId(parsed) ?? '';
    const timestampSec = options.sign.timestampSec ?? Math.floor(Date.now() / 1000);
    Object.assign(headers, kieSignatureHeaders(options.sign.key, taskId, timestampSec));
  }
  Object.assign(headers, options.headers);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'POST', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, text, json: safeParse(Buffer.from(text)) });
      });
      res.on('error', reject);
    });
    // A reset after the response has been read is harmless: the promise has already settled.
    req.on('error', reject);
    if (options.method === 'GET' || options.method === 'HEAD') req.end();
    else req.end(payload);
  });
}

function safeParse(buffer: Buffer): unknown {
  try {
    return JSON.parse(buffer.toString('utf8'));
  } catch {
    return undefined;
  }
}
