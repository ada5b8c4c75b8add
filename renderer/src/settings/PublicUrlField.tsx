// The manual public callback URL input (settings and the welcome steps), with its validation message.
interface PublicUrlFieldProps {
  id: string;
  label: string;
  value: string;
  /** From validatePublicUrl: null when the value is acceptable. */
  error: string | null;
  onChange: (value: string) => void;
}

export function PublicUrlField({ id, label, value, error, onChange }: PublicUrlFieldProps) {
  return (
    <div className={`field${error ? ' has-error' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        value={value}
        placeholder="https://hooks.example.com"
        aria-invalid={Boolean(error)}
        onChange={(e) => onChange(e.currentTarget.value)}
      />
      {error && <div className="field-error">{error}</div>}
    </div>
  );
}
