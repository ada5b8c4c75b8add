// A real small file system for "disk full" tests: a tmpfs of a given size mounted on a temp folder.
// Mounting needs root (the test machine runs as root); elsewhere it returns null and callers skip.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SmallDisk {
  dir: string;
  unmount(): void;
}

export function mountSmallDisk(megabytes: number): SmallDisk | null {
  const dir = mkdtempSync(join(tmpdir(), 'stemhook-small-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m`, 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
  return {
    dir,
    unmount() {
      execFileSync('umount', [dir], { stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Whether this machine lets tests mount a small disk (checked once, by trying). */
export const canMountSmallDisk: boolean = (() => {
  const probe = mountSmallDisk(1);
  probe?.unmount();
  return probe !== null;
})();
