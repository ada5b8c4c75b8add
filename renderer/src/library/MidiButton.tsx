// "Transcribe to MIDI…" on a finished separation: every stem in one KIE task, or the stems chosen
// (KIE takes one stem per call, so one task each); the cost is KIE's (free per its pricing page).
import { useState } from 'react';
import { STEM_LABELS } from '../../../shared/api.ts';
import type { StemName, TaskView } from '../../../shared/domain.ts';
import { api } from '../api/window-api.ts';
import { cache } from '../state/queries.ts';
import { notify, setUi } from '../state/ui-store.ts';
import { OPERATION_COSTS } from '../submit/costs.ts';

const COST = OPERATION_COSTS.midi === 0 ? 'free on KIE' : `about ${OPERATION_COSTS.midi} credits each`;

export function MidiButton({ task }: { task: TaskView }) {
  const [isAsking, setIsAsking] = useState(false);
  const [isBusy, setIsBusy] = useState(false);
  const [chosen, setChosen] = useState<StemName[]>([]);
  const stems = task.tracks.map((t) => t.stem);

  const transcribe = async (only: StemName[]) => {
    setIsBusy(true);
    const targets = only.length === 0 ? [undefined] : only;
    const results = [];
    for (const stem of targets)
      results.push(await api.call['tasks.submit']({ kind: 'midi', from: { taskId: task.id, stem } }));
    setIsBusy(false);
    const failed = results.find((r) => !r.ok);
    cache.invalidate((key) => key.startsWith('tasks:'));
    if (failed && !failed.ok) return notify('error', failed.error.message);
    setIsAsking(false);
    setChosen([]);
    const what = only.length === 0 ? 'every stem' : only.map((s) => STEM_LABELS[s]).join(', ');
    notify('success', `Transcribing ${what} of "${task.title ?? 'this split'}" to MIDI.`);
    const first = results[0];
    if (first?.ok) setUi({ selectedTaskId: first.value.id });
  };

  if (!isAsking) {
    return (
      <button type="button" className="button" onClick={() => setIsAsking(true)}>
        Transcribe to MIDI…
      </button>
    );
  }
  return (
    <div className="midi-ask" role="group" aria-label="Transcribe to MIDI">
      <button
        type="button"
        className="button small primary"
        disabled={isBusy}
        onClick={() => void transcribe([])}
      >
        All stems · {COST}
      </button>
      <span className="midi-stems">
        {stems.map((stem) => (
          <label key={stem} className="small">
            <input
              type="checkbox"
              checked={chosen.includes(stem)}
              onChange={(event) =>
                setChosen((all) => (event.target.checked ? [...all, stem] : all.filter((s) => s !== stem)))
              }
            />
            {STEM_LABELS[stem]}
          </label>
        ))}
      </span>
      <button
        type="button"
        className="button small"
        disabled={isBusy || chosen.length === 0}
        onClick={() => void transcribe(chosen)}
      >
        Chosen stems · {COST}
      </button>
      <button type="button" className="icon-button" aria-label="Cancel" onClick={() => setIsAsking(false)}>
        ×
      </button>
    </div>
  );
}
