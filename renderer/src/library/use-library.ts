// The library list over the query cache in pages of PAGE tasks: only pages on screen are read (and
// re-read on tasks.changed), so 10,000 tasks cost what one screen costs.
import { useEffect, useMemo, useState } from 'react';
import type { TaskListQuery } from '../../../shared/api.ts';
import type { TaskView } from '../../../shared/domain.ts';
import { api } from '../api/window-api.ts';
import { cache, queryKeys } from '../state/queries.ts';

const PAGE = 100;

export type LibraryFilter = Pick<TaskListQuery, 'search' | 'state' | 'kind'>;

function pageQuery(filter: LibraryFilter, page: number): TaskListQuery {
  return { ...filter, limit: PAGE, offset: page * PAGE };
}

/** Rows known so far (null = a row of a page not loaded yet) for the visible range of rows. */
export function useLibrary(filter: LibraryFilter, range: { first: number; last: number }) {
  const [version, setVersion] = useState(0);
  const filterKey = JSON.stringify(filter);
  const firstPage = Math.floor(range.first / PAGE);
  const lastPage = Math.floor(range.last / PAGE);

  useEffect(() => {
    const parsed = JSON.parse(filterKey) as LibraryFilter;
    const stops: Array<() => void> = [];
    for (let page = firstPage; page <= lastPage; page++) {
      const query = pageQuery(parsed, page);
      stops.push(
        cache.subscribe(
          queryKeys.tasks(query),
          () => api.call['tasks.list'](query),
          () => setVersion((v) => v + 1),
        ),
      );
    }
    return () => stops.forEach((stop) => stop());
  }, [filterKey, firstPage, lastPage]);

  return useMemo(() => {
    const parsed = JSON.parse(filterKey) as LibraryFilter;
    const rows: Array<TaskView | null> = [];
    let isLoading = false;
    let error: string | null = null;
    for (let page = 0; ; page++) {
      const state = cache.read<TaskView[]>(queryKeys.tasks(pageQuery(parsed, page)));
      if (state?.error) error = state.error.message;
      if (!state?.data) {
        isLoading ||= state?.isLoading ?? page <= lastPage;
        // An unread page after a full one may hold more rows: reserve its rows so scrolling reaches it.
        if (page > 0 && rows.length === page * PAGE) rows.push(...new Array<null>(PAGE).fill(null));
        break;
      }
      rows.push(...state.data);
      if (state.data.length < PAGE) break;
    }
    return { rows, isLoading, error, version };
  }, [filterKey, lastPage, version]);
}

/** Tasks made from one of this task's takes, among the ones loaded (children are newer, so near the top). */
export function loadedChildren(taskId: string): TaskView[] {
  const seen = new Map<string, TaskView>();
  for (const key of cache.keys()) {
    if (!key.startsWith('tasks:')) continue;
    for (const task of cache.read<TaskView[]>(key)?.data ?? [])
      if (task.parentTaskId === taskId) seen.set(task.id, task);
  }
  return [...seen.values()].sort((a, b) => a.createdAt - b.createdAt);
}
