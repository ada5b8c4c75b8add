// Headlines for the errors a submission (or the key check at start) can end with; the message under each comes from the core
// (already in plain words, with KIE's own words where they help).
import type { ApiErrorBody } from '../../../shared/result.ts';

const HEADLINES: Record<string, string> = {
  auth: 'KIE did not accept the API key',
  insufficient_credits: 'Not enough credits',
  rate_limited: 'KIE is busy right now',
  validation: 'Some settings need fixing',
  file_unreachable: 'KIE could not fetch the file',
  maintenance: 'KIE is under maintenance',
  server: 'KIE had a problem',
  timeout: 'KIE did not answer in time',
  network: 'Could not reach KIE',
  sub_key_limit: 'This key reached its usage cap',
  feature_disabled: 'KIE has this feature switched off',
  generation_failed: 'KIE could not generate this',
  offline: 'Stemhook is not reachable',
  upload: 'The file could not be handed over',
  source_missing: 'The file is gone',
  source_unreadable: 'The file cannot be read',
  source_refused: 'This file cannot be sent to KIE',
  parent_missing: 'The original task is gone',
};

export function errorHeadline(error: ApiErrorBody): string {
  return HEADLINES[error.code] ?? 'Something went wrong';
}

/**
 * A headline in bold and the detail after it, saying each thing once: the core's messages for KIE
 * errors already open with what happened ("KIE rejected the API key. Check the key…"), so that
 * first sentence is the headline; a one-sentence message gets the headline for its code instead.
 */
export function errorParts(error: ApiErrorBody): { headline: string; detail: string } {
  const match = /^(.+?[.!?])\s+(\S[\s\S]*)$/.exec(error.message.trim());
  if (match?.[1] && match[2]) return { headline: match[1], detail: match[2] };
  return { headline: `${errorHeadline(error)}.`, detail: error.message };
}
