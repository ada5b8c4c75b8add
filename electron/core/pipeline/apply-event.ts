// Applies one normalised KIE event to a task: the state machine, stage history, track merge and
// download queueing. Callers run it inside the same transaction as the inbox insert. Only record-info
// (the truth) adds tracks, sets URLs or ends a task; callbacks move the live stage and ask for a poll.
import { transition, type JobEvent } from '../../../shared/job-machine.ts';
import type { TaskState } from '../../../shared/domain.ts';
import type { KieEvent } from '../../../shared/kie/tracks.ts';
import type { Store, TaskRow } from '../store/index.ts';

export interface ApplyInput {
  task: TaskRow;
  event: KieEvent;
  /** Signed or not, a callback is treated the same: a signature does not cover the body. */
  source: 'callback' | 'record-info';
  at: number;
}

export interface Effect {
  from: TaskState;
  to: TaskState;
  note: string | null;
  tracksAdded: number;
  downloadsQueued: number;
  conflictingUrls: string[];
  /** A callback claimed more than it can prove: the reconciler must ask record-info now. */
  needsVerification: boolean;
  /** What the callback claimed (its stage, or `failed`), so the reconciler knows when it is confirmed. */
  claim: TaskState | null;
  /** The callback reused a KIE signature that already vouched for another body: nothing applied. */
  isConflict: boolean;
}

function emptyEffect(task: TaskRow): Effect {
  return {
    from: task.state,
    to: task.state,
    note: null,
    tracksAdded: 0,
    downloadsQueued: 0,
    conflictingUrls: [],
    needsVerification: false,
    claim: null,
    isConflict: false,
  };
}

/** The state a callback event claims, or null for a pending event. */
export function claimOf(event: KieEvent): TaskState | null {
  if (event.kind === 'pending') return null;
  return event.kind === 'failure' ? 'failed' : event.stage;
}

/** The effect of a callback whose signature pair was already used for another body. */
export function conflictEffect(task: TaskRow, event: KieEvent): Effect {
  const effect = emptyEffect(task);
  effect.isConflict = true;
  effect.claim = claimOf(event);
  effect.needsVerification = effect.claim !== null;
  effect.note =
    'this signature already vouched for another body; kept as a conflict, nothing applied, asked record-info';
  return effect;
}

/**
 * KIE's signature covers `taskId.timestamp`, not the body, so a callback (signed or not) proves
 * only that KIE is talking about this task. Its text/first stage is shown live; its tracks, URLs
 * and terminal claims wait for record-info, which the caller asks at once.
 */
function applyCallback(store: Store, input: ApplyInput, effect: Effect): Effect {
  const { task, event, at } = input;
  if (event.kind === 'pending') return effect;
  const isTerminalClaim = event.kind === 'failure' || event.stage === 'complete';
  effect.claim = claimOf(event);
  // Notes in a callback body are a claim too: only record-info's transcription is stored.
  effect.needsVerification =
    isTerminalClaim || (event.kind === 'progress' && (event.tracks.length > 0 || event.midi !== undefined));
  if (isTerminalClaim) {
    effect.note = 'terminal claim from a callback; confirming with record-info before acting on it';
    return effect;
  }
  const step = transition(task.state, { type: 'stage', stage: event.stage });
  effect.to = step.next;
  effect.note = step.note;
  if (step.changed) {
    store.tasks.setState(task.id, step.next, at, null);
    store.tasks.addStage(task.id, step.next, at, 'callback');
  }
  return effect;
}

export function applyEvent(store: Store, input: ApplyInput): Effect {
  const effect = emptyEffect(input.task);
  if (input.source === 'callback') return applyCallback(store, input, effect);
  const { event, at } = input;
  // A failure that only a callback ever claimed is re-checked here: record-info decides afresh.
  const task = store.tasks.reopenCallbackFailure(input.task.id, at) ?? input.task;
  effect.from = task.state;
  effect.to = task.state;
  if (event.kind === 'pending') return effect;

  if (event.kind === 'progress') {
    for (const track of event.tracks) {
      const merged = store.tracks.merge(task.id, track, true, 'record-info', at);
      if (merged.isNew) effect.tracksAdded++;
      if (merged.conflictingUrl) effect.conflictingUrls.push(merged.conflictingUrl);
      if (merged.acceptedUrl && store.downloads.enqueue(merged.trackId, merged.acceptedUrl, at)) {
        effect.downloadsQueued++;
      }
    }
    // Tracks announced by older versions from callbacks that record-info never confirmed are dropped.
    if (event.stage === 'complete')
      store.tracks.dropUnconfirmed(
        task.id,
        event.tracks.map((t) => t.key),
      );
    // A transcription, like a URL, is taken only from record-info, and only once.
    if (event.midi && task.kind === 'midi') store.midi.save(task.id, event.midi, 'record-info', at);
  }

  const jobEvent: JobEvent =
    event.kind === 'failure'
      ? {
          type: 'fail',
          error: { code: event.code === null ? 'kie_failure' : `kie_${event.code}`, message: event.message },
        }
      : { type: 'stage', stage: event.stage };
  const step = transition(task.state, jobEvent);
  effect.to = step.next;
  effect.note = step.note;
  if (effect.conflictingUrls.length > 0) {
    effect.note = [effect.note, 'a different URL was announced for a confirmed track; kept the confirmed one']
      .filter(Boolean)
      .join('; ');
  }
  if (step.changed) {
    store.tasks.setState(task.id, step.next, at, jobEvent.type === 'fail' ? jobEvent.error : null);
    store.tasks.addStage(task.id, step.next, at, 'record-info');
  } else if (effect.tracksAdded > 0 || effect.downloadsQueued > 0) {
    store.tasks.touch(task.id, at);
  }
  return effect;
}
