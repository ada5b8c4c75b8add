// Serves the built renderer for browser mode with a strict CSP; paths cannot leave its folder.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { ServerResponse } from 'node:http';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/**
 * The policy for the served UI. Media may come from https (KIE's stream URLs) and, in demo mode only,
 * from the simulator's loopback origin (`demoMediaOrigin`), which serves the demo's stream URLs.
 */
export function contentSecurityPolicy(demoMediaOrigin: string | null = null): string {
  const media = ["'self'", 'blob:', 'https:', ...(demoMediaOrigin ? [demoMediaOrigin] : [])].join(' ');
  return (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
    `media-src ${media}; connect-src 'self' ws://127.0.0.1:* ws://localhost:*; object-src 'none'; base-uri 'none'; frame-ancestors 'none'`
  );
}

/** A malformed escape (`%E0%A4%A`) is a 404, never an exception in the request handler. */
function safeDecode(pathname: string): string | undefined {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
}

export async function serveStatic(
  root: string | null,
  pathname: string,
  res: ServerResponse,
  demoMediaOrigin: string | null = null,
): Promise<void> {
  if (!root) {
    res.writeHead(503, { 'content-type': 'text/plain' });
    res.end('The renderer is not built. Run `npm run build`.');
    return;
  }
  const relative = pathname === '/' ? 'index.html' : safeDecode(pathname)?.replace(/^\/+/, '');
  const target = relative === undefined ? null : normalize(join(root, relative));
  const info = target?.startsWith(root + sep) ? await stat(target).catch(() => null) : null;
  if (!target || !info?.isFile()) {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
    return;
  }
  res.writeHead(200, {
    'content-type': TYPES[extname(target)] ?? 'application/octet-stream',
    'content-length': info.size,
    'content-security-policy': contentSecurityPolicy(demoMediaOrigin),
    'x-content-type-options': 'nosniff',
    'cache-control': extname(target) === '.html' ? 'no-store' : 'max-age=3600',
  });
  createReadStream(target).pipe(res);
}
