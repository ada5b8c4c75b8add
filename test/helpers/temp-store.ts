// A real store in a fresh temp directory for tests, plus a task factory; cleanup closes and deletes it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { createStore, type NewTask, type Store, type TaskRow } from '../../electron/core/store/index.ts';

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
  const task: NewTask = {
    id: randomUUID(),
    kie_task_id: randomUUID().replace(/-/g, ''),
    kind: 'add-instrumental',
    title: null,
    source_name: null,
    source_path: null,
    source_sha256: null,
    params: '{}',
    parent_task_id: null,
    parent_audio_id: null,
    callback_url: null,
    created_at: 1000,
    next_poll_at: null,
    ...fields,
  };
  store.tasks.insert(task);
  const row = store.tasks.get(task.id);
  if (!row) throw new Error('task insert did not persist');
  return row;
}
