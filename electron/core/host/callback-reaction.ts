// What the core does once a callback is recorded, whichever way it came in (the receiver, a replay
// from the inspector, or adoption of callbacks that beat KIE's create answer): tell the UI, confirm
// an unverified terminal claim by polling, and start any downloads it queued.
import type { TaskState } from '../../../shared/domain.ts';
import type { CallbackOutcome } from '../receiver/process-callback.ts';
import type { EventBus } from './events.ts';

export interface CallbackReactionDeps {
  events: Pick<EventBus, 'emit'>;
  reconciler: { pollSoon(taskId?: string, claim?: TaskState | null): number };
  downloader: { kick(): void };
}

export function createCallbackReaction(deps: CallbackReactionDeps): (outcome: CallbackOutcome) => void {
  return (outcome) => {
    deps.events.emit('callbacks.changed', { ids: [outcome.callbackId] });
    if (outcome.effect?.downloadsQueued) deps.downloader.kick();
    if (!outcome.taskId) return;
    deps.events.emit('tasks.changed', { ids: [outcome.taskId] });
    if (outcome.effect?.needsVerification) deps.reconciler.pollSoon(outcome.taskId, outcome.effect.claim);
  };
}
