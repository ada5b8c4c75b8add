// "Split this take": asks once with the cost, then submits a separation of that take.
import { useState } from 'react';
import type { TaskView, TrackView } from '../../../shared/domain.ts';
import { api } from '../api/window-api.ts';
import { cache, queryKeys } from '../state/queries.ts';
import { notify, setUi } from '../state/ui-store.ts';
import { OPERATION_COSTS } from '../submit/costs.ts';

export function SplitButton({ task, track, name }: { task: TaskView; track: TrackView; name: string }) {
  const [isAsking, setIsAsking] = useState(false);
  const [isBusy, setIsBusy] = useState(false);

  const split = async (kind: 'split_stem' | 'separate_vocal') => {
    if (!track.audioId) return;
    setIsBusy(true);
    const result = await api.call['tasks.submit']({
      kind,
      from: { taskId: task.id, audioId: track.audioId },
    });
    setIsBusy(false);
    setIsAsking(false);
    if (!result.ok) return notify('error', result.error.message);
    cache.invalidate((key) => key === queryKeys.credits || key.startsWith('tasks:'));
    notify('success', `Splitting ${name} of "${task.title ?? 'this task'}".`);
    setUi({ selectedTaskId: result.value.id });
  };

  if (!isAsking) {
    return (
      <button
        type="button"
        className="button small"
        aria-label={`Split ${name} into stems`}
        onClick={() => setIsAsking(true)}
      >
        Split…
      </button>
    );
  }
  return (
    <span className="split-ask" role="group" aria-label={`Split ${name}`}>
      <button
        type="button"
        className="button small primary"
        disabled={isBusy}
        onClick={() => void split('split_stem')}
      >
        12 stems · {OPERATION_COSTS.split_stem} cr
      </button>
      <button
        type="button"
        className="button small"
        disabled={isBusy}
        onClick={() => void split('separate_vocal')}
      >
        Vocals/inst · {OPERATION_COSTS.separate_vocal} cr
      </button>
      <button type="button" className="icon-button" aria-label="Cancel" onClick={() => setIsAsking(false)}>
        ×
      </button>
    </span>
  );
}
