// "Split this take": a small confirm with the choice, its cost and the balance (as the submit form
// shows them), then a separation of that take. Nothing is spent by the first click.
import { useState } from 'react';
import type { TaskView, TrackView } from '../../../shared/domain.ts';
import { api } from '../api/window-api.ts';
import { Modal } from '../common/Modal.tsx';
import { cache, queryKeys, useQuery } from '../state/queries.ts';
import { notify, setUi } from '../state/ui-store.ts';
import { costText } from '../submit/costs.ts';
import type { FormValues } from '../submit/form-model.ts';
import { SeparationFields } from '../submit/SeparationFields.tsx';

export function SplitButton({ task, track, name }: { task: TaskView; track: TrackView; name: string }) {
  const [isAsking, setIsAsking] = useState(false);
  return (
    <>
      <button
        type="button"
        className="button small"
        aria-label={`Split ${name} into stems`}
        onClick={() => setIsAsking(true)}
      >
        Split…
      </button>
      {isAsking && <SplitConfirm task={task} track={track} name={name} onClose={() => setIsAsking(false)} />}
    </>
  );
}

function SplitConfirm({
  task,
  track,
  name,
  onClose,
}: {
  task: TaskView;
  track: TrackView;
  name: string;
  onClose: () => void;
}) {
  const [kind, setKind] = useState<FormValues['separationType']>('split_stem');
  const [isBusy, setIsBusy] = useState(false);
  const credits = useQuery<{ credits: number }>(queryKeys.credits, () => api.call['credits.get']({}));
  const cost = costText(kind, credits.data?.credits);

  const split = async (event: React.FormEvent) => {
    event.preventDefault();
    if (!track.audioId) return;
    setIsBusy(true);
    const result = await api.call['tasks.submit']({
      kind,
      from: { taskId: task.id, audioId: track.audioId },
    });
    setIsBusy(false);
    if (!result.ok) return notify('error', result.error.message);
    onClose();
    cache.invalidate((key) => key === queryKeys.credits || key.startsWith('tasks:'));
    notify('success', `Splitting ${name} of "${task.title ?? 'this task'}".`);
    setUi({ selectedTaskId: result.value.id });
  };

  return (
    <Modal title={`Split ${name}`} onClose={isBusy ? undefined : onClose}>
      <form className="split-form" onSubmit={(event) => void split(event)} aria-label={`Split ${name}`}>
        <SeparationFields
          values={{ separationType: kind }}
          onChange={({ separationType }) => setKind(separationType)}
        />
        <footer className="dialog-footer">
          <div className={`cost${cost.isShort ? ' short' : ''}`} data-testid="split-cost">
            {cost.text}
          </div>
          <button type="button" className="button" onClick={onClose} disabled={isBusy}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={isBusy || cost.isShort}>
            Split
          </button>
        </footer>
      </form>
    </Modal>
  );
}
