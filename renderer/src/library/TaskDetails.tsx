// The selected task in full: actions, why it failed (with retry), its stage timeline, its takes or
// stems (with "split this take"), and where it came from and went (lineage).
import type { TaskView } from '../../../shared/domain.ts';
import { api } from '../api/window-api.ts';
import { KIND_LABELS, linkExpiry, STATE_LABELS, taskTitle } from '../common/format.ts';
import { queryKeys, useQuery } from '../state/queries.ts';
import { notify, openStudio, setUi } from '../state/ui-store.ts';
import { LineageView } from './LineageView.tsx';
import { MidiButton } from './MidiButton.tsx';
import { MidiResult } from './MidiResult.tsx';
import { StageTimeline } from './StageTimeline.tsx';
import { TrackList } from './TrackList.tsx';

export function TaskDetails({ taskId, now }: { taskId: string; now: number }) {
  const query = useQuery<TaskView>(queryKeys.task(taskId), () => api.call['tasks.get']({ id: taskId }));
  const task = query.data;
  if (!task) return <p className="muted pad">{query.error ? query.error.message : 'Loading…'}</p>;
  const expiry = linkExpiry(task, now);
  // From "First take ready" on: a take not downloaded yet plays from KIE's stream in the studio.
  const isPlayable = task.tracks.some((t) => t.state === 'ready' || t.streamUrl !== null);

  const retry = async () => {
    const result = await api.call['tasks.retry']({ id: task.id });
    if (result.ok) {
      notify('success', 'Submitted again as a new task.');
      setUi({ selectedTaskId: result.value.id });
    } else notify('error', result.error.message);
  };
  const refresh = async () => {
    const result = await api.call['tasks.refresh']({ id: task.id });
    notify(
      result.ok ? 'info' : 'error',
      result.ok ? 'Asking KIE for the latest state…' : result.error.message,
    );
  };

  return (
    <div className="details" data-testid="task-details" data-details-id={task.id}>
      <header className="details-header">
        <div className="eyebrow">{KIND_LABELS[task.kind]}</div>
        <h2 className="details-title">{taskTitle(task)}</h2>
        <div className="muted small">
          {task.sourceName ? `From ${task.sourceName}` : task.parentTaskId ? 'From a generated take' : ''}
          <span className="mono" title="KIE task id">
            {' '}
            · {task.kieTaskId}
          </span>
        </div>
        <div className="details-actions">
          <button
            type="button"
            className="button primary"
            disabled={!isPlayable}
            onClick={() => openStudio(task.id)}
          >
            Open in studio
          </button>
          <button
            type="button"
            className="button"
            onClick={() => setUi({ view: 'inspector', inspectorTaskId: task.id })}
          >
            Callbacks
          </button>
          {(task.kind === 'split_stem' || task.kind === 'separate_vocal') && task.state === 'complete' && (
            <MidiButton task={task} />
          )}
          {task.state !== 'complete' && task.state !== 'failed' && (
            <button type="button" className="button" onClick={() => void refresh()}>
              Check now
            </button>
          )}
        </div>
      </header>
      {task.error && (
        <div className="banner banner-error" role="alert" data-testid="task-error">
          <strong>{STATE_LABELS.failed}.</strong> {task.error.message}
          <div className="banner-actions">
            <span className="muted small">code {task.error.code}</span>
            <button type="button" className="button small" onClick={() => void retry()}>
              Retry (billed again)
            </button>
          </div>
        </div>
      )}
      <section aria-label="Stages">
        <h3>Stages</h3>
        <StageTimeline task={task} />
      </section>
      {task.kind === 'midi' && (
        <section aria-label="MIDI">
          <h3>MIDI</h3>
          <MidiResult task={task} />
        </section>
      )}
      <section aria-label="Files" hidden={task.kind === 'midi'}>
        <h3>
          {task.kind === 'split_stem' || task.kind === 'separate_vocal' ? 'Stems' : 'Takes'}
          <span className={`expiry tone-${expiry.tone}`}>{expiry.text}</span>
        </h3>
        <TrackList task={task} />
      </section>
      <section aria-label="Lineage">
        <h3>Lineage</h3>
        <LineageView task={task} />
      </section>
    </div>
  );
}
