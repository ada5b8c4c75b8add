// The app's query cache instance: which events make which keys stale, and the React hook over it.
import { useCallback, useRef, useSyncExternalStore } from 'react';
import type { Result } from '../../../shared/result.ts';
import { api } from '../api/window-api.ts';
import { createQueryCache, type QueryState } from './query-cache.ts';

export const queryKeys = {
  hostStatus: 'host.status',
  credits: 'credits',
  settings: 'settings',
  task: (id: string) => `task:${id}`,
  tasks: (query: object) => `tasks:${JSON.stringify(query)}`,
  callbacks: (query: object) => `callbacks:${JSON.stringify(query)}`,
  peaks: (trackId: string, pixels: number) => `peaks:${trackId}:${pixels}`,
  /** Keyed by the take's task too, so that task's `tasks.changed` refreshes it. */
  lyrics: (taskId: string, trackId: string) => `lyrics:${taskId}:${trackId}`,
  /** Derived once by the core and never stale: no event invalidates these. */
  source: (taskId: string, stemsRate: number | null) => `source:${taskId}@${stemsRate ?? 'none'}`,
  residual: (taskId: string) => `residual:${taskId}`,
};

export const cache = createQueryCache((name, payload, key) => {
  switch (name) {
    case 'tasks.changed': {
      const { ids } = payload as { ids: string[] };
      return (
        key.startsWith('tasks:') ||
        ids.some((id) => key === queryKeys.task(id) || key.startsWith(`lyrics:${id}:`))
      );
    }
    case 'downloads.changed':
      return key === queryKeys.hostStatus;
    case 'callbacks.changed':
      return key.startsWith('callbacks:');
    case 'host.changed':
      return key === queryKeys.hostStatus;
    case 'settings.changed':
      return key === queryKeys.settings || key === queryKeys.hostStatus;
    default:
      return false;
  }
});

let stopListening: (() => void) | null = null;

/** Starts feeding contract events into the cache (once per page). */
export function connectCache(): () => void {
  stopListening ??= api.onEvent((name, payload) => cache.handleEvent(name, payload));
  return () => {
    stopListening?.();
    stopListening = null;
  };
}

const IDLE: QueryState<never> = { data: undefined, error: null, isLoading: false };

/** Reads a key through the cache; `null` reads nothing (a query that is not wanted yet). */
export function useQuery<T>(key: string | null, fetcher: () => Promise<Result<T>>): QueryState<T> {
  const fetcherRef = useRef(fetcher);
  fetcherRef.current = fetcher;
  const subscribe = useCallback(
    (listener: () => void) =>
      key ? cache.subscribe(key, () => fetcherRef.current(), listener) : () => undefined,
    [key],
  );
  const snapshot = useCallback(() => (key ? (cache.read<T>(key) ?? IDLE) : IDLE), [key]);
  return useSyncExternalStore(subscribe, snapshot);
}
