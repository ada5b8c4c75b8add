// Export defaults, stored as the `export.*` preferences the core's export falls back to: WAV format,
// sample rate, mixdown and DAW sessions.
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
      <div className="field-pair three">
        <div className="field">
          <label htmlFor="export-format">Format</label>
          <select
            id="export-format"
            value={preferences['export.format']}
            onChange={(e) => set('export.format', e.currentTarget.value)}
          >
            <option value="wav24">WAV 24-bit</option>
            <option value="wav16">WAV 16-bit</option>
            <option value="wav32f">WAV 32-bit float</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="export-rate">Sample rate</label>
          <select
            id="export-rate"
            value={preferences['export.rate']}
            onChange={(e) => set('export.rate', e.currentTarget.value)}
          >
            <option value="source">Same as the source</option>
            <option value="44100">44.1 kHz</option>
            <option value="48000">48 kHz</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="export-mixdown">Mixdown</label>
          <select
            id="export-mixdown"
            value={preferences['export.mixdown']}
            onChange={(e) => set('export.mixdown', e.currentTarget.value)}
          >
            <option value="none">No mixdown</option>
            <option value="mix">The current mix</option>
            <option value="unity">All lanes at 0 dB</option>
          </select>
        </div>
      </div>
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
