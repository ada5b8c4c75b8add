// Asks the core for a task's derived lanes: its uploaded source (decoded once into the PCM cache) and,
// for a split whose stems are all downloaded, its residual. Each is computed once and then cached.
import { useMemo } from 'react';
import type { DerivedTrackView, ResidualView } from '../../../shared/api.ts';
import type { TaskView } from '../../../shared/domain.ts';
import { api } from '../api/window-api.ts';
import { queryKeys, useQuery } from '../state/queries.ts';
import { hasResidual, type DerivedLanes } from './lanes.ts';

export function useDerivedLanes(task: TaskView | undefined): DerivedLanes {
  const id = task?.id ?? '';
  const wantsSource = task !== undefined && task.sourceName !== null && task.parentTaskId === null;
  // Asked again once stems are ready: the core then answers the source at their rate (it was
  // resampled if recorded at another), which the studio plays from its next opening.
  const stemsRate = task?.tracks.find((t) => t.state === 'ready' && t.sampleRate)?.sampleRate ?? null;
  const source = useQuery<DerivedTrackView>(wantsSource ? queryKeys.source(id, stemsRate) : null, () =>
    api.call['tasks.source']({ id }),
  );
  const residual = useQuery<ResidualView>(task && hasResidual(task) ? queryKeys.residual(id) : null, () =>
    api.call['tasks.residual']({ id }),
  );
  const sourceError = source.error?.message ?? null;
  const residualError = residual.error?.message ?? null;
  // A new object only when an answer arrives, so the lanes built from it are not rebuilt every render.
  return useMemo(
    () => ({
      source: { data: source.data, error: sourceError },
      residual: { data: residual.data, error: residualError },
    }),
    [source.data, sourceError, residual.data, residualError],
  );
}
