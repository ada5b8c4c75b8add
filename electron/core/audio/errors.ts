// The error type every audio ingest failure surfaces as, with a code callers can switch on.
import { StemhookError } from '../stemhook-error.ts';
import { isDiskFullCode } from '../disk-space.ts';

/**
 * not_audio: empty file, no MPEG audio frames, or a format no take has (a lying WAV header);
 * truncated: the stream ends inside a frame or before the frame count its Xing/VBRI header
 * promises; too_long: it decodes far longer than KIE announced or any take runs; disk_full: no room
 * for the PCM cache; io: the file or the output folder cannot be read or written; internal: a
 * decode worker died or the ingestor was already closed.
 */
export type IngestErrorCode = 'not_audio' | 'truncated' | 'too_long' | 'disk_full' | 'io' | 'internal';

const CODES: readonly string[] = ['not_audio', 'truncated', 'too_long', 'disk_full', 'io', 'internal'];

export class IngestError extends StemhookError<IngestErrorCode> {
  constructor(code: IngestErrorCode, message: string) {
    super(code, message);
    this.name = 'IngestError';
  }
}

export function isIngestErrorCode(value: unknown): value is IngestErrorCode {
  return typeof value === 'string' && CODES.includes(value);
}

/** Node's fs errors carry a string errno code (ENOENT, EACCES...); anything else is our bug. */
export function toIngestError(error: unknown): IngestError {
  if (error instanceof IngestError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const errno = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  if (isDiskFullCode(errno)) return new IngestError('disk_full', `Disk full: ${message}`);
  return new IngestError(typeof errno === 'string' && errno.startsWith('E') ? 'io' : 'internal', message);
}
