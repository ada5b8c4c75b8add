// The tempo and key an export states for the whole song: a producer's correction on any exported
// lane or on the take it was split from wins; otherwise the most confident detection among them.
import { toTrackView, type Store, type TaskRow, type TrackRow } from '../store/index.ts';
import type { KeyView, TempoView } from '../../../shared/domain.ts';

export interface SongAnalysis {
  tempo: TempoView | null;
  key: KeyView | null;
}

/** The exported lanes first, then each source take up the lineage (a split's take, ...). */
function candidates(store: Store, lineage: TaskRow[], lanes: TrackRow[]): TrackRow[] {
  const sources = lineage.flatMap((task) =>
    task.parent_task_id && task.parent_audio_id
      ? store.tracks.rowsOf(task.parent_task_id).filter((t) => t.audio_id === task.parent_audio_id)
      : [],
  );
  return [...lanes, ...sources].filter((t) => t.is_near_silent !== 1);
}

function pick<T extends { isCorrected: boolean; confidence: number | null }>(views: Array<T | null>): T | null {
  const known = views.filter((v): v is T => v !== null);
  return (
    known.find((v) => v.isCorrected) ??
    known.sort((a, b) => (b.confidence ?? 0) - (a.confidence ?? 0))[0] ??
    null
  );
}

export function songAnalysis(store: Store, lineage: TaskRow[], lanes: TrackRow[]): SongAnalysis {
  const views = candidates(store, lineage, lanes).map(toTrackView);
  return { tempo: pick(views.map((v) => v.tempo)), key: pick(views.map((v) => v.key)) };
}
