// The tempo and key an export states for the whole song, by the shared rule (a correction wins,
// then the most confident detection) over the exported lanes and the takes they were split from.
import { songAnalysis, type SongAnalysis } from '../../../shared/song-analysis.ts';
import { toTrackView, type Store, type TaskRow, type TrackRow } from '../store/index.ts';

export type { SongAnalysis } from '../../../shared/song-analysis.ts';

/** The exported lanes first, then each source take up the lineage (a split's take, ...). */
export function exportSongAnalysis(store: Store, lineage: TaskRow[], lanes: TrackRow[]): SongAnalysis {
  const sources = lineage.flatMap((task) =>
    task.parent_task_id && task.parent_audio_id
      ? store.tracks.rowsOf(task.parent_task_id).filter((t) => t.audio_id === task.parent_audio_id)
      : [],
  );
  return songAnalysis([...lanes, ...sources].map(toTrackView));
}
