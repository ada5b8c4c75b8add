// The inbox's quota: how much of a body is kept, and how many unverified callbacks one source may
// store per minute. Without it, 100 unsigned 1 MB POSTs grew the database by 185 MB in 3 s.

/** Bodies nobody vouched for keep this much: enough to see what was sent. */
export const UNTRUSTED_PREFIX_BYTES = 4 * 1024;
/** A real KIE callback is a few KB (12 stems included); well-formed ones up to this are kept whole for replay. */
export const WELL_FORMED_MAX_BYTES = 64 * 1024;

export interface BodyVerdict {
  /** An HMAC-valid callback applied for the first time (one per signature pair). */
  isApplied: boolean;
  /** JSON that parsed as a KIE callback. */
  isWellFormed: boolean;
  /** Over its source's limit: only the headers are kept. */
  isRateLimited: boolean;
}

/** The part of a request body the inbox keeps. */
export function storedBody(body: Buffer, { isApplied, isWellFormed, isRateLimited }: BodyVerdict): Buffer {
  if (isRateLimited) return Buffer.alloc(0);
  if (isApplied) return body;
  if (isWellFormed && body.length <= WELL_FORMED_MAX_BYTES) return body;
  return body.subarray(0, UNTRUSTED_PREFIX_BYTES);
}

export interface RateLimit {
  /** Requests a source may make at once. */
  burst: number;
  /** Then one more every this many milliseconds. */
  refillMs: number;
}

/** KIE sends three stages per task, and retries each at most three times; this leaves room for all. */
export const DEFAULT_RATE_LIMIT: RateLimit = { burst: 20, refillMs: 3_000 };
const MAX_SOURCES = 10_000;

/** A token bucket per source, in memory (a restart forgets it; the inbox rows stay). */
export function createRateLimiter(limit: RateLimit = DEFAULT_RATE_LIMIT, now: () => number = Date.now) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return (source: string): boolean => {
    const at = now();
    const bucket = buckets.get(source) ?? { tokens: limit.burst, at };
    bucket.tokens = Math.min(limit.burst, bucket.tokens + (at - bucket.at) / limit.refillMs);
    bucket.at = at;
    // Keep memory bounded: the oldest source is forgotten (it starts again with a full bucket).
    if (!buckets.has(source) && buckets.size >= MAX_SOURCES) {
      const oldest = buckets.keys().next().value;
      if (oldest !== undefined) buckets.delete(oldest);
    }
    buckets.delete(source);
    buckets.set(source, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  };
}
