// What a MIDI task found: each instrument with its stem and note count, or plainly that KIE found
// no notes (a finished task, not a failure).
import { STEM_LABELS } from '../../../shared/api.ts';
import type { TaskView } from '../../../shared/domain.ts';

export function MidiResult({ task }: { task: TaskView }) {
  if (!task.midi) {
    return <p className="muted small">{task.state === 'failed' ? 'No MIDI.' : 'Waiting for KIE…'}</p>;
  }
  if (task.midi.instruments.length === 0) {
    return (
      <p className="muted" data-testid="midi-empty">
        KIE found no notes in this audio. Nothing failed; there is just nothing to transcribe.
      </p>
    );
  }
  return (
    <ul className="midi-instruments" data-testid="midi-instruments">
      {task.midi.instruments.map((i) => (
        <li key={i.name}>
          <strong>{i.name}</strong>
          <span className="muted small">
            {' '}
            · {i.stem ? STEM_LABELS[i.stem] : 'no stem'} · {i.noteCount} notes
          </span>
        </li>
      ))}
    </ul>
  );
}
