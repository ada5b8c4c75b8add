// Search and filters of the library; the search is debounced so typing stays smooth.
import { useEffect, useState } from 'react';
import { TASK_KINDS, TASK_STATES, type TaskKind, type TaskState } from '../../../shared/domain.ts';
import { KIND_LABELS, STATE_LABELS } from '../common/format.ts';
import type { LibraryFilter } from './use-library.ts';

interface ToolbarProps {
  filter: LibraryFilter;
  onChange: (filter: LibraryFilter) => void;
  count: number;
  isLoading: boolean;
}

export function LibraryToolbar({ filter, onChange, count, isLoading }: ToolbarProps) {
  const [search, setSearch] = useState(filter.search ?? '');
  useEffect(() => {
    const timer = setTimeout(() => {
      if ((filter.search ?? '') !== search.trim())
        onChange({ ...filter, search: search.trim() || undefined });
    }, 200);
    return () => clearTimeout(timer);
  }, [search, filter, onChange]);

  return (
    <div className="toolbar">
      <input
        type="search"
        className="search"
        placeholder="Search title, file, lyrics or task id"
        aria-label="Search tasks"
        value={search}
        onChange={(event) => setSearch(event.currentTarget.value)}
      />
      <select
        aria-label="Filter by state"
        value={filter.state ?? ''}
        onChange={(event) =>
          onChange({ ...filter, state: (event.currentTarget.value || undefined) as TaskState | undefined })
        }
      >
        <option value="">All states</option>
        {TASK_STATES.map((state) => (
          <option key={state} value={state}>
            {STATE_LABELS[state]}
          </option>
        ))}
      </select>
      <select
        aria-label="Filter by operation"
        value={filter.kind ?? ''}
        onChange={(event) =>
          onChange({ ...filter, kind: (event.currentTarget.value || undefined) as TaskKind | undefined })
        }
      >
        <option value="">All operations</option>
        {TASK_KINDS.map((kind) => (
          <option key={kind} value={kind}>
            {KIND_LABELS[kind]}
          </option>
        ))}
      </select>
      <span className="muted count" aria-live="polite">
        {isLoading && count === 0 ? 'Loading…' : `${count}${count % 100 === 0 && count > 0 ? '+' : ''} tasks`}
      </span>
    </div>
  );
}
