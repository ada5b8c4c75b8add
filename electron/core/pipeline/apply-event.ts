// Applies one normalised KIE event to a task: the state machine, stage history, track merge and
// download queueing. Callers run it inside the same transaction as the inbox insert.
import { transition, type JobEvent } from '../../../shared/job-machine.ts';
import type { TaskState } from '../../../shared/domain.ts';
import type { KieEvent } from '../../../shared/kie/tracks.ts';
import type { Store, TaskRow } from '../store/index.ts';

export interface ApplyInput {
  task: TaskRow;
  event: KieEvent;
  source: 'callback' | 'record-info';
  /** Record-info and HMAC-verified callbacks. Unsigned callbacks are hints only. */
  isTrusted: boolean;
  at: number;
}

export interface Effect {
  from: TaskState;
  to: TaskState;
  note: string | null;
  tracksAdded: number;
  downloadsQueued: number;
  conflictingUrls: string[];
  /** An untrusted terminal claim: the reconciler must confirm it with record-info. */
  needsVerification: boolean;
}

export function applyEvent(store: Store, input: ApplyInput): Effect {
  const { task, event, source, isTrusted, at } = input;
  const effect: Effect = {
    from: task.state,
    to: task.state,
    note: null,
    tracksAdded: 0,
    downloadsQueued: 0,
    conflictingUrls: [],
    needsVerification: false,
  };
  if (event.kind === 'pending') return effect;

  const isTerminalClaim = event.kind === 'failure' || event.stage === 'complete';
  if (isTerminalClaim && !isTrusted) {
    effect.needsVerification = true;
    effect.note = 'unsigned terminal claim; confirming with record-info before acting on it';
  }

  // KIE's signature does not cover the body, so a replayed signature could announce new tracks;
  // once a task is finished only record-info (the truth) may still add any.
  const mayAddTracks = source === 'record-info' || (task.state !== 'complete' && task.state !== 'failed');
  if (event.kind === 'progress') {
    for (const track of event.tracks) {
      if (!mayAddTracks && !store.tracks.hasKey(task.id, track.key)) continue;
      const merged = store.tracks.merge(task.id, track, isTrusted, source, at);
      if (merged.isNew) effect.tracksAdded++;
      if (merged.conflictingUrl) effect.conflictingUrls.push(merged.conflictingUrl);
      if (merged.acceptedUrl && store.downloads.enqueue(merged.trackId, merged.acceptedUrl, at)) {
        effect.downloadsQueued++;
      }
    }
  }
  // A transcription, like a URL, is taken only from a trusted answer, and only once.
  if (event.kind === 'progress' && event.midi && isTrusted && task.kind === 'midi') {
    store.midi.save(task.id, event.midi, source, at);
  }
  if (effect.needsVerification) {
    if (event.kind === 'progress' && event.tracks.length > 0) store.tasks.touch(task.id, at);
    return effect;
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
    store.tasks.addStage(task.id, step.next, at, source);
  } else if (effect.tracksAdded > 0 || effect.downloadsQueued > 0) {
    store.tasks.touch(task.id, at);
  }
  return effect;
}
