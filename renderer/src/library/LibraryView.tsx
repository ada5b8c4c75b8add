// The library: every task, searchable and filterable, live; the selected one in a side panel.
import { useState } from 'react';
import { VirtualList } from '../common/VirtualList.tsx';
import { useNow } from '../common/use-now.ts';
import { openStudio, setUi, useUi } from '../state/ui-store.ts';
import { EmptyLibrary } from './EmptyLibrary.tsx';
import { LibraryToolbar } from './LibraryToolbar.tsx';
import { TaskDetails } from './TaskDetails.tsx';
import { TaskRow } from './TaskRow.tsx';
import { useLibrary, type LibraryFilter } from './use-library.ts';

const ROW_HEIGHT = 60;

export function LibraryView() {
  const [filter, setFilter] = useState<LibraryFilter>({});
  const [range, setRange] = useState({ first: 0, last: 30 });
  const selectedId = useUi((ui) => ui.selectedTaskId);
  const library = useLibrary(filter, range);
  const now = useNow();
  const activeIndex = library.rows.findIndex((task) => task?.id === selectedId);
  const isFiltered = Boolean(filter.search || filter.state || filter.kind);

  const select = (index: number) => {
    const task = library.rows[index];
    if (task) setUi({ selectedTaskId: task.id });
  };
  const open = (index: number) => {
    const task = library.rows[index];
    if (task) openStudio(task.id);
  };

  return (
    <div className="library">
      <section className="library-list" aria-label="Library">
        <LibraryToolbar
          filter={filter}
          onChange={setFilter}
          count={library.rows.filter(Boolean).length}
          isLoading={library.isLoading}
        />
        {library.error && <div className="banner banner-error">{library.error}</div>}
        {library.rows.length === 0 && !library.isLoading ? (
          <EmptyLibrary isFiltered={isFiltered} />
        ) : (
          <VirtualList
            count={library.rows.length}
            rowHeight={ROW_HEIGHT}
            label="Tasks"
            activeIndex={activeIndex}
            rowId={(index) => `task-row-${index}`}
            onRange={setRange}
            onActivate={select}
            onOpen={open}
            renderRow={(index) => (
              <TaskRow task={library.rows[index] ?? null} now={now} isSelected={index === activeIndex} />
            )}
          />
        )}
      </section>
      <aside className="library-details" aria-label="Task details">
        {selectedId ? (
          <TaskDetails taskId={selectedId} now={now} />
        ) : (
          <p className="muted pad">Select a task to see its stages, takes and stems.</p>
        )}
      </aside>
    </div>
  );
}
