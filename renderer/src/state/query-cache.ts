// Server data for the renderer: results of contract calls cached by key, re-read when a `*.changed`
// event names them (the one read path), and only while someone is looking at them.
import type { EventName, Events } from '../../../shared/api.ts';
import { createEmitter } from '../../../shared/emitter.ts';
import type { ApiErrorBody, Result } from '../../../shared/result.ts';

export interface QueryState<T> {
  data: T | undefined;
  error: ApiErrorBody | null;
  isLoading: boolean;
}

interface Entry {
  state: QueryState<unknown>;
  fetcher: () => Promise<Result<unknown>>;
  isStale: boolean;
  inFlight: Promise<void> | null;
  isRefetchQueued: boolean;
}

/** Decides which cached keys an event makes stale. */
type Invalidator = <E extends EventName>(name: E, payload: Events[E], key: string) => boolean;

export function createQueryCache(invalidator: Invalidator) {
  const entries = new Map<string, Entry>();
  // One event per cache key: "this key's state changed".
  const changes = createEmitter<Record<string, void>>();
  const isWatched = (key: string) => changes.listenerCount(key) > 0;

  const run = (key: string, entry: Entry): Promise<void> => {
    if (entry.inFlight) {
      entry.isRefetchQueued = true;
      return entry.inFlight;
    }
    entry.isStale = false;
    entry.state = { ...entry.state, isLoading: true };
    changes.emit(key);
    entry.inFlight = entry.fetcher().then((result) => {
      entry.state = result.ok
        ? { data: result.value, error: null, isLoading: false }
        : { data: entry.state.data, error: result.error, isLoading: false };
      entry.inFlight = null;
      changes.emit(key);
      if (entry.isRefetchQueued) {
        entry.isRefetchQueued = false;
        void run(key, entry);
      }
    });
    return entry.inFlight;
  };

  const ensure = (key: string, fetcher: () => Promise<Result<unknown>>): Entry => {
    let entry = entries.get(key);
    if (!entry) {
      entry = {
        state: { data: undefined, error: null, isLoading: false },
        fetcher,
        isStale: true,
        inFlight: null,
        isRefetchQueued: false,
      };
      entries.set(key, entry);
    }
    entry.fetcher = fetcher;
    return entry;
  };

  return {
    read<T>(key: string): QueryState<T> | undefined {
      return entries.get(key)?.state as QueryState<T> | undefined;
    },
    subscribe(key: string, fetcher: () => Promise<Result<unknown>>, listener: () => void): () => void {
      const entry = ensure(key, fetcher);
      const stop = changes.on(key, listener);
      if (entry.isStale) void run(key, entry);
      return stop;
    },
    /** Marks keys stale; the ones on screen are re-read now, the others when next shown. */
    invalidate(match: (key: string) => boolean): void {
      for (const [key, entry] of entries) {
        if (!match(key)) continue;
        entry.isStale = true;
        if (isWatched(key)) void run(key, entry);
      }
    },
    /** Drops keys entirely (e.g. library pages whose offsets shifted). */
    evict(match: (key: string) => boolean): void {
      for (const [key, entry] of entries) {
        if (!match(key)) continue;
        if (isWatched(key)) void run(key, entry);
        else entries.delete(key);
      }
    },
    handleEvent<E extends EventName>(name: E, payload: Events[E]): void {
      for (const [key, entry] of entries) {
        if (!invalidator(name, payload, key)) continue;
        entry.isStale = true;
        if (isWatched(key)) void run(key, entry);
      }
    },
    keys: () => [...entries.keys()],
  };
}
