// A real small filesystem for full-disk tests (a tmpfs the test mounts; needs root) and a filler that
// takes every free byte of it until released.
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SmallDisk {
  dir: string;
  unmount(): void;
}

/** Mounts a tmpfs of `sizeMb`; returns why not when this machine does not allow it (CI without root). */
export function mountSmallDisk(sizeMb: number): SmallDisk | { skipReason: string } {
  const dir = mkdtempSync(join(tmpdir(), 'stemhook-small-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m,mode=0700`, 'tmpfs', dir], {
      stdio: 'pipe',
    });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const detail = (error as { stderr?: Buffer }).stderr?.toString().trim() || (error as Error).message;
    return { skipReason: `cannot mount a tmpfs here (${detail})` };
  }
  return {
    dir,
    unmount() {
      execFileSync('umount', [dir], { stdio: 'pipe' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Writes a file until the filesystem refuses (ENOSPC); `release` deletes it. Returns the bytes taken. */
export function fillDisk(dir: string): { bytes: number; release(): void } {
  const path = join(dir, 'filler.bin');
  const fd = openSync(path, 'w');
  let bytes = 0;
  try {
    for (const size of [1 << 20, 1 << 12, 1]) {
      const chunk = Buffer.alloc(size, 0x5a);
      for (;;) {
        try {
          bytes += writeSync(fd, chunk);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
          break;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
  return { bytes, release: () => rmSync(path, { force: true }) };
}

/** Whether this machine lets tests mount a small disk (checked once, by trying). */
export const canMountSmallDisk: boolean = (() => {
  const probe = mountSmallDisk(1);
  if ('skipReason' in probe) return false;
  probe.unmount();
  return true;
})();
