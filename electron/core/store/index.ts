// The store: one connection, one module per table family, composed once by the core. The contract
// (Store and every row type) is written out in interface.ts; import both from here.
import { openDatabase, type OpenOptions } from './database.ts';
import { startCheckpointer } from './checkpointer.ts';
import { createCallbackStore } from './callback-store.ts';
import { createDownloadStore } from './download-store.ts';
import { createLyricsStore } from './lyrics-store.ts';
import { createMidiStore } from './midi-store.ts';
import { createPendingStore } from './pending-store.ts';
import { createSettingsStore } from './settings-store.ts';
import { createTaskStore } from './task-store.ts';
import { createTrackStore } from './track-store.ts';
import type { Store } from './interface.ts';

export type * from './interface.ts';
export { StoreError } from './store-error.ts';
export { toTrackView } from './track-store.ts';
export { takeExclusiveLock, type ExclusiveLock } from './exclusive-lock.ts';
export { createStorageWatch, storageFaultKind } from './store-watch.ts';

export function createStore(path: string, options: OpenOptions = {}): Store {
  const db = openDatabase(path, options);
  const tracks = createTrackStore(db);
  const lyrics = createLyricsStore(db);
  const midi = createMidiStore(db);
  const tasks = createTaskStore(db, tracks, lyrics, midi);
  const checkpointer = startCheckpointer(db);
  return {
    tracks,
    tasks,
    pending: createPendingStore(db, tasks),
    callbacks: createCallbackStore(db),
    downloads: createDownloadStore(db),
    midi,
    settings: createSettingsStore(db),
    lyrics,
    transaction: (fn) => db.transaction(fn)(),
    transactionImmediate: (fn) => db.transaction(fn).immediate(),
    withoutBusyWait(fn) {
      const previous = db.pragma('busy_timeout', { simple: true }) as number;
      db.pragma('busy_timeout = 0');
      try {
        return fn();
      } finally {
        db.pragma(`busy_timeout = ${previous}`);
      }
    },
    isOpen: () => db.open,
    close(): void {
      if (!db.open) return;
      checkpointer.stop();
      db.close();
    },
  };
}
