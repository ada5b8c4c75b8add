// Which MIDI an export writes: for every exported stem lane, the newest transcription that covers
// it, one `.mid` per instrument beside the WAVs, plus one file with every instrument.
import { exportFileName } from '../../../shared/naming.ts';
import type { MidiInstrument } from '../../../shared/midi.ts';
import type { StemName } from '../../../shared/domain.ts';
import type { Store, TaskRow } from '../store/index.ts';

export interface PlannedMidiFile {
  name: string;
  /** The stem lane (the WAV) these notes belong to; null for the all-instruments file. */
  stem: StemName | null;
  instruments: MidiInstrument[];
}

export function midiFilesFor(
  store: Store,
  task: TaskRow,
  title: string,
  lanes: Array<{ stem: StemName; label: string }>,
): PlannedMidiFile[] {
  const transcriptions = store.midi.ofSeparation(task.id);
  const files: PlannedMidiFile[] = [];
  for (const lane of lanes) {
    const newest = transcriptions.find((t) => t.instruments.some((i) => i.stem === lane.stem));
    const instruments = newest?.instruments.filter((i) => i.stem === lane.stem) ?? [];
    for (const { name, notes } of instruments) {
      const label = instruments.length === 1 ? lane.label : `${lane.label} ${name}`;
      files.push({
        name: exportFileName(title, label, 'mid'),
        stem: lane.stem,
        instruments: [{ name, notes }],
      });
    }
  }
  if (files.length === 0) return files;
  const all = files.flatMap((f) => f.instruments);
  return [...files, { name: exportFileName(title, 'MIDI', 'mid'), stem: null, instruments: all }];
}
