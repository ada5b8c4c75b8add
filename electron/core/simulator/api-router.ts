// The API listener (mimics https://api.kie.ai): result files, injected failures, routing, auth, rate limit, JSON.
import type { SimContext } from './context.ts';
import type { Envelope } from './guards.ts';
import { hasBearer, parseJsonObject, readBody, sendJson, sendNotFound } from './http-io.ts';
import { respondInjected } from './injected-response.ts';
import { creditRoute, downloadUrlRoute } from './routes-common.ts';
import { serveFile } from './routes-files.ts';
import { timestampedLyricsRoute } from './routes-lyrics.ts';
import { createMusic, musicRecordInfoRoute } from './routes-music.ts';
import { createSeparation, separationRecordInfoRoute } from './routes-separation.ts';
import { createMidi, midiRecordInfoRoute } from './routes-midi.ts';
import { createWav, wavRecordInfoRoute } from './routes-wav.ts';
import type { RequestHandler } from './server.ts';

const JSON_LIMIT = 1024 * 1024;

interface Route {
  method: 'GET' | 'POST';
  /** Task-creating routes count against the 20-per-10-s limit. */
  isCreate?: boolean;
  handle(ctx: SimContext, input: { body: Record<string, unknown>; query: URLSearchParams }): Envelope;
}

const ROUTES: Record<string, Route> = {
  '/api/v1/generate/add-instrumental': {
    method: 'POST',
    isCreate: true,
    handle: (ctx, { body }) => createMusic(ctx, 'add-instrumental', body),
  },
  '/api/v1/generate/add-vocals': {
    method: 'POST',
    isCreate: true,
    handle: (ctx, { body }) => createMusic(ctx, 'add-vocals', body),
  },
  '/api/v1/generate/record-info': {
    method: 'GET',
    handle: (ctx, { query }) => musicRecordInfoRoute(ctx, query),
  },
  '/api/v1/generate/get-timestamped-lyrics': {
    method: 'POST',
    handle: (ctx, { body }) => timestampedLyricsRoute(ctx, body),
  },
  '/api/v1/vocal-removal/generate': {
    method: 'POST',
    isCreate: true,
    handle: (ctx, { body }) => createSeparation(ctx, body),
  },
  '/api/v1/vocal-removal/record-info': {
    method: 'GET',
    handle: (ctx, { query }) => separationRecordInfoRoute(ctx, query),
  },
  '/api/v1/wav/generate': { method: 'POST', isCreate: true, handle: (ctx, { body }) => createWav(ctx, body) },
  '/api/v1/wav/record-info': { method: 'GET', handle: (ctx, { query }) => wavRecordInfoRoute(ctx, query) },
  '/api/v1/midi/generate': {
    method: 'POST',
    isCreate: true,
    handle: (ctx, { body }) => createMidi(ctx, body),
  },
  '/api/v1/midi/record-info': { method: 'GET', handle: (ctx, { query }) => midiRecordInfoRoute(ctx, query) },
  '/api/v1/chat/credit': { method: 'GET', handle: (ctx) => creditRoute(ctx) },
  // sunoapi.org's spelling of the same endpoint (kie-api.md §9.1).
  '/api/v1/generate/credit': { method: 'GET', handle: (ctx) => creditRoute(ctx) },
  '/api/v1/common/download-url': { method: 'POST', handle: (ctx, { body }) => downloadUrlRoute(ctx, body) },
};

export function createApiHandler(ctx: SimContext): RequestHandler {
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://simulator');
    if (url.pathname.startsWith('/files/')) {
      const { fileFault, fileBytesPerSecond } = ctx.options();
      const delivery = { fault: fileFault, bytesPerSecond: fileBytesPerSecond, signal: ctx.lifecycle.signal };
      // KIE streams a take from another endpoint than its download CDN: the file knobs (a slow or
      // broken download) leave the stream playable, which is what "listen from the first stage" needs.
      const isStream = url.pathname.startsWith('/files/stream/');
      return serveFile(req, res, ctx.apiFiles, url.pathname, isStream ? undefined : delivery);
    }
    if (await respondInjected(ctx, req, res, 'api')) return;
    const route = ROUTES[url.pathname];
    if (!route) return sendNotFound(res, url.pathname);
    if (route.method !== req.method) return sendNotFound(res, url.pathname, 405);
    // KIE reports auth and quota failures inside an HTTP 200 (kie-api.md §1.2).
    if (!hasBearer(req, ctx.options().apiKey)) {
      return sendJson(res, 200, { code: 401, msg: 'You do not have access permissions', data: null });
    }
    const limited = route.isCreate ? ctx.guards.checkCreateRate() : null;
    if (limited) return sendJson(res, 200, limited);
    let body: Record<string, unknown> = {};
    if (route.method === 'POST') {
      const parsed = parseJsonObject(await readBody(req, JSON_LIMIT));
      if (!parsed) return sendJson(res, 200, { code: 400, msg: 'format error', data: null });
      body = parsed;
    }
    sendJson(res, 200, route.handle(ctx, { body, query: url.searchParams }));
  };
}
