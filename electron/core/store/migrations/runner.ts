// Applies pending migrations: forward-only, all of them and the new user_version in one
// transaction, and never on a database written by a newer Stemhook.
import type Database from 'better-sqlite3';
import { StoreError } from '../store-error.ts';
import type { Migration } from './migration.ts';
import { MIGRATIONS } from './index.ts';

/**
 * Throws 'newer_database' when the file's schema is ahead of this build. Reads user_version only,
 * so it is safe to call before any pragma that could rewrite the file.
 */
export function refuseNewer(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.length;
  if (current > latest) {
    throw new StoreError(
      'newer_database',
      `This library was written by a newer Stemhook (schema ${current}, this build knows ${latest}). Update Stemhook; the library was not modified.`,
    );
  }
  return current;
}

/** Brings the database to the last of `migrations` (all of them, unless a test passes a prefix). */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): void {
  const current = refuseNewer(db, migrations);
  const latest = migrations.length;
  if (current === latest) return;
  const run = db.transaction(() => {
    for (const migration of migrations.slice(current)) migration.up(db);
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
