// The notes the synthetic stems really play, logged by the generators while they render: what the
// simulator's MIDI transcription answers with, so tests can hold it against the audio.

export interface ScoredNote {
  /** MIDI note number; drums use General MIDI percussion keys (36 kick, 38 snare …). */
  pitch: number;
  start: number;
  end: number;
  velocity: number;
}

export type NoteLog = (note: ScoredNote) => void;

export const ignoreNotes: NoteLog = () => undefined;

/** Logs one note given as (start, duration), velocity from the generator's gain. */
export function logNote(
  log: NoteLog,
  pitch: number,
  note: { start: number; dur: number; gain: number },
): void {
  log({
    pitch,
    start: note.start,
    end: note.start + note.dur,
    velocity: Math.min(1, Math.max(0, note.gain)),
  });
}
