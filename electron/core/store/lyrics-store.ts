// Timestamped lyrics of generated takes: KIE's answer stored once per take (words and sections, or
// "none"), the takes still waiting for one, and the full-text index the library search reads.
import type { Db } from './database.ts';
import type { AlignedWord, SongSection, TakeLyricsSummary } from '../../../shared/lyrics.ts';
import { analyseLyrics } from '../../../shared/lyrics.ts';
import type { LyricsStore, SavedLyrics, TakeLyricsRow, TakeNeedingLyrics } from './interface.ts';

/**
 * The library search as an FTS5 query: every word of it must appear (prefixes count, so "harb"
 * finds "harbor"); null when the search has no word characters. Quoting makes any input safe.
 */
export function lyricsMatchQuery(search: string): string | null {
  const tokens = search.match(/[\p{L}\p{N}]+/gu) ?? [];
  return tokens.length > 0 ? tokens.map((t) => `"${t}"*`).join(' ') : null;
}

export function createLyricsStore(db: Db): LyricsStore {
  const byTrack = db.prepare<[string], TakeLyricsRow>(`SELECT * FROM take_lyrics WHERE track_id = ?`);
  const upsert =
    db.prepare(`INSERT INTO take_lyrics (track_id, task_id, state, words, sections, reason, fetched_at)
    VALUES (@trackId, @taskId, @state, @words, @sections, @reason, @at)
    ON CONFLICT (track_id) DO UPDATE SET state = excluded.state, words = excluded.words,
      sections = excluded.sections, reason = excluded.reason, fetched_at = excluded.fetched_at`);
  const unindex = db.prepare(`DELETE FROM take_lyrics_search WHERE track_id = ?`);
  const index = db.prepare(`INSERT INTO take_lyrics_search (words, task_id, track_id) VALUES (?, ?, ?)`);
  const missing = db.prepare<[number], TakeNeedingLyrics>(`SELECT tr.id AS trackId, t.id AS taskId,
      t.kie_task_id AS kieTaskId, tr.audio_id AS audioId
    FROM tracks tr JOIN tasks t ON t.id = tr.task_id
    WHERE tr.stem = 'take' AND tr.audio_id IS NOT NULL AND t.state = 'complete'
      AND t.kind IN ('add-instrumental','add-vocals')
      AND NOT EXISTS (SELECT 1 FROM take_lyrics l WHERE l.track_id = tr.id)
    ORDER BY t.created_at LIMIT ?`);

  return {
    get: (trackId) => byTrack.get(trackId),
    save(input: SavedLyrics, at: number): void {
      const { lines } = analyseLyrics(input.words, null);
      db.transaction(() => {
        upsert.run({
          trackId: input.trackId,
          taskId: input.taskId,
          state: input.words.length > 0 ? 'found' : 'none',
          words: JSON.stringify(input.words),
          sections: JSON.stringify(input.sections),
          reason: input.reason,
          at,
        });
        unindex.run(input.trackId);
        if (lines.length > 0) index.run(lines.map((l) => l.text).join('\n'), input.taskId, input.trackId);
      })();
    },
    missing: (limit = 20) => missing.all(limit),
    summaryOf(trackId: string): TakeLyricsSummary {
      const row = byTrack.get(trackId);
      if (!row) return { state: 'pending', sections: [] };
      return { state: row.state, sections: JSON.parse(row.sections) as SongSection[] };
    },
    wordsOf(trackId: string): AlignedWord[] | null {
      const row = byTrack.get(trackId);
      return row ? (JSON.parse(row.words) as AlignedWord[]) : null;
    },
  };
}
