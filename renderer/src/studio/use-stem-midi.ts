// The MIDI of a separation's stems for the studio: its finished MIDI tasks (re-read whenever tasks
// change) and their notes, newest transcription first.
import { useMemo } from 'react';
import type { StemName, TaskView } from '../../../shared/domain.ts';
import type { MidiNote, MidiNotesView } from '../../../shared/midi.ts';
import { ok, type Result } from '../../../shared/result.ts';
import { api } from '../api/window-api.ts';
import { queryKeys, useQuery } from '../state/queries.ts';
import { notesByStem } from './stem-midi.ts';

async function transcriptionsOf(taskId: string): Promise<Result<MidiNotesView[]>> {
  const listed = await api.call['tasks.list']({ kind: 'midi', limit: 1000 });
  if (!listed.ok) return listed;
  const finished = listed.value.filter(
    (t: TaskView) =>
      t.parentTaskId === taskId && t.state === 'complete' && (t.midi?.instruments.length ?? 0) > 0,
  );
  const views: MidiNotesView[] = [];
  for (const task of finished) {
    const notes = await api.call['midi.notes']({ taskId: task.id });
    if (notes.ok) views.push(notes.value);
  }
  return ok(views);
}

export function useStemMidi(task: TaskView | undefined): Map<StemName, MidiNote[]> {
  const isSeparation = task?.kind === 'separate_vocal' || task?.kind === 'split_stem';
  const query = useQuery<MidiNotesView[]>(
    task && isSeparation ? queryKeys.tasks({ midiOf: task.id }) : null,
    () => transcriptionsOf(task?.id ?? ''),
  );
  // Same transcriptions, same arrays: lanes (memoised) only redraw when the notes changed.
  return useMemo(() => notesByStem(query.data ?? []), [query.data]);
}
