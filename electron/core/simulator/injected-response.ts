// Answers a request with a queued failNextRequest injection: an envelope, a raw (e.g. HTML) body, or a delay.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimContext } from './context.ts';
import { injectedEnvelope, isDelayOnly } from './faults.ts';
import { readBody, sendJson, sendText } from './http-io.ts';

const DRAIN_LIMIT = 512 * 1024 * 1024;

/** Lets the route do its work now but delays the bytes of its answer. */
function holdAnswer(ctx: SimContext, res: ServerResponse, ms: number): void {
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.end = ((...args: unknown[]) => {
    ctx.lifecycle.sleep(ms).then(
      () => end(...args),
      () => res.destroy(),
    );
    return res;
  }) as ServerResponse['end'];
}

/** True when the injection answered the request; false when there was none or it only delayed it. */
export async function respondInjected(
  ctx: SimContext,
  req: IncomingMessage,
  res: ServerResponse,
  envelope: 'api' | 'upload',
): Promise<boolean> {
  const injected = ctx.faults.takeRequestFailure();
  if (!injected) return false;
  if (injected.delayMs) await ctx.lifecycle.sleep(injected.delayMs);
  if (injected.answerDelayMs) holdAnswer(ctx, res, injected.answerDelayMs);
  if (isDelayOnly(injected)) return false;
  // Consume the request first so the client is not cut off mid-upload.
  await readBody(req, DRAIN_LIMIT);
  if (injected.body !== undefined) {
    const isHtml = injected.body.trimStart().startsWith('<');
    const type = isHtml ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8';
    sendText(res, injected.httpStatus ?? 502, injected.body, type);
    return true;
  }
  const { code, msg } = injectedEnvelope(injected);
  const body = envelope === 'upload' ? { success: false, code, msg, data: null } : { code, msg, data: null };
  sendJson(res, injected.httpStatus ?? 200, body);
  return true;
}
