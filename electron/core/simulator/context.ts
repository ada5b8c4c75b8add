// The shared state one simulator instance hands to its routes and task runners.
import type { AudioLibrary } from './audio-library.ts';
import type { CallbackDispatcher } from './callbacks.ts';
import type { Faults } from './faults.ts';
import type { FileStore, StoredFile } from './file-store.ts';
import type { Guards } from './guards.ts';
import type { IdSource } from './ids.ts';
import type { Lifecycle } from './lifecycle.ts';
import type { TaskStore } from './task-store.ts';
import type { SimulatorOptions } from './types.ts';

export interface SimContext {
  options(): SimulatorOptions;
  /** Base URLs of the two listeners, known once they are bound. */
  urls: { api: string; upload: string };
  lifecycle: Lifecycle;
  ids: IdSource;
  tasks: TaskStore;
  apiFiles: FileStore;
  uploadFiles: FileStore;
  audio: AudioLibrary;
  guards: Guards;
  faults: Faults;
  callbacks: CallbackDispatcher;
}

/** A file this simulator itself serves (an upload or a generated result) that has not expired, else null. */
export function resolveHeldFile(ctx: SimContext, rawUrl: string): StoredFile | null {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return null;
  }
  if (url.origin === new URL(ctx.urls.upload).origin) return ctx.uploadFiles.get(url.pathname);
  if (url.origin === new URL(ctx.urls.api).origin) return ctx.apiFiles.get(url.pathname);
  return null;
}

export function absoluteApiUrl(ctx: SimContext, path: string): string {
  return `${ctx.urls.api}${path}`;
}
