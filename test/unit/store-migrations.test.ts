// The migration list and its runner on real temp files: versions are contiguous, migrating one
// version at a time gives the same schema as migrating at once, and a failing step leaves the
// database exactly as it was (all pending steps and user_version share one transaction).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../electron/core/store/migrations/index.ts';
import type { Migration } from '../../electron/core/store/migrations/migration.ts';
import { migrate } from '../../electron/core/store/migrations/runner.ts';
import { StoreError } from '../../electron/core/store/index.ts';
import type { RawDb } from '../helpers/raw-sql.ts';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()?.();
});

function freshDb(name: string): RawDb {
  const dir = mkdtempSync(join(tmpdir(), 'stemhook-migrations-'));
  const db = new Database(join(dir, name));
  cleanups.push(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return db;
}

const versionOf = (db: RawDb): number => db.pragma('user_version', { simple: true }) as number;
const schemaOf = (db: RawDb): unknown[] =>
  db.prepare(`SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name`).all();

describe('the migration list', () => {
  it('numbers its versions 1..N in order, so the position in the list is the version', () => {
    expect(MIGRATIONS.length).toBeGreaterThan(0);
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });

  it('migrating one version at a time equals migrating at once', () => {
    const stepwise = freshDb('stepwise.db');
    for (let n = 1; n <= MIGRATIONS.length; n++) {
      migrate(stepwise, MIGRATIONS.slice(0, n));
      expect(versionOf(stepwise)).toBe(n);
    }
    const atOnce = freshDb('at-once.db');
    migrate(atOnce);
    expect(versionOf(atOnce)).toBe(MIGRATIONS.length);
    expect(schemaOf(stepwise)).toEqual(schemaOf(atOnce));
    expect(schemaOf(atOnce).length).toBeGreaterThan(0);
  });

  it('a failing step rolls back every pending step and leaves user_version alone', () => {
    const db = freshDb('failing.db');
    migrate(db, MIGRATIONS.slice(0, 1));
    const before = schemaOf(db);
    const broken: Migration = {
      version: MIGRATIONS.length + 1,
      up(raw) {
        raw.exec(`CREATE TABLE half_done (x TEXT); INSERT INTO no_such_table VALUES (1);`);
      },
    };
    let caught: unknown;
    try {
      migrate(db, [...MIGRATIONS, broken]);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(StoreError);
    expect((caught as StoreError).code).toBe('migration_failed');
    expect(versionOf(db)).toBe(1);
    expect(schemaOf(db)).toEqual(before);
  });

  it('refuses a database newer than the list it is given, without changing it', () => {
    const db = freshDb('newer.db');
    migrate(db);
    const before = schemaOf(db);
    expect(() => migrate(db, MIGRATIONS.slice(0, MIGRATIONS.length - 1))).toThrow(
      expect.objectContaining({ code: 'newer_database' }),
    );
    expect(versionOf(db)).toBe(MIGRATIONS.length);
    expect(schemaOf(db)).toEqual(before);
  });
});
