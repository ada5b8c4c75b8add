// Opens the SQLite database with our pragmas and runs forward-only migrations; refuses a database
// written by a newer Stemhook rather than touching it.
import Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations.ts';
import { StemhookError } from '../stemhook-error.ts';

export type Db = Database.Database;

export class StoreError extends StemhookError<'newer_database' | 'migration_failed'> {
  constructor(code: StoreError['code'], message: string) {
    super(code, message);
    this.name = 'StoreError';
  }
}

export function openDatabase(path: string): Db {
  const db = new Database(path);
  try {
    // Before any pragma: switching journal_mode to WAL rewrites the file header of a newer library.
    refuseNewer(db);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function refuseNewer(db: Db): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = MIGRATIONS.length;
  if (current > latest) {
    throw new StoreError(
      'newer_database',
      `This library was written by a newer Stemhook (schema ${current}, this build knows ${latest}). Update Stemhook; the library was not modified.`,
    );
  }
  return current;
}

export function migrate(db: Db): void {
  const current = refuseNewer(db);
  const latest = MIGRATIONS.length;
  if (current === latest) return;
  const run = db.transaction(() => {
    for (let version = current + 1; version <= latest; version++) {
      db.exec(MIGRATIONS[version - 1] ?? '');
    }
    db.pragma(`user_version = ${latest}`);
  });
  try {
    run.immediate();
  } catch (error) {
    throw new StoreError(
      'migration_failed',
      `Could not upgrade the library database: ${(error as Error).message}`,
    );
  }
}
