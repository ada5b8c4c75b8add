// Migration 4: the timestamped lyrics of generated takes (kie-api.md §7.3), one row per take once
// KIE answered (words and sections, or "none" for an instrumental or a refusal), and a full-text
// index of their words for the library search.
import type { Migration } from './migration.ts';

export const takeLyrics: Migration = {
  version: 4,
  up(db) {
    db.exec(`
CREATE TABLE take_lyrics (
  track_id TEXT PRIMARY KEY REFERENCES tracks(id) ON DELETE CASCADE,
  task_id TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
  state TEXT NOT NULL CHECK (state IN ('found','none')),
  words TEXT NOT NULL,
  sections TEXT NOT NULL,
  reason TEXT,
  fetched_at INTEGER NOT NULL
) STRICT;
CREATE VIRTUAL TABLE take_lyrics_search USING fts5(words, task_id UNINDEXED, track_id UNINDEXED,
  tokenize = 'unicode61 remove_diacritics 2');
`);
  },
};
