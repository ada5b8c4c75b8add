// Decides what one callback request means and records it: verify, parse, then in ONE transaction
// write the inbox row and apply the event. Used by the HTTP receiver and by inspector replays.
import { createHash } from 'node:crypto';
import { callbackTaskId, parseCallback } from '../../../shared/kie/callbacks.ts';
import { applyEvent, conflictEffect, type Effect } from '../pipeline/apply-event.ts';
import type { CallbackVerdict, Store } from '../store/index.ts';
import { storedBody } from './inbox-quota.ts';
import { verifyKieSignature } from './verify-signature.ts';

export interface IncomingCallback {
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  isTruncated: boolean;
  /** Set for inspector replays: the signature is re-checked, its age only if the original was refused. */
  replayOf?: number;
  /** The replayed row's verdict: only a signature already found `valid` in time skips the age check. */
  originalVerdict?: CallbackVerdict;
  /** The callback URL's `sid`: the submission KIE is answering, even if its create answer was lost. */
  submissionId?: string | null;
}

export interface CallbackOutcome {
  status: number;
  message: string;
  callbackId: number;
  taskId: string | null;
  verdict: CallbackVerdict;
  isDuplicate: boolean;
  effect: Effect | null;
}

const REDACTED_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);

function headerText(headers: IncomingCallback['headers']): string {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    kept[name] = REDACTED_HEADERS.has(name.toLowerCase()) ? '[redacted]' : String(value);
  }
  return JSON.stringify(kept);
}

function one(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** What the request says before the store is consulted: content checks and the signature verdict. */
interface Checked {
  verdict: CallbackVerdict;
  status: number;
  message: string;
  json: unknown;
  kieTaskId: string | null;
  /** `timestamp.signature` when the signature is valid: KIE signs no body, so it may vouch for one. */
  signaturePair: string | null;
}

/**
 * Admits or refuses an unverified request from one source. A source is the library task the
 * callback names (`task:<id>`), or `unattributed` for everything else: behind the ngrok tunnel
 * every request arrives from the same loopback address, so the address tells senders nothing.
 */
export type AdmitSource = (source: string) => boolean;
function check(input: IncomingCallback, hmacKey: string | null, now: number): Checked {
  const checked: Checked = {
    verdict: 'malformed',
    status: 400,
    message: 'malformed callback',
    json: undefined,
    kieTaskId: null,
    signaturePair: null,
  };
  const contentType = one(input.headers['content-type']) ?? '';
  if (input.isTruncated) {
    checked.status = 413;
    checked.message = 'body too large';
  } else if (!/^application\/(.+\+)?json\b/i.test(contentType)) {
    checked.status = 415;
    checked.message = 'expected application/json';
  } else {
    try {
      checked.json = JSON.parse(input.body.toString('utf8'));
      checked.kieTaskId = callbackTaskId(checked.json);
    } catch {
      checked.message = 'body is not valid JSON';
    }
  }

  if (checked.json !== undefined && hmacKey) {
    const signature = verifyKieSignature({
      key: hmacKey,
      taskId: checked.kieTaskId,
      timestamp: one(input.headers['x-webhook-timestamp']),
      signature: one(input.headers['x-webhook-signature']),
      nowMs: now,
      ignoreTimestamp: input.replayOf !== undefined && input.originalVerdict === 'valid',
    });
    if (signature === 'valid')
      checked.signaturePair = `${one(input.headers['x-webhook-timestamp'])}.${one(input.headers['x-webhook-signature'])}`;
    else {
      checked.verdict = signature;
      checked.status = 401;
      checked.message = `signature ${signature.replace('_', ' ')}`;
      checked.json = undefined;
    }
  }
  return checked;
}

/** The inbox row and the event's effect; the caller runs it inside a transaction. */
function record(
  store: Store,
  input: IncomingCallback,
  checked: Checked,
  hmacKey: string | null,
  now: number,
  admit: AdmitSource | undefined,
): CallbackOutcome {
  let { verdict, status, message } = checked;
  const { json, kieTaskId, signaturePair } = checked;
  let effect: Effect | null = null;
  let isDuplicate = false;
  let dedupeKey: string | null = null;
  const parsed = json === undefined ? null : parseCallback(json);
  const task = kieTaskId ? store.tasks.getByKieId(kieTaskId) : undefined;
  const source = task ? `task:${task.id}` : 'unattributed';
  let isRateLimited = !signaturePair && !!admit && !admit(source);
  // A well-formed callback for a submission whose create answer we never got makes it a task.
  if (parsed?.ok && kieTaskId && input.submissionId && !isRateLimited)
    store.pending.adopt(input.submissionId, kieTaskId);
  const adopted = task ?? (kieTaskId ? store.tasks.getByKieId(kieTaskId) : undefined);
  const taskId = adopted?.id ?? null;
  // Over its limit, a refused request keeps its refusal; one we would have processed gets 429 (retry).
  if (isRateLimited && parsed?.ok) {
    verdict = hmacKey ? verdict : 'unsigned';
    status = 429;
    message = 'too many unverified callbacks from this source; retry later';
  } else if (parsed) {
    if (!parsed.ok) {
      message = parsed.reason;
    } else if (!adopted) {
      verdict = 'unknown_task';
      status = 404;
      message = 'unknown task';
    } else {
      verdict = hmacKey ? 'valid' : 'unsigned';
      const bodyKey = createHash('sha256')
        .update(`${parsed.value.kieTaskId}\n${JSON.stringify(parsed.value.event)}`)
        .digest('hex');
      const vouchedFor = signaturePair ? store.callbacks.bodyAcceptedFor(signaturePair) : undefined;
      if (vouchedFor !== undefined && vouchedFor !== bodyKey) {
        effect = conflictEffect(adopted, parsed.value.event);
        status = 409;
        message = 'signature already used for another body; kept as a conflict';
      } else {
        dedupeKey = bodyKey;
        isDuplicate = store.callbacks.isSeen(dedupeKey);
        if (!isDuplicate) {
          effect = applyEvent(store, {
            task: adopted,
            event: parsed.value.event,
            source: 'callback',
            at: now,
          });
        }
        status = 200;
        message = isDuplicate ? 'duplicate, already applied' : 'received';
      }
    }
  }
  // A captured signature can be replayed for 300 s: its duplicates and conflicts count too.
  if (signaturePair && (isDuplicate || status === 409) && admit && !admit(source)) isRateLimited = true;
  const isApplied = status === 200 && !isDuplicate && verdict === 'valid';
  const kept = storedBody(input.body, { isApplied, isWellFormed: parsed?.ok === true, isRateLimited });
  const callbackId = store.callbacks.insert({
    received_at: now,
    headers: headerText(input.headers),
    body: kept,
    body_truncated: input.isTruncated || kept.length < input.body.length ? 1 : 0,
    verdict,
    kie_task_id: kieTaskId,
    task_id: taskId,
    dedupe_key: dedupeKey,
    is_duplicate: isDuplicate ? 1 : 0,
    effect: JSON.stringify(effect ?? { note: message }),
    http_status: status,
    replay_of: input.replayOf ?? null,
    submission_id: input.submissionId ?? null,
    signature_pair: status === 200 ? signaturePair : null,
  });
  return { status, message, verdict, callbackId, taskId, isDuplicate, effect };
}

export function processCallback(
  store: Store,
  input: IncomingCallback,
  hmacKey: string | null,
  now: number,
  admit?: AdmitSource,
): CallbackOutcome {
  const checked = check(input, hmacKey, now);
  return store.transactionImmediate(() => record(store, input, checked, hmacKey, now, admit));
}

/**
 * Group commit: every callback that arrived in the same event-loop turn shares one transaction,
 * so under a burst the commit is paid once per batch instead of once per request. Each callback is
 * still answered only after the commit; if the batch fails, each is retried alone so one bad
 * callback cannot take the others down. An Error in the result means that callback was not stored.
 */
export function processCallbacks(
  store: Store,
  inputs: IncomingCallback[],
  hmacKey: string | null,
  now: number,
  admit?: AdmitSource,
): Array<CallbackOutcome | Error> {
  if (inputs.length === 1)
    return [attempt(() => processCallback(store, inputs[0] as IncomingCallback, hmacKey, now, admit))];
  const checked = inputs.map((input) => check(input, hmacKey, now));
  try {
    return store.transactionImmediate(() =>
      inputs.map((input, i) => record(store, input, checked[i] as Checked, hmacKey, now, admit)),
    );
  } catch {
    return inputs.map((input) => attempt(() => processCallback(store, input, hmacKey, now, admit)));
  }
}

function attempt(run: () => CallbackOutcome): CallbackOutcome | Error {
  try {
    return run();
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}
