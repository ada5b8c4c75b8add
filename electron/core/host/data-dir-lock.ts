// One host per data directory: two processes writing one library would race on downloads and
// callbacks, so the second one refuses with a clear message instead.
//
// The lock is an OS file lock, not a PID in a file: `host.lock` is a tiny SQLite database whose
// exclusive lock the host holds for its lifetime (store/exclusive-lock.ts). The OS releases it when the process dies however it dies, so a crash, a SIGKILL or a Windows
// shutdown never leaves a lock behind, a reused PID can never block a start, and two simultaneous
// starts cannot both win. The file itself stays on disk: deleting it on exit would let a starter
// that had already opened the old file and a later one each lock a different file.
import { accessSync, constants, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { StemhookError } from '../stemhook-error.ts';
import { takeExclusiveLock, type ExclusiveLock } from '../store/index.ts';
import { readHostFile } from './host-file.ts';
import { isProcessAlive } from '../process-alive.ts';

export class DataDirLockedError extends StemhookError<'data_dir_locked'> {
  constructor(dataDir: string, pid: number | null) {
    super(
      'data_dir_locked',
      `Another Stemhook${pid ? ` (pid ${pid})` : ''} is already using ${dataDir}. Quit it first ` +
        '(close its window, or press Ctrl+C where `stemhook serve` runs), or set STEMHOOK_DATA_DIR to another folder.',
    );
    this.name = 'DataDirLockedError';
  }
}

export class DataDirUnusableError extends StemhookError<'data_dir_unusable'> {
  constructor(dataDir: string, file: string, cause: NodeJS.ErrnoException) {
    const why =
      cause.code === 'EROFS'
        ? 'the folder is on a read-only disk'
        : cause.code === 'EACCES' || cause.code === 'EPERM'
          ? 'this user may not write there'
          : cause.code === 'ENOSPC'
            ? 'the disk is full'
            : `the system said: ${cause.code ?? cause.message}`;
    super(
      'data_dir_unusable',
      `Stemhook cannot use its data folder ${dataDir}: it could not create ${file} because ${why}. ` +
        'Free space or fix the permissions, or set STEMHOOK_DATA_DIR to a writable folder.',
    );
    this.name = 'DataDirUnusableError';
  }
}

const SQLITE_MAGIC = 'SQLite format 3\0';

/** A lock file from Stemhook 0.1 held a bare PID; it carries no OS lock, so only the PID can tell. */
function clearLegacyLock(path: string, dataDir: string): void {
  let text: string;
  try {
    text = readFileSync(path, 'latin1');
  } catch {
    return;
  }
  if (text.length === 0 || text.startsWith(SQLITE_MAGIC)) return;
  // A live PID alone proves nothing (PIDs are reused); the old host also wrote its PID to host.json.
  const pid = Number(text.trim());
  const isOldHostRunning =
    Number.isInteger(pid) &&
    pid > 0 &&
    pid !== process.pid &&
    readHostFile(dataDir)?.pid === pid &&
    isProcessAlive(pid);
  if (isOldHostRunning) throw new DataDirLockedError(dataDir, pid);
  rmSync(path, { force: true });
}

/** Takes the data folder's lock or throws a producer-facing error; returns the release function. */
export function lockDataDir(dataDir: string): () => void {
  const path = join(dataDir, 'host.lock');
  let lock: ExclusiveLock;
  try {
    // SQLite reports an unwritable folder as CANTOPEN; ask the OS first for the precise reason.
    accessSync(dataDir, constants.W_OK);
    clearLegacyLock(path, dataDir);
    lock = takeExclusiveLock(path, process.pid);
  } catch (error) {
    if (error instanceof DataDirLockedError) throw error;
    throw new DataDirUnusableError(dataDir, 'host.lock', error as NodeJS.ErrnoException);
  }
  if ('isBusy' in lock) throw new DataDirLockedError(dataDir, readHostFile(dataDir)?.pid ?? null);
  return () => lock.release();
}
