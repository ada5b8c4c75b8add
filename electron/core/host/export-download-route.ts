// Browser mode's stand-in for drag-out: `GET /api/exports/tracks/<trackId>.wav` streams the lane's
// prepared WAV (from the drag cache) as a download. The local API has checked the token already.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiHandlers } from '../../../shared/api.ts';
import { toApiError } from './api-errors.ts';
import { sendBody } from './send-body.ts';

export const EXPORT_ROUTE_PREFIX = '/api/exports/tracks/';
const PATTERN = /^\/api\/exports\/tracks\/([A-Za-z0-9-]{1,128})(?:\.wav)?$/;

/** RFC 6266: an ASCII fallback plus the exact UTF-8 name. */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export function createExportDownloadRoute(handlers: Pick<ApiHandlers, 'export.prepareDrag'>) {
  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> => {
    const match = PATTERN.exec(url.pathname);
    if (!match) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' });
      res.end();
      return true;
    }
    let file: { path: string; name: string };
    try {
      const { files } = await handlers['export.prepareDrag']({ trackIds: [match[1] as string] });
      if (!files[0]) throw new Error('no file prepared');
      file = files[0];
    } catch (error) {
      const body = toApiError(error);
      res.writeHead(body.code === 'not_found' ? 404 : 409, {
        'content-type': 'application/json; charset=utf-8',
      });
      res.end(JSON.stringify({ ok: false, error: body }));
      return true;
    }
    const { size } = await stat(file.path);
    res.writeHead(200, {
      'content-type': 'audio/wav',
      'content-length': String(size),
      'content-disposition': contentDisposition(file.name),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    if (req.method === 'HEAD') {
      res.end();
      return true;
    }
    await sendBody(createReadStream(file.path), res);
    return true;
  };
}
