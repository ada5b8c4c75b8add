// Injects a storage fault where a real one cannot be made (no tmpfs mount without root): every
// INSERT/UPDATE/DELETE on the connections to one database file fails with the given SQLite error
// code, exactly as SQLite reports a full disk or a held lock. Transactions still begin and roll back.
import Database from 'better-sqlite3';

type RunFn = (this: Database.Statement, ...params: unknown[]) => Database.RunResult;

export function failWrites(dbPath: string, code: 'SQLITE_FULL' | 'SQLITE_BUSY'): () => void {
  const probe = new Database(':memory:');
  const proto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as { run: RunFn };
  probe.close();
  const original = proto.run;
  const message = code === 'SQLITE_FULL' ? 'database or disk is full' : 'database is locked';
  proto.run = function (this: Database.Statement, ...params: unknown[]) {
    if (this.database.name === dbPath && /^\s*(INSERT|UPDATE|DELETE|REPLACE)\b/i.test(this.source))
      throw new Database.SqliteError(message, code);
    return original.apply(this, params);
  };
  return () => {
    proto.run = original;
  };
}
