// The upload listener (mimics https://kieai.redpandaai.co): stream and base64 uploads plus the uploaded files.
import type { SimContext } from './context.ts';
import { hasBearer, parseJsonObject, readBody, sendJson, sendNotFound } from './http-io.ts';
import { respondInjected } from './injected-response.ts';
import { MultipartError, boundaryOf, parseMultipart } from './multipart.ts';
import { serveFile } from './routes-files.ts';
import type { RequestHandler } from './server.ts';
import { decodeBase64Data, storeUpload, uploadError, type UploadEnvelope } from './upload-store.ts';
import type { IncomingMessage } from 'node:http';
import { UPLOAD_MAX_BYTES } from '../../../shared/kie/limits.ts';

/** The file limit plus room for the multipart fields and boundaries around it. */
const STREAM_LIMIT = UPLOAD_MAX_BYTES + 64 * 1024;
const BASE64_LIMIT = 280 * 1024 * 1024;

async function streamUpload(ctx: SimContext, req: IncomingMessage): Promise<UploadEnvelope> {
  const boundary = boundaryOf(req.headers['content-type']);
  if (!boundary) return uploadError(400, 'Content-Type must be multipart/form-data');
  const body = await readBody(req, STREAM_LIMIT);
  let parts;
  try {
    parts = parseMultipart(body, boundary);
  } catch (err) {
    if (err instanceof MultipartError) return uploadError(400, `Malformed multipart body: ${err.message}`);
    throw err;
  }
  const file = parts.find((p) => p.name === 'file');
  if (!file) return uploadError(400, 'Missing required parameter: file');
  const text = (name: string): string | null =>
    parts.find((p) => p.name === name)?.data.toString('utf8') || null;
  return storeUpload(ctx, {
    bytes: file.data,
    uploadPath: text('uploadPath'),
    fileName: text('fileName'),
    hintName: file.filename,
    hintType: file.contentType,
  });
}

async function base64Upload(ctx: SimContext, req: IncomingMessage): Promise<UploadEnvelope> {
  const body = parseJsonObject(await readBody(req, BASE64_LIMIT));
  if (!body) return uploadError(400, 'format error');
  if (typeof body.base64Data !== 'string') return uploadError(400, 'Missing required parameter: base64Data');
  const decoded = decodeBase64Data(body.base64Data);
  if (!decoded) return uploadError(400, 'Base64 decoding failed: Invalid Base64 format');
  const text = (name: string): string | null =>
    typeof body[name] === 'string' && body[name] !== '' ? (body[name] as string) : null;
  return storeUpload(ctx, {
    bytes: decoded.bytes,
    uploadPath: text('uploadPath'),
    fileName: text('fileName'),
    hintName: null,
    hintType: decoded.mimeType,
  });
}

const ROUTES: Record<string, (ctx: SimContext, req: IncomingMessage) => Promise<UploadEnvelope>> = {
  '/api/file-stream-upload': streamUpload,
  '/api/file-base64-upload': base64Upload,
};

export function createUploadHandler(ctx: SimContext): RequestHandler {
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://simulator');
    if (url.pathname.startsWith('/files/')) return serveFile(req, res, ctx.uploadFiles, url.pathname);
    if (await respondInjected(ctx, req, res, 'upload')) return;
    const route = ROUTES[url.pathname];
    if (!route) return sendNotFound(res, url.pathname);
    if (req.method !== 'POST') return sendNotFound(res, url.pathname, 405);
    if (!hasBearer(req, ctx.options().apiKey)) {
      return sendJson(res, 200, uploadError(401, 'Authentication failed: Invalid API Key'));
    }
    sendJson(res, 200, await route(ctx, req));
  };
}
