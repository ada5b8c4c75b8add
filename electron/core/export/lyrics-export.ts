// The lyrics an export carries: the first exported take with lyrics, else the take a split (or a WAV
// conversion) came from; they become `<Title>.lrc` and the section markers of the session files.
import { analyseLyrics, type LyricLine, type SongSection } from '../../../shared/lyrics.ts';
import type { Store, TaskRow } from '../store/index.ts';

export interface ExportLyrics {
  trackId: string;
  lines: LyricLine[];
  sections: SongSection[];
}

export function lyricsForExport(
  store: Store,
  lineage: readonly TaskRow[],
  exportedTrackIds: readonly string[],
): ExportLyrics | null {
  const candidates = [...exportedTrackIds];
  for (const task of lineage) {
    if (!task.parent_task_id || !task.parent_audio_id) continue;
    const take = store.tracks
      .rowsOf(task.parent_task_id)
      .find((row) => row.stem === 'take' && row.audio_id === task.parent_audio_id);
    if (take) candidates.push(take.id);
  }
  for (const trackId of candidates) {
    if (store.tracks.get(trackId)?.stem !== 'take') continue;
    const summary = store.lyrics.summaryOf(trackId);
    if (summary.state !== 'found') continue;
    const { lines } = analyseLyrics(store.lyrics.wordsOf(trackId) ?? [], null);
    return { trackId, lines, sections: summary.sections };
  }
  return null;
}
