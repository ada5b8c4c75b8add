// Every schema migration, oldest first: the position in this list is the version (1, 2, …).
// Forward-only: a shipped migration is never edited or removed, a change is a new file here.
import type { Migration } from './migration.ts';
import { initialSchema } from './001-initial-schema.ts';
import { wavByParentIndex } from './002-wav-by-parent-index.ts';
import { inboxTrust } from './003-inbox-trust.ts';
import { takeLyrics } from './004-take-lyrics.ts';
import { trackAnalysis } from './005-track-analysis.ts';
import { midiTasks } from './006-midi-tasks.ts';

export const MIGRATIONS: readonly Migration[] = [
  initialSchema,
  wavByParentIndex,
  inboxTrust,
  takeLyrics,
  trackAnalysis,
  midiTasks,
];
