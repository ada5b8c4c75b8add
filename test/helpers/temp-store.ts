// A real store in a fresh temp directory for tests, plus a task factory; cleanup closes and deletes it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStore, type NewTask, type Store, type TaskRow } from '../../electron/core/store/index.ts';
import { makeTask } from './task.ts';

export interface TempStore {
  store: Store;
  dir: string;
  cleanup(): void;
}

export const TEMP_DB_NAME = 'stemhook.db';

export function createTempStore(): TempStore {
  const dir = mkdtempSync(join(tmpdir(), 'stemhook-store-'));
  const store = createStore(join(dir, TEMP_DB_NAME));
  return {
    store,
    dir,
    cleanup(): void {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Inserts a submitted task (defaults: add-instrumental, created at 1000) and returns its row. */
export function insertTestTask(store: Store, fields: Partial<NewTask> = {}): TaskRow {
  const task = makeTask({ created_at: 1000, ...fields });
  store.tasks.insert(task);
  const row = store.tasks.get(task.id);
  if (!row) throw new Error('task insert did not persist');
  return row;
}
