// Where a track's files live in the library folder, built so that no id can point outside it.
import path from 'node:path';
import { StemhookError } from '../stemhook-error.ts';

export interface TrackPaths {
  dir: string;
  partPath: string;
  mp3Path: string;
  /** Prefix the audio ingest appends its own extensions to (PCM cache, peaks). */
  outBase: string;
}

export class LibraryPathError extends StemhookError<'invalid_id' | 'outside_library'> {
  constructor(code: LibraryPathError['code'], message: string) {
    super(code, message);
    this.name = 'LibraryPathError';
  }
}

const ID_PATTERN = /^[A-Za-z0-9-]{1,128}$/;

export function isSafeId(id: string): boolean {
  return ID_PATTERN.test(id);
}

/** Resolves `target` and proves it sits strictly inside `root`; throws otherwise. */
export function insideLibrary(root: string, ...segments: string[]): string {
  const base = path.resolve(root);
  const target = path.resolve(base, ...segments);
  const relative = path.relative(base, target);
  if (
    relative === '' ||
    relative === '..' ||
    relative.startsWith(`..${path.sep}`) ||
    path.isAbsolute(relative)
  ) {
    throw new LibraryPathError('outside_library', 'A library path would leave the library folder');
  }
  return target;
}

export function trackPaths(libraryDir: string, taskId: string, trackId: string): TrackPaths {
  for (const id of [taskId, trackId]) {
    if (!isSafeId(id))
      throw new LibraryPathError(
        'invalid_id',
        `Refusing an unsafe id for a file name: ${JSON.stringify(id)}`,
      );
  }
  const dir = insideLibrary(libraryDir, taskId);
  const outBase = insideLibrary(libraryDir, taskId, trackId);
  return { dir, outBase, partPath: `${outBase}.mp3.part`, mp3Path: `${outBase}.mp3` };
}
