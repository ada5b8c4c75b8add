// Exponential backoff with jitter, and the rules for which failures each kind of KIE call may retry.
import { KieError } from './errors.ts';

export interface RetryPolicy {
  maxRetries: number;
  baseDelayMs: number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

const MAX_DELAY_MS = 30_000;
// KIE's create window is 10 s, so rate-limit waits start larger than ordinary backoff.
const RATE_LIMIT_FACTOR = 4;

/** Reads (record-info, credits) and uploads change nothing on KIE when repeated. */
export function isSafeRetry(error: KieError): boolean {
  return ['network', 'timeout', 'server', 'rate_limited'].includes(error.code);
}

/** A create that may have reached KIE could have started a billed task, so only provable non-deliveries repeat. */
export function isCreateRetry(error: KieError): boolean {
  return error.code === 'rate_limited' || (error.code === 'network' && !error.mayHaveReachedKie);
}

export async function withRetry<T>(
  attempt: () => Promise<T>,
  shouldRetry: (error: KieError) => boolean,
  policy: RetryPolicy,
): Promise<T> {
  for (let retry = 0; ; retry += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof KieError) || retry >= policy.maxRetries || !shouldRetry(error)) throw error;
      await policy.sleep(delayFor(error, retry, policy));
    }
  }
}

function delayFor(error: KieError, retry: number, policy: RetryPolicy): number {
  const factor = error.code === 'rate_limited' ? RATE_LIMIT_FACTOR : 1;
  const backoff = Math.min(MAX_DELAY_MS, policy.baseDelayMs * factor * 2 ** retry);
  const jittered = backoff * (0.5 + policy.random() * 0.5);
  return Math.round(Math.max(jittered, error.retryAfterMs ?? 0));
}
