// The task lifecycle as a pure, forward-only state machine: duplicates and late events are no-ops,
// terminal states are sticky, and every refusal says why (kept in the callback inbox).
import type { TaskError, TaskState } from './domain.ts';

type ProgressStage = 'text' | 'first' | 'complete';

export type JobEvent = { type: 'stage'; stage: ProgressStage } | { type: 'fail'; error: TaskError };

interface Transition {
  next: TaskState;
  changed: boolean;
  /** Why nothing changed (duplicate, late, contradiction), or null when the state advanced. */
  note: string | null;
}

/** How far along each state is; terminal states share the top rank. */
export const STAGE_RANK: Record<TaskState, number> = {
  submitted: 0,
  text: 1,
  first: 2,
  complete: 3,
  failed: 3,
};

export function transition(state: TaskState, event: JobEvent): Transition {
  if (state === 'complete' || state === 'failed') {
    const same =
      (state === 'complete' && event.type === 'stage' && event.stage === 'complete') ||
      (state === 'failed' && event.type === 'fail');
    return {
      next: state,
      changed: false,
      note: same ? 'duplicate of the terminal state' : `contradicts terminal state ${state}; ignored`,
    };
  }
  if (event.type === 'fail') return { next: 'failed', changed: true, note: null };
  if (STAGE_RANK[event.stage] > STAGE_RANK[state]) return { next: event.stage, changed: true, note: null };
  return {
    next: state,
    changed: false,
    note: event.stage === state ? 'duplicate stage' : `late stage ${event.stage} after ${state}`,
  };
}
