// KIE webhook HMAC check (kie-api.md §9.3): base64(HMAC-SHA256(key, taskId + "." + timestamp)).
// The body is not signed, so a valid signature only vouches for the task id and the time.
import { createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureVerdict = 'valid' | 'missing_headers' | 'invalid' | 'stale';

export interface SignatureInput {
  key: string;
  taskId: string | null;
  timestamp: string | undefined;
  signature: string | undefined;
  nowMs: number;
  /** KIE documents no tolerance; ±5 minutes absorbs clock skew and KIE's retries. */
  windowSec?: number;
  ignoreTimestamp?: boolean;
}

export function signKieCallback(key: string, taskId: string, timestampSec: number): string {
  return createHmac('sha256', key).update(`${taskId}.${timestampSec}`).digest('base64');
}

export function verifyKieSignature(input: SignatureInput): SignatureVerdict {
  const { key, taskId, timestamp, signature } = input;
  if (!timestamp || !signature || !taskId) return 'missing_headers';
  if (!/^\d{1,12}$/.test(timestamp)) return 'invalid';
  const expected = Buffer.from(signKieCallback(key, taskId, Number(timestamp)), 'base64');
  const given = Buffer.from(signature, 'base64');
  const isMatch = given.length === expected.length && timingSafeEqual(given, expected);
  if (!isMatch) return 'invalid';
  if (input.ignoreTimestamp) return 'valid';
  const skewSec = Math.abs(input.nowMs / 1000 - Number(timestamp));
  return skewSec <= (input.windowSec ?? 300) ? 'valid' : 'stale';
}
