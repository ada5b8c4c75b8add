// The Store's transaction methods on a real temp file: a value comes back, a throw rolls back all
// of it, nesting is a savepoint, and transactionImmediate holds the write lock from its first line
// (another connection cannot start writing) while transaction only takes it at the first write.
import { afterEach, describe, expect, it } from 'vitest';
import { createTempStore, insertTestTask, type TempStore } from '../helpers/temp-store.ts';
import { openRawConnection, storeFileIn, type RawDb } from '../helpers/raw-sql.ts';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()?.();
});

function tempStore(): TempStore {
  const temp = createTempStore();
  cleanups.push(temp.cleanup);
  return temp;
}

/** A second connection that fails at once instead of waiting for a lock. */
function impatientConnection(temp: TempStore): RawDb {
  const raw = openRawConnection(storeFileIn(temp.dir));
  raw.pragma('busy_timeout = 0');
  cleanups.push(() => raw.close());
  return raw;
}

/** True when `raw` could take the write lock right now (it gives it back at once). */
function canStartWriting(raw: RawDb): boolean {
  try {
    raw.exec('BEGIN IMMEDIATE');
    raw.exec('ROLLBACK');
    return true;
  } catch (error) {
    if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
    return false;
  }
}

describe('store.transaction', () => {
  it('returns what fn returns and commits its writes', () => {
    const { store } = tempStore();
    const task = insertTestTask(store);
    const result = store.transaction(() => {
      store.settings.set('a', '1');
      store.tasks.touch(task.id, 5000);
      return 'done';
    });
    expect(result).toBe('done');
    expect(store.settings.get('a')).toBe('1');
    expect(store.tasks.get(task.id)?.updated_at).toBe(5000);
  });

  it('rolls back every write when fn throws, and rethrows', () => {
    const { store } = tempStore();
    const task = insertTestTask(store);
    expect(() =>
      store.transaction(() => {
        store.settings.set('a', '1');
        store.tasks.touch(task.id, 5000);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(store.settings.get('a')).toBeNull();
    expect(store.tasks.get(task.id)?.updated_at).toBe(task.updated_at);
  });

  it('a nested transaction that throws undoes only its own writes', () => {
    const { store } = tempStore();
    store.transaction(() => {
      store.settings.set('outer', 'kept');
      try {
        store.transactionImmediate(() => {
          store.settings.set('inner', 'undone');
          throw new Error('inner fails');
        });
      } catch {
        // the outer transaction goes on
      }
    });
    expect(store.settings.all()).toEqual({ outer: 'kept' });
  });

  it('transaction takes the write lock only at its first write', () => {
    const temp = tempStore();
    const raw = impatientConnection(temp);
    const seen = temp.store.transaction(() => {
      temp.store.settings.get('x');
      return canStartWriting(raw);
    });
    expect(seen).toBe(true);
  });

  it('transactionImmediate holds the write lock from its first line', () => {
    const temp = tempStore();
    const raw = impatientConnection(temp);
    const seen = temp.store.transactionImmediate(() => canStartWriting(raw));
    expect(seen).toBe(false);
    expect(canStartWriting(raw)).toBe(true);
  });
});

describe('store.isOpen', () => {
  it('is true until close, and close is idempotent', () => {
    const temp = createTempStore();
    expect(temp.store.isOpen()).toBe(true);
    temp.store.close();
    expect(temp.store.isOpen()).toBe(false);
    temp.cleanup();
    expect(temp.store.isOpen()).toBe(false);
  });
});
