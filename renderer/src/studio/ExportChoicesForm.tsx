// The export dialog's choices: format, sample rate, mixdown, DAW sessions, folder, which lanes.
import { RESIDUAL_LABEL, type SessionFormat } from '../../../shared/api.ts';
import { ExportFormatFields } from '../common/ExportFormatFields.tsx';
import type { ExportChoices } from './export-model.ts';

interface ExportChoicesFormProps {
  choices: ExportChoices;
  folder: string;
  /** The split's residual is computed, so it can be exported too. */
  hasResidual: boolean;
  onChange: (patch: Partial<ExportChoices>) => void;
}

const SESSIONS: Array<{ value: SessionFormat; label: string }> = [
  { value: 'dawproject', label: 'DAWproject (Bitwig, Studio One, Cubase)' },
  { value: 'rpp', label: 'REAPER (.rpp)' },
];

export function ExportChoicesForm({ choices, folder, hasResidual, onChange }: ExportChoicesFormProps) {
  const toggleSession = (value: SessionFormat, isOn: boolean) =>
    onChange({ sessions: isOn ? [...choices.sessions, value] : choices.sessions.filter((s) => s !== value) });
  return (
    <div className="export-choices">
      <ExportFormatFields
        idPrefix="x"
        values={choices}
        onChange={(key, value) => onChange({ [key]: value } as Partial<ExportChoices>)}
      />
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
        {hasResidual && (
          <label className="check">
            <input
              type="checkbox"
              checked={choices.includeResidual}
              onChange={(e) => onChange({ includeResidual: e.currentTarget.checked })}
            />
            {RESIDUAL_LABEL}
          </label>
        )}
      </div>
    </div>
  );
}
