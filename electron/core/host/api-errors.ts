// Maps every error the core can throw onto the contract's `{ code, message }` so clients show
// plain words; unexpected errors keep a generic code and never leak stack traces or secrets.
import type { ApiErrorBody } from '../../../shared/result.ts';

export class NotFoundError extends Error {
  code = 'not_found' as const;
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

export class BadRequestError extends Error {
  code = 'bad_request' as const;
  constructor(message: string) {
    super(message);
    this.name = 'BadRequestError';
  }
}

/** Errors whose message is written for the producer; anything else is a bug and says so. */
const KNOWN_ERRORS = new Set([
  'KieError',
  'SubmitError',
  'NotFoundError',
  'BadRequestError',
  'DataDirLockedError',
  'StoreError',
  'ExportError',
  'IngestError',
]);

export function toApiError(error: unknown): ApiErrorBody {
  if (error instanceof Error && KNOWN_ERRORS.has(error.name)) {
    const code = (error as Error & { code?: unknown }).code;
    return { code: typeof code === 'string' ? code : 'error', message: error.message };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message: `Unexpected error: ${message}` };
}
