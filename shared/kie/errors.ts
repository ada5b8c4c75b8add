// Classification of KIE failures (both documented code families) into stable codes with messages a producer can act on.

export type KieErrorCode =
  | 'auth'
  | 'insufficient_credits'
  | 'rate_limited'
  | 'validation'
  | 'file_unreachable'
  | 'maintenance'
  | 'server'
  | 'not_found'
  | 'conflict'
  | 'timeout'
  | 'network'
  | 'bad_response'
  | 'feature_disabled'
  | 'generation_failed'
  | 'sub_key_limit'
  | 'unknown';

/** `kie` = current KIE pages, `sunoapi` = KIE lyrics page and sunoapi.org, `upload` = the file-upload host. */
export type KieCodeFamily = 'kie' | 'sunoapi' | 'upload';

interface KieClassifyHints {
  family?: KieCodeFamily;
  httpStatus?: number;
}

// KIE answers "credits insufficient" with 402 on current pages and 429 on older/sister ones, so the text decides.
const CREDITS_TEXT =
  /credits?\b.*\binsufficient|insufficient\b.*\b(credits?|balance)|top ?up|not enough credits/i;
const RATE_TEXT = /rate limit|too many requests|frequency|too frequent/i;
const RECORD_NULL_TEXT = /recordinfo is null/i;

export function classifyKieCode(code: number, msg: string, hints: KieClassifyHints = {}): KieErrorCode {
  const text = msg ?? '';
  if (code === 401 || code === 403) return 'auth';
  if (CREDITS_TEXT.test(text)) return 'insufficient_credits';
  if (RECORD_NULL_TEXT.test(text)) return 'not_found';
  if (hints.family === 'upload' && code === 405) return 'not_found';
  switch (code) {
    case 400:
    case 413:
    case 422:
      return 'validation';
    case 402:
      return 'insufficient_credits';
    case 404:
      return 'not_found';
    case 405:
    case 430:
      return 'rate_limited';
    case 408:
      return 'timeout';
    case 409:
      return 'conflict';
    case 429:
      return hints.family === 'sunoapi' && !RATE_TEXT.test(text) ? 'insufficient_credits' : 'rate_limited';
    case 433:
      return 'sub_key_limit';
    case 451:
      return 'file_unreachable';
    case 455:
      return 'maintenance';
    case 501:
    case 531:
      return 'generation_failed';
    case 505:
      return 'feature_disabled';
  }
  if (code >= 500 && code <= 599) return 'server';
  return 'unknown';
}

/** For answers that carry no usable JSON envelope (proxy pages, bare gateways): only the HTTP status is known. */
export function classifyHttpStatus(status: number): KieErrorCode {
  if (status >= 200 && status < 300) return 'bad_response';
  if (status === 401 || status === 403) return 'auth';
  if (status === 404 || status === 405) return 'not_found';
  if (status === 408) return 'timeout';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server';
  return 'unknown';
}

const RETRYABLE: ReadonlySet<KieErrorCode> = new Set([
  'rate_limited',
  'server',
  'timeout',
  'network',
  'maintenance',
]);

/** Whether the same request may succeed later without the user changing anything. */
export function isRetryable(code: KieErrorCode): boolean {
  return RETRYABLE.has(code);
}

const MESSAGES: Record<KieErrorCode, string> = {
  auth: 'KIE rejected the API key. Check the key in Settings (copy it again from kie.ai/api-key), then retry.',
  insufficient_credits: 'Your KIE balance is too low for this operation. Top up at kie.ai, then retry.',
  rate_limited:
    'KIE is receiving too many requests from this account right now. Wait a few seconds, then retry.',
  validation: 'KIE rejected the request because some settings are invalid.',
  file_unreachable:
    'KIE could not download the audio file. Upload it again (uploaded files expire after about 24 hours), then retry.',
  maintenance: 'KIE is under maintenance. Try again later.',
  server: 'KIE had an internal problem. Try again in a minute.',
  not_found: 'KIE does not know this task or file. It may be too new, expired, or from another account.',
  conflict:
    'KIE already has this result (for example a WAV for this track). Refresh the task instead of resubmitting.',
  timeout:
    'KIE did not answer in time. Check your connection and retry; the task list will show if it went through.',
  network: 'Could not reach KIE. Check your internet connection, then retry.',
  bad_response:
    'KIE sent an answer Stemhook could not understand. Try again; if it keeps happening, KIE may have changed its API.',
  feature_disabled: 'KIE has disabled this feature for now or for this account.',
  generation_failed:
    'KIE could not generate this audio. Try again, perhaps with different settings or source audio.',
  sub_key_limit:
    'This API key has reached the usage cap set for it in the KIE dashboard. Raise the cap or use another key.',
  unknown: 'KIE reported an unexpected error.',
};

/** User-facing text; KIE's own words are appended where they carry detail the user can act on. */
export function userMessageFor(code: KieErrorCode, kieMsg?: string | null): string {
  const detail = (kieMsg ?? '').trim();
  if (code === 'not_found' && /no message available/i.test(detail)) {
    return 'KIE did not recognise the address Stemhook called. Check the API and upload host settings.';
  }
  const base = MESSAGES[code];
  const showsDetail = ['validation', 'unknown', 'generation_failed', 'conflict', 'feature_disabled'].includes(
    code,
  );
  if (!showsDetail || detail === '' || detail.toLowerCase() === 'success') return base;
  return `${base} KIE said: "${truncate(detail, 300)}"`;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
