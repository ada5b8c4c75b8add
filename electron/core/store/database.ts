// Opens the SQLite database with our pragmas and runs forward-only migrations; refuses a database
// written by a newer Stemhook rather than touching it.
import Database from 'better-sqlite3';
import { migrate, refuseNewer } from './migrations/runner.ts';

export type Db = Database.Database;

export interface OpenOptions {
  /** How long a write waits for another connection's lock before SQLITE_BUSY (default 5 s). */
  busyTimeoutMs?: number;
}

export function openDatabase(path: string, options: OpenOptions = {}): Db {
  const db = new Database(path);
  try {
    // Before any pragma: switching journal_mode to WAL rewrites the file header of a newer library.
    refuseNewer(db);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
