// The store: one connection, one module per table family, composed once by the core.
import { openDatabase, type Db } from './database.ts';
import { startCheckpointer } from './checkpointer.ts';
import { createCallbackStore } from './callback-store.ts';
import { createDownloadStore } from './download-store.ts';
import { createPendingStore } from './pending-store.ts';
import { createSettingsStore } from './settings-store.ts';
import { createTaskStore } from './task-store.ts';
import { createTrackStore } from './track-store.ts';

export type Store = ReturnType<typeof createStore>;

export function createStore(path: string) {
  const db: Db = openDatabase(path);
  const tracks = createTrackStore(db);
  const tasks = createTaskStore(db, tracks);
  const checkpointer = startCheckpointer(db);
  return {
    db,
    tracks,
    tasks,
    pending: createPendingStore(db, tasks),
    callbacks: createCallbackStore(db),
    downloads: createDownloadStore(db),
    settings: createSettingsStore(db),
    close(): void {
      if (!db.open) return;
      checkpointer.stop();
      db.close();
    },
  };
}

export { StoreError } from './database.ts';
