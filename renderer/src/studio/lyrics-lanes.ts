// Where the studio shows lyrics (pure): a lyrics lane under each generated take that has (or may
// get) lyrics, or above the vocal stem of a split of such a take; and whose sections the ruler marks.
import type { TaskView, TrackView } from '../../../shared/domain.ts';
import type { SongSection } from '../../../shared/lyrics.ts';
import type { LaneSpec } from './lanes.ts';

export interface LyricsPlacement {
  /** The lane the lyrics lane sits next to. */
  laneId: string;
  side: 'after' | 'before';
  /** The generated take whose lyrics these are, and its task (for the query cache). */
  takeTrackId: string;
  takeTaskId: string;
  takeName: string;
  sections: SongSection[];
}

/** `none` (an instrumental, a refusal) shows nothing: a quiet state, not something to act on. */
const hasLyricsLane = (track: TrackView | undefined): track is TrackView =>
  track?.stem === 'take' && track.lyrics !== undefined && track.lyrics.state !== 'none';

export function lyricsPlacements(
  lanes: LaneSpec[],
  task: TaskView,
  parent: TaskView | null,
): LyricsPlacement[] {
  const placements: LyricsPlacement[] = [];
  let takeNumber = 0;
  for (const track of task.tracks) {
    if (track.stem === 'take') takeNumber++;
    if (!hasLyricsLane(track) || !lanes.some((lane) => lane.id === track.id)) continue;
    placements.push({
      laneId: track.id,
      side: 'after',
      takeTrackId: track.id,
      takeTaskId: task.id,
      takeName: `Take ${takeNumber}`,
      sections: track.lyrics?.sections ?? [],
    });
  }
  const parentTakes = parent?.tracks.filter((t) => t.stem === 'take') ?? [];
  const parentTake = parentTakes.find((t) => t.audioId !== null && t.audioId === task.parentAudioId);
  const vocals = lanes.find((lane) => lane.stem === 'vocals') ?? lanes.find((lane) => lane.isSource);
  if (parent && hasLyricsLane(parentTake) && vocals) {
    placements.push({
      laneId: vocals.id,
      side: 'before',
      takeTrackId: parentTake.id,
      takeTaskId: parent.id,
      takeName: `Take ${parentTakes.indexOf(parentTake) + 1}`,
      sections: parentTake.lyrics?.sections ?? [],
    });
  }
  return placements;
}

/** The ruler marks the selected take's sections, else those of the first take with lyrics. */
export function rulerSections(placements: LyricsPlacement[], selectedLaneId: string | null): SongSection[] {
  const selected = placements.find((p) => p.takeTrackId === selectedLaneId);
  return (selected ?? placements.find((p) => p.sections.length > 0))?.sections ?? [];
}
