// Client-side pacing for KIE's documented limits: creates per rolling window, record-info polls per task.

interface RateLimiterOptions {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  createLimit?: number;
  createWindowMs?: number;
  pollLimit?: number;
  pollWindowMs?: number;
}

interface RateLimiter {
  /** Resolves once another create fits into the window; KIE rejects rather than queues excess creates. */
  acquireCreate(): Promise<void>;
  acquireRecordInfo(taskId: string): Promise<void>;
}

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const creates = createSlidingWindow(options, options.createLimit ?? 20, options.createWindowMs ?? 10_000);
  const polls = createSlidingWindow(options, options.pollLimit ?? 3, options.pollWindowMs ?? 1_000);
  return {
    acquireCreate: () => creates.acquire('create'),
    acquireRecordInfo: (taskId) => polls.acquire(taskId),
  };
}

function createSlidingWindow(clock: RateLimiterOptions, limit: number, windowMs: number) {
  const stamps = new Map<string, number[]>();

  function prune(key: string, now: number): number[] {
    const kept = (stamps.get(key) ?? []).filter((t) => t > now - windowMs);
    if (kept.length === 0) stamps.delete(key);
    else stamps.set(key, kept);
    return kept;
  }

  async function acquire(key: string): Promise<void> {
    for (;;) {
      const now = clock.now();
      const recent = prune(key, now);
      // Check and record in the same synchronous step so concurrent callers cannot overshoot.
      if (recent.length < limit) {
        stamps.set(key, [...recent, now]);
        return;
      }
      const oldest = recent[0] ?? now;
      await clock.sleep(Math.max(1, oldest + windowMs - now));
    }
  }

  return { acquire };
}
