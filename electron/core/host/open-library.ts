// Opens the data folder for a host: creates it, takes its lock and opens the library database,
// turning each way that can fail into one sentence a producer can act on (which file, what
// happened, what to do) instead of a raw `EROFS` or `file is not a database`.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { StemhookError } from '../stemhook-error.ts';
import { createStore, type Store } from '../store/index.ts';
import { DataDirUnusableError, lockDataDir } from './data-dir-lock.ts';

export class LibraryDatabaseError extends StemhookError<'library_database_unusable'> {
  constructor(path: string, what: string, todo: string) {
    super('library_database_unusable', `The library database ${path} ${what}. ${todo}`);
    this.name = 'LibraryDatabaseError';
  }
}

function describeOpenFailure(path: string, error: unknown): Error {
  const code = String((error as { code?: unknown }).code ?? '');
  const detail = (error as Error).message;
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT'))
    return new LibraryDatabaseError(
      path,
      `is damaged (SQLite says: ${detail})`,
      'Stemhook did not change it. Restore it from a backup, or move it aside and start again to begin an empty library (your audio files in the library folder stay where they are).',
    );
  if (code === 'SQLITE_FULL' || code === 'ENOSPC')
    return new LibraryDatabaseError(
      path,
      'cannot be opened because the disk is full',
      'Free some space and start again.',
    );
  if (
    code.startsWith('SQLITE_READONLY') ||
    code.startsWith('SQLITE_CANTOPEN') ||
    code === 'EROFS' ||
    code === 'EACCES'
  )
    return new LibraryDatabaseError(
      path,
      `cannot be opened for writing (${detail})`,
      'Check that the disk is not read-only and that this user owns the file, or set STEMHOOK_DATA_DIR to another folder.',
    );
  return error as Error;
}

/** Creates the folder, locks it and opens its store; `release()` closes both, in order. */
export function openLibrary(dataDir: string): { store: Store; release(): void } {
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new DataDirUnusableError(dataDir, 'the folder', error as NodeJS.ErrnoException);
  }
  const unlock = lockDataDir(dataDir);
  const path = join(dataDir, 'stemhook.db');
  let store: Store;
  try {
    store = createStore(path);
  } catch (error) {
    unlock();
    throw describeOpenFailure(path, error);
  }
  return {
    store,
    release() {
      try {
        store.close();
      } finally {
        unlock();
      }
    },
  };
}
