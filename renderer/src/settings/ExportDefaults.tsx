// Export defaults, stored as the `export.*` preferences the core's export falls back to: WAV format,
// sample rate, mixdown and DAW sessions.
import { ExportFormatFields } from '../common/ExportFormatFields.tsx';

interface ExportDefaultsProps {
  preferences: Record<string, string>;
  onChange: (preferences: Record<string, string>) => void;
}

const SESSIONS = [
  { value: 'dawproject', label: 'DAWproject (Bitwig, Studio One, Cubase)' },
  { value: 'rpp', label: 'REAPER project (.rpp)' },
];

export function ExportDefaults({ preferences, onChange }: ExportDefaultsProps) {
  const set = (key: string, value: string) => onChange({ ...preferences, [key]: value });
  const sessions = (preferences['export.sessions'] ?? '').split(',').filter(Boolean);
  const toggleSession = (value: string, isOn: boolean) =>
    set('export.sessions', (isOn ? [...sessions, value] : sessions.filter((s) => s !== value)).join(','));
  return (
    <section className="card">
      <h2>Export defaults</h2>
      <ExportFormatFields
        idPrefix="export"
        values={{
          format: preferences['export.format'],
          rate: preferences['export.rate'],
          mixdown: preferences['export.mixdown'],
        }}
        onChange={(key, value) => set(`export.${key}`, value)}
      />
      <div className="field">
        <label htmlFor="export-dir">Export folder</label>
        <input
          id="export-dir"
          value={preferences['export.dir'] ?? ''}
          placeholder="~/Music/Stemhook (each export gets a folder named after its title)"
          onChange={(e) => set('export.dir', e.currentTarget.value)}
        />
      </div>
      <fieldset className="checks">
        <legend className="field-label">DAW sessions</legend>
        {SESSIONS.map((session) => (
          <label key={session.value} className="check">
            <input
              type="checkbox"
              checked={sessions.includes(session.value)}
              onChange={(e) => toggleSession(session.value, e.currentTarget.checked)}
            />
            {session.label}
          </label>
        ))}
      </fieldset>
    </section>
  );
}
