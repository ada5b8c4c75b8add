// The error type every KIE client failure is thrown as, carrying the classified code and KIE's raw answer.
import { isRetryable, userMessageFor } from '../../../shared/kie/errors.ts';
import type { KieErrorCode } from '../../../shared/kie/errors.ts';
import type { FieldError } from '../../../shared/kie/limits.ts';
import { StemhookError } from '../stemhook-error.ts';

interface KieErrorInit {
  code: KieErrorCode;
  kieCode?: number | null;
  httpStatus?: number | null;
  kieMessage?: string | null;
  message?: string;
  fields?: FieldError[];
  mayHaveReachedKie?: boolean;
  retryAfterMs?: number | null;
}

export class KieError extends StemhookError<KieErrorCode> {
  kieCode: number | null;
  httpStatus: number | null;
  kieMessage: string | null;
  retryable: boolean;
  fields: FieldError[];
  /** False only when the request provably never left (validation, connection refused, DNS failure). */
  mayHaveReachedKie: boolean;
  retryAfterMs: number | null;

  constructor(init: KieErrorInit) {
    super(init.code, init.message ?? userMessageFor(init.code, init.kieMessage));
    this.name = 'KieError';
    this.kieCode = init.kieCode ?? null;
    this.httpStatus = init.httpStatus ?? null;
    this.kieMessage = init.kieMessage ?? null;
    this.retryable = isRetryable(init.code);
    this.fields = init.fields ?? [];
    this.mayHaveReachedKie = init.mayHaveReachedKie ?? true;
    this.retryAfterMs = init.retryAfterMs ?? null;
  }
}

export function isKieError(value: unknown): value is KieError {
  return value instanceof KieError;
}

/** Answers that leave KIE's side unknown: the request may have been carried out before it went wrong. */
const UNSETTLED_ANSWERS: ReadonlySet<KieErrorCode> = new Set([
  'timeout',
  'network',
  'server',
  'bad_response',
  'unknown',
]);

/**
 * True when no task can exist on KIE's side: the request never left, or KIE answered with a
 * refusal (bad key, no credits, invalid settings …). A lost, garbled or server-error answer is not.
 */
export function provesNothingCreated(error: KieError): boolean {
  if (!error.mayHaveReachedKie) return true;
  return error.httpStatus !== null && !UNSETTLED_ANSWERS.has(error.code);
}

/** Thrown before any request leaves the machine, so the message lists every field to fix. */
export function createValidationError(fields: FieldError[]): KieError {
  const lines = fields.map((f) => `${f.field}: ${f.message}`).join(' ');
  const message = `Please fix these settings before sending to KIE. ${lines}`;
  return new KieError({ code: 'validation', fields, message, mayHaveReachedKie: false });
}

/** Removes the API key from any text that came back from the network before it reaches a message or log. */
export function createRedactor(secret: string): (text: string) => string {
  if (secret === '') return (text) => text;
  return (text) => text.split(secret).join('[redacted]');
}
