// Tracks Stemhook derives rather than downloads (an uploaded source decoded, and conformed to its
// stems' rate when it was recorded at another; a split's residual):
// their ids and where their PCM cache and peaks live, so playback, peaks and export find them as
// they find any track. They are caches: deleting them only costs a recomputation.
import { join } from 'node:path';
import { outputPaths } from './output-paths.ts';

export type DerivedKind = 'source' | 'conformed' | 'residual';

/** `source-<taskId>`, `conformed-<taskId>`, `residual-<taskId>`: never a stored track id (those are UUIDs). */
export function derivedTrackId(kind: DerivedKind, taskId: string): string {
  return `${kind}-${taskId}`;
}

export function parseDerivedTrackId(id: string): { kind: DerivedKind; taskId: string } | null {
  const match = /^(source|conformed|residual)-([A-Za-z0-9-]{1,100})$/.exec(id);
  return match ? { kind: match[1] as DerivedKind, taskId: match[2]! } : null;
}

/** `<library>/<taskId>/<kind>` (+ .pcm, .peaks, .json); task ids are checked by parseDerivedTrackId. */
export function derivedBase(libraryDir: string, kind: DerivedKind, taskId: string): string {
  return join(libraryDir, taskId, kind);
}

export function derivedPaths(libraryDir: string, id: string): { pcmPath: string; peaksPath: string } | null {
  const parsed = parseDerivedTrackId(id);
  return parsed ? outputPaths(derivedBase(libraryDir, parsed.kind, parsed.taskId)) : null;
}
