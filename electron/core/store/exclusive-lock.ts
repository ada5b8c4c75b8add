// An OS file lock held through SQLite, for "one process at a time" guarantees (the data folder's
// host.lock). SQLite locks with fcntl on POSIX and LockFileEx on Windows, and the OS drops those
// locks when the process dies however it dies, so a lock can never outlive its holder.
import Database from 'better-sqlite3';

export type ExclusiveLock = { release(): void } | { isBusy: true };

// Held connections, so a caller that drops the release function cannot let the GC close one.
const held = new Set<Database.Database>();

function isBusy(error: unknown): boolean {
  const code = (error as { code?: string }).code ?? '';
  return code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED');
}

// Two starters racing for a free lock can both be refused (each holds the shared lock the other
// needs), so a refusal is retried with jitter for a short while before it counts as "held".
const RACE_WINDOW_MS = 600;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * Takes the exclusive lock on the SQLite file at `path` (created if missing); `{ isBusy: true }`
 * when another connection, in this process or another, holds it. Other failures (permissions, a
 * full disk) throw as they are.
 */
export function takeExclusiveLock(path: string, holderPid: number): ExclusiveLock {
  const deadline = Date.now() + RACE_WINDOW_MS;
  for (;;) {
    const attempt = tryExclusiveLock(path, holderPid);
    if (!('isBusy' in attempt) || Date.now() >= deadline) return attempt;
    Atomics.wait(sleeper, 0, 0, 10 + Math.random() * 40);
  }
}

function tryExclusiveLock(path: string, holderPid: number): ExclusiveLock {
  const db = new Database(path, { timeout: 0 });
  try {
    // EXCLUSIVE locking mode keeps the write lock until the connection closes. The write matters:
    // SQLite takes no file lock for a transaction on an empty database, so one row is written.
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = MEMORY');
    db.exec(
      `BEGIN EXCLUSIVE; CREATE TABLE IF NOT EXISTS holder (pid INTEGER NOT NULL);
       DELETE FROM holder; INSERT INTO holder (pid) VALUES (${Math.trunc(holderPid)}); COMMIT;`,
    );
  } catch (error) {
    db.close();
    if (isBusy(error)) return { isBusy: true };
    throw error;
  }
  held.add(db);
  return {
    release() {
      if (held.delete(db)) db.close();
    },
  };
}
