// Maps every error the core can throw onto the contract's `{ code, message }` so clients show
// plain words. Known errors are recognised by type (they extend StemhookError); anything else is a
// bug: it is logged here and the producer gets a generic sentence, never its message or stack.
import type { ApiErrorBody } from '../../../shared/result.ts';
import { StemhookError } from '../stemhook-error.ts';

export class NotFoundError extends StemhookError<'not_found'> {
  constructor(message: string) {
    super('not_found', message);
    this.name = 'NotFoundError';
  }
}

export class BadRequestError extends StemhookError<'bad_request'> {
  constructor(message: string) {
    super('bad_request', message);
    this.name = 'BadRequestError';
  }
}

export const UNEXPECTED_ERROR: ApiErrorBody = {
  code: 'internal',
  message: 'Something unexpected went wrong inside Stemhook. Try again; if it keeps happening, send the log.',
};

export function toApiError(error: unknown): ApiErrorBody {
  if (error instanceof StemhookError) return { code: error.code, message: error.message };
  console.error('unexpected error:', error);
  return { ...UNEXPECTED_ERROR };
}
