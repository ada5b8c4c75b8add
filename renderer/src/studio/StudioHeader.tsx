// The studio's title line: which task is open and what it is, with the way out to the library and
// to export.
import type { TaskView } from '../../../shared/domain.ts';
import { KIND_LABELS, STATE_LABELS, taskTitle } from '../common/format.ts';
import { setUi } from '../state/ui-store.ts';

interface StudioHeaderProps {
  task: TaskView;
  laneCount: number;
  error: string | null;
  onExport: () => void;
}

export function StudioHeader({ task, laneCount, error, onExport }: StudioHeaderProps) {
  return (
    <header className="studio-header">
      <div>
        <div className="eyebrow">
          {KIND_LABELS[task.kind]} · {STATE_LABELS[task.state]} · {laneCount} lanes
        </div>
        <h1 className="studio-title">{taskTitle(task)}</h1>
      </div>
      <div className="studio-header-actions">
        {error && <span className="tone-bad small">{error}</span>}
        <button
          type="button"
          className="button"
          onClick={() => setUi({ view: 'library', selectedTaskId: task.id })}
        >
          Show in library
        </button>
        <button
          type="button"
          className="button primary"
          disabled={!task.tracks.some((t) => t.state === 'ready')}
          onClick={onExport}
        >
          Export…
        </button>
      </div>
    </header>
  );
}
