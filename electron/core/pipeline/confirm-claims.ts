// When record-info is asked to confirm what a callback claimed: at once, then again after 1, 2, 4,
// 8, 16 s while record-info lags behind the callback, so the producer waits a second, not minutes.
import { STAGE_RANK } from '../../../shared/job-machine.ts';
import type { TaskState } from '../../../shared/domain.ts';

export interface PendingClaim {
  claim: TaskState;
  since: number;
  retries: number;
}

/** KIE allows 3 record-info queries per second per task; stay under it. */
export const MIN_POLL_SPACING_MS = 400;
const FIRST_RETRY_MS = 1_000;
const CONFIRM_WINDOW_MS = 30_000;

/** Whether the task (as record-info left it) is as far as the callback claimed. */
export function isClaimSettled(state: TaskState, trackCount: number, claim: TaskState): boolean {
  if (state === 'complete' || state === 'failed') return true;
  if (claim === 'complete' || claim === 'failed') return false;
  return STAGE_RANK[state] >= STAGE_RANK[claim] && (claim !== 'first' || trackCount > 0);
}

/** Delay before the next confirming poll, or null when the window is over (normal polling resumes). */
export function nextConfirmDelay(pending: PendingClaim, now: number): number | null {
  const delay = FIRST_RETRY_MS * 2 ** pending.retries;
  return now + delay - pending.since <= CONFIRM_WINDOW_MS ? delay : null;
}

/** Keeps the strongest claim per task (a `complete` outranks an earlier `first`). */
export function strongerClaim(
  current: PendingClaim | undefined,
  claim: TaskState,
  now: number,
): PendingClaim {
  if (current && STAGE_RANK[current.claim] >= STAGE_RANK[claim]) return current;
  return { claim, since: now, retries: 0 };
}
