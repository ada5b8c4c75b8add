// One host per data directory: two processes writing one library would race on downloads and
// callbacks, so the second one refuses with a clear message instead.
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { StemhookError } from '../stemhook-error.ts';

export class DataDirLockedError extends StemhookError<'data_dir_locked'> {
  constructor(dataDir: string, pid: number) {
    super(
      'data_dir_locked',
      `Another Stemhook (pid ${pid}) is already using ${dataDir}. Quit it first, or set STEMHOOK_DATA_DIR to another folder.`,
    );
    this.name = 'DataDirLockedError';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function lockDataDir(dataDir: string): () => void {
  const path = join(dataDir, 'host.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(readFileSync(path, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid))
        throw new DataDirLockedError(dataDir, pid);
      rmSync(path, { force: true }); // left by a crashed host
    }
  }
  throw new Error(`Could not lock ${dataDir}`);
}
