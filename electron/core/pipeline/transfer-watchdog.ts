// Guards one download attempt with a single timer: no progress for `stallMs`, fewer than
// `minThroughput.bytes` in a window (a server dripping a byte every few seconds keeps a stall timer
// happy forever), or the whole attempt running past `deadlineMs` aborts it with a plain reason.
import { DownloadError, formatBytes } from './download-error.ts';

export interface TransferLimits {
  stallMs: number;
  deadlineMs: number;
  minThroughput: { bytes: number; windowMs: number } | null;
}

export interface TransferWatchdog {
  /** Aborted with a DownloadError when a limit is crossed. */
  signal: AbortSignal;
  /** Something happened (headers arrived, a redirect): resets the stall clock. */
  touch(): void;
  /** Body bytes arrived: count them toward the throughput window. */
  received(bytes: number): void;
  stop(): void;
}

export function startWatchdog(limits: TransferLimits, now: () => number = Date.now): TransferWatchdog {
  const controller = new AbortController();
  const startedAt = now();
  let lastActivityAt = startedAt;
  let windowStartAt = startedAt;
  let windowBytes = 0;
  let timer: NodeJS.Timeout | null = null;

  function fail(error: DownloadError): void {
    timer = null;
    controller.abort(error);
  }

  function check(): void {
    const at = now();
    if (at - startedAt >= limits.deadlineMs) {
      return fail(new DownloadError('slow', `The download took longer than ${duration(limits.deadlineMs)}`));
    }
    if (at - lastActivityAt >= limits.stallMs) {
      return fail(
        new DownloadError('stall', `The download stalled (no data for ${limits.stallMs / 1000} s)`),
      );
    }
    const floor = limits.minThroughput;
    if (floor && at - windowStartAt >= floor.windowMs) {
      if (windowBytes < floor.bytes) {
        const window = duration(floor.windowMs);
        return fail(
          new DownloadError(
            'slow',
            `The file server is too slow (${formatBytes(windowBytes)} in ${window}, under ${formatBytes(floor.bytes)})`,
          ),
        );
      }
      windowStartAt = at;
      windowBytes = 0;
    }
    arm(at);
  }

  function arm(at: number): void {
    const due = [startedAt + limits.deadlineMs, lastActivityAt + limits.stallMs];
    if (limits.minThroughput) due.push(windowStartAt + limits.minThroughput.windowMs);
    timer = setTimeout(check, Math.max(1, Math.min(...due) - at));
  }

  arm(startedAt);
  return {
    signal: controller.signal,
    touch() {
      lastActivityAt = now();
    },
    received(bytes) {
      windowBytes += bytes;
      lastActivityAt = now();
    },
    stop() {
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}

function duration(ms: number): string {
  return ms < 120_000 ? `${Math.round(ms / 100) / 10} s` : `${Math.round(ms / 60_000)} min`;
}
