// The export dialog's choices: format, sample rate, mixdown, DAW sessions, folder, which lanes.
import type { SessionFormat } from '../../../shared/api.ts';
import type { ExportChoices } from './export-model.ts';

interface ExportChoicesFormProps {
  choices: ExportChoices;
  folder: string;
  onChange: (patch: Partial<ExportChoices>) => void;
}

const SESSIONS: Array<{ value: SessionFormat; label: string }> = [
  { value: 'dawproject', label: 'DAWproject (Bitwig, Studio One, Cubase)' },
  { value: 'rpp', label: 'REAPER (.rpp)' },
];

export function ExportChoicesForm({ choices, folder, onChange }: ExportChoicesFormProps) {
  const toggleSession = (value: SessionFormat, isOn: boolean) =>
    onChange({ sessions: isOn ? [...choices.sessions, value] : choices.sessions.filter((s) => s !== value) });
  return (
    <div className="export-choices">
      <div className="field-pair three">
        <div className="field">
          <label htmlFor="x-format">Format</label>
          <select
            id="x-format"
            value={choices.format}
            onChange={(e) => onChange({ format: e.currentTarget.value as ExportChoices['format'] })}
          >
            <option value="wav24">WAV 24-bit</option>
            <option value="wav16">WAV 16-bit (dithered)</option>
            <option value="wav32f">WAV 32-bit float</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="x-rate">Sample rate</label>
          <select
            id="x-rate"
            value={choices.rate}
            onChange={(e) => onChange({ rate: e.currentTarget.value as ExportChoices['rate'] })}
          >
            <option value="source">Same as the source</option>
            <option value="44100">44.1 kHz</option>
            <option value="48000">48 kHz</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="x-mixdown">Mixdown</label>
          <select
            id="x-mixdown"
            value={choices.mixdown}
            onChange={(e) => onChange({ mixdown: e.currentTarget.value as ExportChoices['mixdown'] })}
          >
            <option value="none">None</option>
            <option value="mix">The current mix</option>
            <option value="unity">All lanes at 0 dB</option>
          </select>
        </div>
      </div>
      <div className="field">
        <label htmlFor="x-folder">Folder</label>
        <input
          id="x-folder"
          value={choices.outDir}
          placeholder={folder}
          onChange={(e) => onChange({ outDir: e.currentTarget.value })}
        />
      </div>
      <div className="checks-row">
        {SESSIONS.map((session) => (
          <label key={session.value} className="check">
            <input
              type="checkbox"
              checked={choices.sessions.includes(session.value)}
              onChange={(e) => toggleSession(session.value, e.currentTarget.checked)}
            />
            {session.label}
          </label>
        ))}
        <label className="check">
          <input
            type="checkbox"
            checked={choices.isAudibleOnly}
            onChange={(e) => onChange({ isAudibleOnly: e.currentTarget.checked })}
          />
          Only lanes audible in the mix
        </label>
      </div>
    </div>
  );
}
