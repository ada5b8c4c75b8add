// Which tempo and key stand for a whole song when its tracks disagree (a take and its stems): a
// producer's correction on any of them wins, otherwise the most confident detection. The studio
// header and export (sessions, provenance) use this one rule.
import type { KeyView, TempoView, TrackView } from './domain.ts';

export interface SongAnalysis {
  tempo: TempoView | null;
  /** The track the tempo came from: the one a correction in the studio header applies to. */
  tempoTrackId: string | null;
  key: KeyView | null;
  keyTrackId: string | null;
}

type Candidate = Pick<TrackView, 'id' | 'stem' | 'tempo' | 'key' | 'isNearSilent'>;

function pick<T extends { isCorrected: boolean; confidence: number | null }>(
  entries: Array<{ id: string; part: T | null }>,
): { id: string; part: T } | null {
  const known = entries.filter((e): e is { id: string; part: T } => e.part !== null);
  return (
    known.find((e) => e.part.isCorrected) ??
    [...known].sort((a, b) => (b.part.confidence ?? 0) - (a.part.confidence ?? 0))[0] ??
    null
  );
}

/** `tracks` in order of preference: a correction earlier in the list wins over a later one. */
export function songAnalysis(tracks: Candidate[]): SongAnalysis {
  // The takes of one generation are different songs: the first one stands for them all.
  const firstTake = tracks.find((t) => t.stem === 'take');
  const audible = tracks.filter((t) => !t.isNearSilent && (t.stem !== 'take' || t === firstTake));
  const tempo = pick(audible.map((t) => ({ id: t.id, part: t.tempo })));
  const key = pick(audible.map((t) => ({ id: t.id, part: t.key })));
  return {
    tempo: tempo?.part ?? null,
    tempoTrackId: tempo?.id ?? null,
    key: key?.part ?? null,
    keyTrackId: key?.id ?? null,
  };
}
