// What the core does once a callback is recorded, whichever way it came in (the receiver, a replay
// from the inspector, or adoption of callbacks that beat KIE's create answer): tell the UI, confirm
// an unverified terminal claim by polling, start any downloads it queued, and fetch the stem ids
// of a separation it completed.
import type { CallbackOutcome } from '../receiver/process-callback.ts';
import type { EventBus } from './events.ts';

export interface CallbackReactionDeps {
  events: Pick<EventBus, 'emit'>;
  reconciler: { pollSoon(taskId?: string): number; fetchStemIds(taskId: string): Promise<boolean> };
  downloader: { kick(): void };
}

export function createCallbackReaction(deps: CallbackReactionDeps): (outcome: CallbackOutcome) => void {
  return (outcome) => {
    deps.events.emit('callbacks.changed', { ids: [outcome.callbackId] });
    if (outcome.effect?.downloadsQueued) deps.downloader.kick();
    if (!outcome.taskId) return;
    deps.events.emit('tasks.changed', { ids: [outcome.taskId] });
    if (outcome.effect?.needsVerification) deps.reconciler.pollSoon(outcome.taskId);
    // A separation completed by callback lacks the originData ids that per-stem MIDI needs.
    if (outcome.effect && outcome.effect.to === 'complete' && outcome.effect.from !== 'complete')
      void deps.reconciler.fetchStemIds(outcome.taskId);
  };
}
