// Browser mode's way to take a whole export home: `GET /api/exports/runs/<exportId>.zip` streams the
// files a finished export wrote as one zip (stored, not compressed: WAVs barely shrink). Only the
// files of exports this host ran are served, never a path from the URL. The token is checked already.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { once } from 'node:events';
import { basename } from 'node:path';
import { Zip, ZipPassThrough } from 'fflate';
import type { ApiHandlers, ExportResultView } from '../../../shared/api.ts';
import { contentDisposition } from './export-download-route.ts';

export const EXPORT_ZIP_PREFIX = '/api/exports/runs/';
const PATTERN = /^\/api\/exports\/runs\/([A-Za-z0-9-]{1,128})\.zip$/;
/** Finished exports remembered for download; older ones fall out (their files stay on disk). */
const REMEMBERED = 20;

export function createExportZipRoute() {
  const results = new Map<string, ExportResultView>();

  /** Wraps export.run so every finished export can be downloaded as a zip afterwards. */
  function remembering(run: ApiHandlers['export.run']): ApiHandlers['export.run'] {
    return async (input) => {
      const result = await run(input);
      results.delete(result.exportId);
      results.set(result.exportId, result);
      for (const key of results.keys()) if (results.size > REMEMBERED) results.delete(key);
      return result;
    };
  }

  async function route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const match = PATTERN.exec(url.pathname);
    if (!match) return false;
    const result = results.get(match[1] ?? '');
    const missing = result ? await firstMissing(result) : null;
    if (!result || missing) {
      const message = result
        ? `${basename(missing ?? '')} is no longer in ${result.folder}; export again to download it`
        : 'This export is not known here (the host restarted?); export again to download it';
      res.writeHead(404, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ ok: false, error: { code: 'not_found', message } }));
      return true;
    }
    res.writeHead(200, {
      'content-type': 'application/zip',
      'content-disposition': contentDisposition(`${basename(result.folder)}.zip`),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    await streamZip(result, res).catch(() => res.destroy());
    return true;
  }

  return { route, remembering };
}

async function firstMissing(result: ExportResultView): Promise<string | null> {
  for (const file of result.files) {
    const isFile = await stat(file.path).then(
      (s) => s.isFile(),
      () => false,
    );
    if (!isFile) return file.path;
  }
  return null;
}

async function streamZip(result: ExportResultView, res: ServerResponse): Promise<void> {
  let failure: Error | null = null;
  const zip = new Zip((error, chunk, isFinal) => {
    if (error) failure = error;
    else if (!res.destroyed) res.write(chunk);
    if (isFinal) res.end();
  });
  for (const file of result.files) {
    const entry = new ZipPassThrough(file.name);
    zip.add(entry);
    for await (const chunk of createReadStream(file.path)) {
      entry.push(chunk as Uint8Array);
      // The browser sets the pace: wait while the socket's buffer is full.
      if (res.writableNeedDrain) await once(res, 'drain');
      if (failure || res.destroyed) throw failure ?? new Error('the download was cancelled');
    }
    entry.push(new Uint8Array(0), true);
  }
  zip.end();
}
