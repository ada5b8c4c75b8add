// KIE webhook signature (kie-api.md §9.3): Base64(HMAC-SHA256(key, taskId + "." + unixSeconds)); the body is not signed.
import { createHmac } from 'node:crypto';

export function webhookSignature(key: string, taskId: string, timestampSec: number): string {
  return createHmac('sha256', key).update(`${taskId}.${timestampSec}`).digest('base64');
}

export function webhookHeaders(key: string, taskId: string, nowMs: number): Record<string, string> {
  const timestamp = Math.floor(nowMs / 1000);
  return {
    'X-Webhook-Timestamp': String(timestamp),
    'X-Webhook-Signature': webhookSignature(key, taskId, timestamp),
  };
}
