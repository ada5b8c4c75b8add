// The shape of one schema migration: the user_version it moves the database to, and the step.
import type Database from 'better-sqlite3';

export interface Migration {
  /** The user_version after this step; migration N moves the database from N-1 to N. */
  version: number;
  /** Runs inside the runner's transaction; must not commit, and must not touch user_version. */
  up(db: Database.Database): void;
}
