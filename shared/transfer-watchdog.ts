// Guards one transfer with a single timer: no progress for `stallMs`, fewer than
// `minThroughput.bytes` in a window (a server dripping a byte every few seconds keeps a stall timer
// happy forever), or the whole transfer running past `deadlineMs` ends it. Shared by the host's
// downloads (electron/core/pipeline/transfer-watchdog.ts) and the studio's PCM reads
// (renderer/src/api/audio-url.ts); each says in its own words which limit was crossed.

export interface TransferLimits {
  stallMs: number;
  deadlineMs: number;
  minThroughput: { bytes: number; windowMs: number } | null;
}

/** The limit a transfer crossed, with what the message about it needs. */
export type CrossedLimit =
  | { kind: 'deadline'; deadlineMs: number }
  | { kind: 'stall'; stallMs: number }
  | { kind: 'throughput'; bytes: number; floor: { bytes: number; windowMs: number } };

export interface TransferWatchdog {
  /** Something happened (headers arrived, a redirect): resets the stall clock. */
  touch(): void;
  /** Body bytes arrived: count them toward the throughput window. */
  received(bytes: number): void;
  /** The transfer ended, however it ended: nothing fires after this. */
  stop(): void;
}

/** Time and one-shot timers: the platform's by default, a test's own to run time by hand. */
export interface WatchdogClock {
  now(): number;
  /** Runs `run` after `ms`; the function returned cancels it. */
  schedule(run: () => void, ms: number): () => void;
}

// Node and the browser both have these; this package's own types name no platform.
const timers = globalThis as unknown as {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
};

const platformClock: WatchdogClock = {
  now: () => Date.now(),
  schedule(run, ms) {
    const handle = timers.setTimeout(run, ms);
    return () => timers.clearTimeout(handle);
  },
};

/** `onCrossed` is told once, when the first limit is crossed; the watchdog is stopped then. */
export function startWatchdog(
  limits: TransferLimits,
  onCrossed: (limit: CrossedLimit) => void,
  clock: WatchdogClock = platformClock,
): TransferWatchdog {
  const startedAt = clock.now();
  let lastActivityAt = startedAt;
  let windowStartAt = startedAt;
  let windowBytes = 0;
  let cancel: (() => void) | null = null;

  function cross(limit: CrossedLimit): void {
    cancel = null;
    onCrossed(limit);
  }

  function check(): void {
    const at = clock.now();
    if (at - startedAt >= limits.deadlineMs)
      return cross({ kind: 'deadline', deadlineMs: limits.deadlineMs });
    if (at - lastActivityAt >= limits.stallMs) return cross({ kind: 'stall', stallMs: limits.stallMs });
    const floor = limits.minThroughput;
    if (floor && at - windowStartAt >= floor.windowMs) {
      if (windowBytes < floor.bytes) return cross({ kind: 'throughput', bytes: windowBytes, floor });
      windowStartAt = at;
      windowBytes = 0;
    }
    arm(at);
  }

  function arm(at: number): void {
    const due = [startedAt + limits.deadlineMs, lastActivityAt + limits.stallMs];
    if (limits.minThroughput) due.push(windowStartAt + limits.minThroughput.windowMs);
    cancel = clock.schedule(check, Math.max(1, Math.min(...due) - at));
  }

  arm(startedAt);
  return {
    touch() {
      lastActivityAt = clock.now();
    },
    received(bytes) {
      windowBytes += bytes;
      lastActivityAt = clock.now();
    },
    stop() {
      cancel?.();
      cancel = null;
    },
  };
}
