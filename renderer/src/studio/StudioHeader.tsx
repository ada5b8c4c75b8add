// The studio's title line: which task is open and what it is, the song's tempo and key (correctable),
// with the way out to the library and to export.
import type { TaskView } from '../../../shared/domain.ts';
import { songAnalysis } from '../../../shared/song-analysis.ts';
import { TempoKey } from '../common/TempoKey.tsx';
import { api } from '../api/window-api.ts';
import { queryKeys, useQuery } from '../state/queries.ts';
import { KIND_LABELS, STATE_LABELS, taskTitle } from '../common/format.ts';
import { setUi } from '../state/ui-store.ts';

interface StudioHeaderProps {
  task: TaskView;
  laneCount: number;
  error: string | null;
  onExport: () => void;
}

export function StudioHeader({ task, laneCount, error, onExport }: StudioHeaderProps) {
  const ready = task.tracks.filter((t) => t.state === 'ready');
  const parentId = task.parentTaskId;
  const parent = useQuery<TaskView>(parentId ? queryKeys.task(parentId) : null, () =>
    api.call['tasks.get']({ id: parentId ?? '' }),
  );
  // The lanes first, then the take they were split from: the same order export uses.
  const source = parent.data?.tracks.filter((t) => t.audioId === task.parentAudioId) ?? [];
  const song = songAnalysis([...ready, ...source]);
  // With nothing detected, a correction goes on the take (or the first lane).
  const songTrackId = (ready.find((t) => t.stem === 'take') ?? ready[0])?.id;
  return (
    <header className="studio-header">
      <div>
        <div className="eyebrow">
          {KIND_LABELS[task.kind]} · {STATE_LABELS[task.state]} · {laneCount} lanes
        </div>
        <h1 className="studio-title">{taskTitle(task)}</h1>
        {songTrackId && (
          <TempoKey
            tempo={song.tempo}
            musicalKey={song.key}
            tempoTrackId={song.tempoTrackId ?? songTrackId}
            keyTrackId={song.keyTrackId ?? songTrackId}
            analysis={ready.some((t) => t.analysis === 'pending') ? 'pending' : 'done'}
            label={taskTitle(task)}
          />
        )}
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
