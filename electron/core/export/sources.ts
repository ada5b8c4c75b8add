// Where an export's audio and facts come from in the library: the task, its lineage (a split of a
// take of an upload), its tracks, and for a generated take the lossless WAV conversion if one was
// downloaded.
import { STEM_LABELS } from '../../../shared/api.ts';
import { uniqueLabels } from '../../../shared/naming.ts';
import type { Store, TaskRow, TrackRow } from '../store/index.ts';
import { ExportError } from './errors.ts';
import type { PcmSource } from './pcm-stream.ts';

export interface LaneSource {
  /** The lane the user picked (a take or a stem). */
  track: TrackRow;
  /** The track whose PCM cache is read: the lane itself, or its WAV conversion. */
  audio: TrackRow;
  decodedFrom: 'mp3' | 'wav';
  pcm: PcmSource;
}

export function taskOrThrow(store: Store, id: string): TaskRow {
  const task = store.tasks.get(id);
  if (!task) throw new ExportError('not_found', `No task ${id} in the library`);
  return task;
}

/** The task and its ancestors, nearest first (a split, the take it came from, ...). */
export function lineageOf(store: Store, task: TaskRow): TaskRow[] {
  const chain = [task];
  for (let current = task; current.parent_task_id && chain.length < 8;) {
    const parent = store.tasks.get(current.parent_task_id);
    if (!parent || chain.some((t) => t.id === parent.id)) break;
    chain.push(parent);
    current = parent;
  }
  return chain;
}

function toPcm(row: TrackRow): PcmSource | null {
  if (
    row.state !== 'ready' ||
    !row.pcm_path ||
    !row.channels ||
    !row.sample_rate ||
    row.sample_count === null
  )
    return null;
  return {
    pcmPath: row.pcm_path,
    channels: row.channels,
    sampleRate: row.sample_rate,
    sampleCount: row.sample_count,
  };
}

export function createSourceFinder(store: Store) {
  return {
    /** The lanes to export: the given ids (all of this task) or every downloaded track. */
    lanes(task: TaskRow, trackIds: readonly string[] | undefined, preferWav: boolean): LaneSource[] {
      const rows = store.tracks.rowsOf(task.id);
      const picked = trackIds
        ? [...new Set(trackIds)].map((id) => {
            const row = rows.find((r) => r.id === id);
            if (!row) throw new ExportError('not_found', `Track ${id} is not part of task ${task.id}`);
            return row;
          })
        : rows.filter((r) => r.state === 'ready');
      if (picked.length === 0)
        throw new ExportError(
          'not_ready',
          'Nothing to export yet: no track of this task has been downloaded.',
        );
      return picked.map((track) => {
        const wav =
          preferWav && track.stem === 'take' && track.audio_id
            ? store.tracks.losslessOf(task.id, track.audio_id)
            : undefined;
        const audio = wav ?? track;
        const pcm = toPcm(audio);
        if (!pcm)
          throw new ExportError(
            'not_ready',
            `${track.stem} (${track.id}) has not been downloaded and decoded yet.`,
          );
        const decodedFrom = wav || task.kind === 'wav' ? 'wav' : 'mp3';
        return { track, audio, decodedFrom, pcm };
      });
    },
    /** Lane labels over the whole task, so "Take 2" keeps its number when exported alone. */
    labels(task: TaskRow): Map<string, string> {
      const rows = store.tracks.rowsOf(task.id);
      const labels = uniqueLabels(rows.map((r) => STEM_LABELS[r.stem]));
      return new Map(rows.map((r, i) => [r.id, labels[i] as string]));
    },
    /** For drag-out: the task a track belongs to and every ready lane of it (for a common length). */
    trackContext(trackId: string): { task: TaskRow; track: TrackRow } {
      const track = store.tracks.get(trackId);
      if (!track) throw new ExportError('not_found', `No track ${trackId}`);
      return { task: taskOrThrow(store, track.task_id), track };
    },
  };
}

export type SourceFinder = ReturnType<typeof createSourceFinder>;

export interface TrackMeta {
  tags: string | null;
  prompt: string | null;
  modelName: string | null;
}

export function trackMeta(row: TrackRow): TrackMeta {
  try {
    const meta = row.meta ? (JSON.parse(row.meta) as Partial<TrackMeta>) : {};
    return { tags: meta.tags ?? null, prompt: meta.prompt ?? null, modelName: meta.modelName ?? null };
  } catch {
    return { tags: null, prompt: null, modelName: null };
  }
}
