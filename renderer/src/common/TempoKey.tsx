// A track's (or a song's) tempo and key as detected at ingest, with an inline editor: the
// producer's correction is stored in the core and wins everywhere (views, sessions, provenance).
import { useState, type FormEvent } from 'react';
import { analysisText } from '../../../shared/analysis-text.ts';
import type { KeyView, TempoView, TrackView } from '../../../shared/domain.ts';
import { PITCH_NAMES, keyName, type MusicalKey } from '../../../shared/musical-key.ts';
import { api } from '../api/window-api.ts';
import { cache } from '../state/queries.ts';
import { notify } from '../state/ui-store.ts';

const KEYS: MusicalKey[] = (['major', 'minor'] as const).flatMap((mode) =>
  PITCH_NAMES.map((_, tonic) => ({ tonic, mode })),
);
const keyValue = (key: MusicalKey): string => `${key.tonic}:${key.mode}`;

interface TempoKeyProps {
  tempo: TempoView | null;
  musicalKey: KeyView | null;
  /** The tracks a correction of each part is stored on. */
  tempoTrackId: string;
  keyTrackId: string;
  analysis: TrackView['analysis'];
  label: string;
}

export function TempoKey({
  tempo,
  musicalKey: key,
  tempoTrackId,
  keyTrackId,
  analysis,
  label,
}: TempoKeyProps) {
  const [isEditing, setIsEditing] = useState(false);
  const [bpm, setBpm] = useState('');
  const [keyChoice, setKeyChoice] = useState('');
  const [isBusy, setIsBusy] = useState(false);

  const open = () => {
    setBpm(tempo ? String(Math.round(tempo.bpm * 10) / 10) : '');
    setKeyChoice(key ? keyValue(key) : '');
    setIsEditing(true);
  };

  const save = async (correction: { bpm?: number | null; key?: MusicalKey | null }) => {
    setIsBusy(true);
    const calls = [];
    if (correction.bpm !== undefined)
      calls.push(api.call['tracks.setAnalysis']({ trackId: tempoTrackId, bpm: correction.bpm }));
    if (correction.key !== undefined)
      calls.push(api.call['tracks.setAnalysis']({ trackId: keyTrackId, key: correction.key }));
    const results = await Promise.all(calls);
    setIsBusy(false);
    const failed = results.find((r) => !r.ok);
    if (failed && !failed.ok) return notify('error', failed.error.message);
    cache.invalidate((k) => k.startsWith('tasks:') || k.startsWith('task:'));
    setIsEditing(false);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const value = Number(bpm);
    if (bpm.trim() && !(value >= 20 && value <= 999))
      return notify('error', 'Tempo must be between 20 and 999 BPM.');
    const chosen = KEYS.find((k) => keyValue(k) === keyChoice) ?? null;
    void save({ bpm: bpm.trim() ? value : null, key: chosen });
  };

  if (isEditing) {
    return (
      <form className="tempo-key-editor" aria-label={`Tempo and key of ${label}`} onSubmit={submit}>
        <input
          type="number"
          min={20}
          max={999}
          step={0.1}
          aria-label="Tempo in BPM"
          placeholder="BPM"
          value={bpm}
          onChange={(e) => setBpm(e.target.value)}
        />
        <select aria-label="Key" value={keyChoice} onChange={(e) => setKeyChoice(e.target.value)}>
          <option value="">no key</option>
          {KEYS.map((k) => (
            <option key={keyValue(k)} value={keyValue(k)}>
              {keyName(k)}
            </option>
          ))}
        </select>
        <button type="submit" className="button small primary" disabled={isBusy}>
          Save
        </button>
        {(tempo?.isCorrected || key?.isCorrected) && (
          <button
            type="button"
            className="button small"
            disabled={isBusy}
            onClick={() => void save({ bpm: null, key: null })}
          >
            Use detected
          </button>
        )}
        <button type="button" className="icon-button" aria-label="Cancel" onClick={() => setIsEditing(false)}>
          ×
        </button>
      </form>
    );
  }
  const status = analysisText({ analysis, tempo, key });
  return (
    <span className="tempo-key small" data-testid="tempo-key">
      <span className={tempo?.isCorrected || key?.isCorrected ? '' : 'muted'}>{status}</span>
      <button
        type="button"
        className="link-button"
        aria-label={`Correct tempo and key of ${label}`}
        onClick={open}
      >
        edit
      </button>
    </span>
  );
}
