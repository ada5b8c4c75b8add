// Moves WAL checkpoints off the commit path: SQLite's automatic checkpoint runs inside whichever
// commit crosses the threshold (a callback's acknowledgement, usually), so we checkpoint on a timer
// instead, where many commits' pages are written back once.
import type { Db } from './database.ts';

export function startCheckpointer(db: Db, intervalMs = 1000): { stop(): void } {
  db.pragma('wal_autocheckpoint = 0');
  const timer = setInterval(() => {
    if (!db.open) return;
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // busy or closing: the next tick tries again; the WAL stays correct meanwhile
    }
  }, intervalMs);
  timer.unref();
  return {
    stop(): void {
      clearInterval(timer);
      if (!db.open) return;
      try {
        db.pragma('wal_checkpoint(TRUNCATE)');
      } catch (error) {
        // Disk full or locked at shutdown: the WAL stays valid and the next open replays it.
        console.error(`store: final checkpoint skipped: ${(error as Error).message}`);
      }
    },
  };
}
