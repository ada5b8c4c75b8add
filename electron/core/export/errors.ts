// The error every export failure surfaces as, with a code the UI and the CLI can act on.
import { StemhookError } from '../stemhook-error.ts';

/**
 * exists: a target file is already there and overwriting was not allowed; bad_request: the
 * options make no sense; not_ready: a track has no decoded audio yet; not_found: no such task or
 * track; disk_full: the target's disk has no room for the file; length_mismatch: a writer received a
 * different amount of audio than promised (a bug).
 */
export type ExportErrorCode =
  'exists' | 'bad_request' | 'not_ready' | 'not_found' | 'io' | 'disk_full' | 'length_mismatch';

export class ExportError extends StemhookError<ExportErrorCode> {
  /** For 'exists': the files that are in the way, so the UI can ask once for all of them. */
  readonly paths: string[];

  constructor(code: ExportErrorCode, message: string, paths: string[] = []) {
    super(code, message);
    this.name = 'ExportError';
    this.paths = paths;
  }
}
