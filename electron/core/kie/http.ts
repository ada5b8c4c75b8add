// One HTTP exchange with KIE: fetch with a timeout, then turn every kind of answer into data or a KieError.
import { classifyHttpStatus, classifyKieCode } from '../../../shared/kie/errors.ts';
import type { KieCodeFamily } from '../../../shared/kie/errors.ts';
import { KieError } from './errors.ts';

interface KieRequest {
  url: string;
  method: 'GET' | 'POST';
  apiKey: string;
  family: KieCodeFamily;
  /** Whole-exchange limit; null when only `signal` bounds it (streamed uploads use an idle timer instead). */
  timeoutMs: number | null;
  json?: unknown;
  stream?: { body: AsyncIterable<Uint8Array>; contentType: string; contentLength: number };
  /** Extra abort source (the upload idle timer); its reason should be a TimeoutError DOMException. */
  signal?: AbortSignal;
  redact: (text: string) => string;
}

// Connection-level failures that happen before a single byte of the request is written.
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);

export async function sendKieRequest(req: KieRequest): Promise<unknown> {
  const headers: Record<string, string> = {
    Authorization: `Bearer ${req.apiKey}`,
    Accept: 'application/json',
  };
  let body: string | AsyncIterable<Uint8Array> | undefined;
  if (req.stream) {
    headers['Content-Type'] = req.stream.contentType;
    headers['Content-Length'] = String(req.stream.contentLength);
    body = req.stream.body;
  } else if (req.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(req.json);
  }
  const signals = [req.timeoutMs === null ? null : AbortSignal.timeout(req.timeoutMs), req.signal ?? null];
  const signal = AbortSignal.any(signals.filter((s): s is AbortSignal => s !== null));
  let status: number;
  let text: string;
  let retryAfter: string | null;
  try {
    // Undici accepts async-iterable bodies with duplex 'half'; DOM typings (used when tests type-check this file) do not.
    const init = { method: req.method, headers, body, signal, duplex: 'half' };
    const res = await fetch(req.url, init as unknown as RequestInit);
    status = res.status;
    retryAfter = res.headers.get('retry-after');
    text = await res.text();
  } catch (error) {
    throw transportError(error, req.redact);
  }
  return interpretResponse(status, text, retryAfterMs(retryAfter), req);
}

function interpretResponse(
  status: number,
  text: string,
  retryAfter: number | null,
  req: KieRequest,
): unknown {
  const envelope = parseEnvelope(text);
  const base = { httpStatus: status, retryAfterMs: retryAfter };
  if (envelope === null) {
    // Proxy/gateway HTML pages and empty bodies: only the HTTP status says anything.
    const kieMessage = req.redact(summarise(text)) || null;
    throw new KieError({ ...base, code: classifyHttpStatus(status), kieMessage });
  }
  const msg = req.redact(envelope.msg);
  const isHttpOk = status >= 200 && status < 300;
  if (isHttpOk && envelope.code === 200 && envelope.success !== false) return envelope.data;
  if (isHttpOk && envelope.code === null)
    throw new KieError({ ...base, code: 'bad_response', kieMessage: msg || null });
  // KIE often answers HTTP 200 with the real failure in the body code; a non-2xx status wins only if the body has none.
  const code = envelope.code !== null && envelope.code !== 200 ? envelope.code : isHttpOk ? null : status;
  if (code === null) throw new KieError({ ...base, code: 'unknown', kieCode: 200, kieMessage: msg || null });
  const classified = classifyKieCode(code, msg, { family: req.family, httpStatus: status });
  throw new KieError({ ...base, code: classified, kieCode: code, kieMessage: msg || null });
}

interface Envelope {
  code: number | null;
  msg: string;
  data: unknown;
  success: unknown;
}

function parseEnvelope(text: string): Envelope | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  const body = parsed as Record<string, unknown>;
  // Spring-style error pages ({status, error, message: "No message available"}) use other names.
  const rawCode = body.code ?? body.status;
  const code = typeof rawCode === 'number' ? rawCode : typeof rawCode === 'string' ? Number(rawCode) : NaN;
  const rawMsg = body.msg ?? body.message ?? body.error;
  return {
    code: Number.isInteger(code) ? code : null,
    msg: typeof rawMsg === 'string' ? rawMsg : '',
    data: body.data,
    success: body.success,
  };
}

function transportError(error: unknown, redact: (text: string) => string): KieError {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return new KieError({ code: 'timeout', kieMessage: 'no answer before the timeout' });
  }
  const codes = errorCodes(error);
  const isNotSent = codes.some((code) => NOT_SENT_CODES.has(code));
  const detail =
    codes.length > 0 ? codes.join(', ') : error instanceof Error ? redact(error.message) : 'unknown';
  return new KieError({ code: 'network', kieMessage: detail, mayHaveReachedKie: !isNotSent });
}

function errorCodes(error: unknown, depth = 0): string[] {
  if (typeof error !== 'object' || error === null || depth > 4) return [];
  const record = error as { code?: unknown; cause?: unknown; errors?: unknown };
  const own = typeof record.code === 'string' ? [record.code] : [];
  const nested = Array.isArray(record.errors) ? record.errors.flatMap((e) => errorCodes(e, depth + 1)) : [];
  return [...own, ...nested, ...errorCodes(record.cause, depth + 1)];
}

function retryAfterMs(header: string | null): number | null {
  if (header === null) return null;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds, 120) * 1000 : null;
}

function summarise(text: string): string {
  const title = /<title>([^<]*)<\/title>/i.exec(text)?.[1];
  const plain = (title ?? text.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim();
  return plain.length > 200 ? `${plain.slice(0, 199)}…` : plain;
}
