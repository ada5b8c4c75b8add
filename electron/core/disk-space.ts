// Free-space checks before Stemhook writes a large file (PCM cache, drag file, export), so a full
// disk is reported up front in plain words instead of as ENOSPC halfway through a file.
import { statfs } from 'node:fs/promises';

/** Left free on top of every estimate, so SQLite can still commit what it was told. */
export const DISK_RESERVE_BYTES = 16 * 1024 * 1024;

function megabytes(bytes: number): string {
  return `${Math.max(1, Math.ceil(bytes / 1_000_000))} MB`;
}

/**
 * "Disk full" in one sentence when the folder's file system has less than `bytes` plus the reserve
 * available to this user, else null. `what` names the file, e.g. "the playback cache".
 */
export async function diskFullProblem(dir: string, bytes: number, what: string): Promise<string | null> {
  const info = await statfs(dir);
  const free = info.bavail * info.bsize;
  if (free >= bytes + DISK_RESERVE_BYTES) return null;
  return `Disk full: ${what} needs ${megabytes(bytes)} but only ${megabytes(free)} are free in ${dir}.`;
}

export function isDiskFullCode(code: unknown): boolean {
  return code === 'ENOSPC' || code === 'EDQUOT';
}
