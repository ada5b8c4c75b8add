// The window's two custom schemes: `stemhook://app/` serves the built renderer with a strict CSP
// (no file:// pages), `stemhook-audio://library/` serves library audio with ranges. The decisions
// live in Node modules (library-files.ts, web-security.ts); this is the Electron glue.
import { protocol } from 'electron';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { Readable } from 'node:stream';
import {
  createLibraryResponder,
  resolveRequestPath,
  type AudioLookup,
  type FileResponse,
} from '../core/host/library-files.ts';
import { APP_ORIGIN, APP_SCHEME, AUDIO_SCHEME } from './contract-bridge.ts';
import { desktopCsp } from './web-security.ts';

const RENDERER_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
};

const CORS_HEADERS = {
  'access-control-allow-origin': APP_ORIGIN,
  'access-control-allow-methods': 'GET, HEAD',
  'access-control-allow-headers': 'range',
  'access-control-expose-headers': 'content-range, content-length, accept-ranges',
};

/** Must run before the app is ready: standard + secure gives the schemes real origins and fetch. */
export function registerSchemes(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
    },
    {
      scheme: AUDIO_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, stream: true },
    },
  ]);
}

function toResponse(result: FileResponse, extra: Record<string, string> = {}): Response {
  const body = result.body ? (Readable.toWeb(result.body) as ReadableStream<Uint8Array>) : null;
  return new Response(body, { status: result.status, headers: { ...result.headers, ...extra } });
}

/** The policy also as a <meta> tag (minus frame-ancestors, which meta cannot carry): belt and braces. */
function withCspMeta(html: Buffer, fullPolicy: string): Uint8Array {
  const policy = fullPolicy
    .split('; ')
    .filter((directive) => !directive.startsWith('frame-ancestors'))
    .join('; ');
  const meta = `<meta http-equiv="Content-Security-Policy" content="${policy}">`;
  return new TextEncoder().encode(html.toString('utf8').replace(/<head([^>]*)>/i, `<head$1>${meta}`));
}

async function serveRenderer(rendererDir: string, request: Request, policy: string): Promise<Response> {
  const url = new URL(request.url);
  if (url.host !== 'app' || (request.method !== 'GET' && request.method !== 'HEAD'))
    return new Response(null, { status: 404 });
  const resolved = resolveRequestPath(
    rendererDir,
    url.pathname === '/' ? '/index.html' : url.pathname,
    RENDERER_TYPES,
  );
  if (!resolved.ok) return new Response(null, { status: resolved.status });
  // readFile, not streams: it reads inside app.asar, where the packaged renderer lives.
  const bytes = await readFile(resolved.path).catch(() => null);
  if (!bytes) return new Response(null, { status: 404 });
  const type = RENDERER_TYPES[extname(resolved.path).toLowerCase()] ?? 'application/octet-stream';
  const body = new Uint8Array(type.startsWith('text/html') ? withCspMeta(bytes, policy) : bytes);
  return new Response(request.method === 'HEAD' ? null : body, {
    status: 200,
    headers: {
      'content-type': type,
      'content-security-policy': policy,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-cache',
    },
  });
}

export function handleSchemes(options: {
  rendererDir: string;
  libraryDir: string;
  lookup: AudioLookup;
  /** Demo mode's simulator origin, whose stream URLs the window may play (null in live mode). */
  demoMediaOrigin?: () => string | null;
}): void {
  const respond = createLibraryResponder({ libraryDir: options.libraryDir, lookup: options.lookup });
  protocol.handle(APP_SCHEME, (request) =>
    serveRenderer(options.rendererDir, request, desktopCsp(options.demoMediaOrigin?.() ?? null)),
  );
  protocol.handle(AUDIO_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (request.method === 'OPTIONS') return new Response(null, { status: 204, headers: CORS_HEADERS });
    if (url.host !== 'library') return new Response(null, { status: 404 });
    const result = await respond({
      method: request.method,
      pathname: url.pathname,
      range: request.headers.get('range'),
      search: url.search,
    });
    return toResponse(result, CORS_HEADERS);
  });
}
