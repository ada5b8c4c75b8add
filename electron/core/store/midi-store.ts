// MIDI transcriptions of separations: written once per MIDI task from a record-info answer, read back
// with each instrument placed on its stem lane.
import type { Db } from './database.ts';
import type { MidiSummary, StemName } from '../../../shared/domain.ts';
import { stemForInstrument, type MidiInstrument, type MidiNotesView } from '../../../shared/midi.ts';
import type { MidiStore } from './interface.ts';

interface ResultRow {
  task_id: string;
  instruments: string;
  parent_task_id: string | null;
  parent_audio_id: string | null;
}

export function createMidiStore(db: Db): MidiStore {
  const insert = db.prepare(`INSERT OR IGNORE INTO midi_results
    (task_id, instruments, summary, note_count, source, received_at) VALUES (?, ?, ?, ?, ?, ?)`);
  const summaryByTask = db.prepare<
    [string],
    { summary: string; parent_task_id: string | null; parent_audio_id: string | null }
  >(`SELECT m.summary, t.parent_task_id, t.parent_audio_id
    FROM midi_results m JOIN tasks t ON t.id = m.task_id WHERE m.task_id = ?`);
  const byTask = db.prepare<
    [string],
    ResultRow
  >(`SELECT m.task_id, m.instruments, t.parent_task_id, t.parent_audio_id
    FROM midi_results m JOIN tasks t ON t.id = m.task_id WHERE m.task_id = ?`);
  // Newest first: a later transcription of the same stem replaces an earlier one on the lane.
  const byParent = db.prepare<
    [string],
    ResultRow
  >(`SELECT m.task_id, m.instruments, t.parent_task_id, t.parent_audio_id
    FROM tasks t JOIN midi_results m ON m.task_id = t.id
    WHERE t.kind = 'midi' AND t.parent_task_id = ? ORDER BY t.created_at DESC`);
  const parentStems = db.prepare<[string], { stem: StemName; audio_id: string | null }>(
    `SELECT stem, audio_id FROM tracks WHERE task_id = ?`,
  );

  /** Places instruments on the separation's stem lanes: the asked-for stem, or by instrument name. */
  function placer(parentTaskId: string | null, parentAudioId: string | null) {
    const stems = parentTaskId ? parentStems.all(parentTaskId) : [];
    // A one-stem transcription belongs to that stem whatever KIE calls its instruments.
    const only = parentAudioId ? (stems.find((s) => s.audio_id === parentAudioId)?.stem ?? null) : null;
    const names = stems.map((s) => s.stem);
    return (name: string): StemName | null => only ?? stemForInstrument(name, names);
  }

  function toView(row: ResultRow): MidiNotesView {
    const instruments = JSON.parse(row.instruments) as MidiInstrument[];
    const stemOf = placer(row.parent_task_id, row.parent_audio_id);
    return { taskId: row.task_id, instruments: instruments.map((i) => ({ ...i, stem: stemOf(i.name) })) };
  }

  return {
    save(taskId, instruments, source, at) {
      const count = instruments.reduce((sum, i) => sum + i.notes.length, 0);
      const summary = instruments.map((i) => ({ name: i.name, noteCount: i.notes.length }));
      return (
        insert.run(taskId, JSON.stringify(instruments), JSON.stringify(summary), count, source, at).changes >
        0
      );
    },
    notesOf(taskId) {
      const row = byTask.get(taskId);
      return row ? toView(row) : undefined;
    },
    summaryOf(taskId): MidiSummary | null {
      const row = summaryByTask.get(taskId);
      if (!row) return null;
      const stemOf = placer(row.parent_task_id, row.parent_audio_id);
      const instruments = JSON.parse(row.summary) as Array<{ name: string; noteCount: number }>;
      return { instruments: instruments.map((i) => ({ ...i, stem: stemOf(i.name) })) };
    },
    ofSeparation(parentTaskId) {
      return byParent.all(parentTaskId).map(toView);
    },
  };
}
