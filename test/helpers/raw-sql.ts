// A separate SQLite connection to a store's file, for tests that check rows, schema or integrity
// with raw SQL: the Store hands out no connection, so a test opens its own and closes it after.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { TEMP_DB_NAME } from './temp-store.ts';

export type RawDb = Database.Database;

/** The database file the core (and createTempStore) keeps in its data directory. */
export function storeFileIn(dataDir: string): string {
  return join(dataDir, TEMP_DB_NAME);
}

/** A second connection to the existing database file at `path`; the caller closes it. */
export function openRawConnection(path: string): RawDb {
  const db = new Database(path, { fileMustExist: true });
  // The store's own connection may hold the write lock for a moment (a checkpoint, a callback).
  db.pragma('busy_timeout = 5000');
  return db;
}

/** Opens a second connection to the file at `path`, runs `fn` with it, and closes it. */
export function withRawConnection<T>(path: string, fn: (db: RawDb) => T): T {
  const db = openRawConnection(path);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}
