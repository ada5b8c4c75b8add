// A download attempt's watchdog (the shared mechanism: shared/transfer-watchdog.ts): aborts its
// signal with a DownloadError that says which limit the attempt crossed.
import {
  startWatchdog,
  type CrossedLimit,
  type TransferLimits,
  type TransferWatchdog,
  type WatchdogClock,
} from '../../../shared/transfer-watchdog.ts';
import { DownloadError, formatBytes } from './download-error.ts';

export interface DownloadWatchdog extends TransferWatchdog {
  /** Aborted with a DownloadError when a limit is crossed. */
  signal: AbortSignal;
}

export function startDownloadWatchdog(limits: TransferLimits, clock?: WatchdogClock): DownloadWatchdog {
  const controller = new AbortController();
  const watchdog = startWatchdog(limits, (limit) => controller.abort(downloadErrorFor(limit)), clock);
  return { signal: controller.signal, ...watchdog };
}

function downloadErrorFor(limit: CrossedLimit): DownloadError {
  if (limit.kind === 'deadline')
    return new DownloadError('slow', `The download took longer than ${duration(limit.deadlineMs)}`);
  if (limit.kind === 'stall')
    return new DownloadError('stall', `The download stalled (no data for ${limit.stallMs / 1000} s)`);
  return new DownloadError(
    'slow',
    `The file server is too slow (${formatBytes(limit.bytes)} in ${duration(limit.floor.windowMs)}, under ${formatBytes(limit.floor.bytes)})`,
  );
}

function duration(ms: number): string {
  return ms < 120_000 ? `${Math.round(ms / 100) / 10} s` : `${Math.round(ms / 60_000)} min`;
}
