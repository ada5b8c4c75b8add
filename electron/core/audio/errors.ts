// The error type every audio ingest failure surfaces as, with a code callers can switch on.

/**
 * not_audio: empty file or no MPEG audio frames; truncated: the stream ends inside a frame or before
 * the frame count its Xing/VBRI header promises; io: the file or the output folder cannot be read or
 * written; internal: a decode worker died or the ingestor was already closed.
 */
type IngestErrorCode = 'not_audio' | 'truncated' | 'io' | 'internal';

export class IngestError extends Error {
  readonly code: IngestErrorCode;

  constructor(code: IngestErrorCode, message: string) {
    super(message);
    this.name = 'IngestError';
    this.code = code;
  }
}

export function isIngestErrorCode(value: unknown): value is IngestErrorCode {
  return value === 'not_audio' || value === 'truncated' || value === 'io' || value === 'internal';
}

/** Node's fs errors carry a string errno code (ENOENT, EACCES...); anything else is our bug. */
export function toIngestError(error: unknown): IngestError {
  if (error instanceof IngestError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const errno = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  return new IngestError(typeof errno === 'string' && errno.startsWith('E') ? 'io' : 'internal', message);
}
