// A write-only secret: the UI only knows whether it is set; typing a value replaces it, "Remove"
// clears it. The stored value is never shown or sent back.
import { useId } from 'react';

interface SecretFieldProps {
  label: string;
  isSet: boolean;
  value: string | null | undefined;
  hint?: string;
  onChange: (value: string | null | undefined) => void;
}

export function SecretField({ label, isSet, value, hint, onChange }: SecretFieldProps) {
  const id = useId();
  const isRemoving = value === null;
  return (
    <div className="field">
      <div className="field-label-row">
        <label htmlFor={id}>{label}</label>
        <span className={`badge ${isSet && !isRemoving ? 'tone-ok' : ''}`}>
          {isRemoving ? 'will be removed' : isSet ? 'set' : 'not set'}
        </span>
      </div>
      <div className="secret-row">
        <input
          id={id}
          type="password"
          autoComplete="off"
          spellCheck={false}
          placeholder={isSet ? 'Enter a new value to replace it' : 'Paste it here'}
          value={value ?? ''}
          onChange={(event) => onChange(event.currentTarget.value || undefined)}
        />
        {isSet && (
          <button
            type="button"
            className="button small"
            onClick={() => onChange(isRemoving ? undefined : null)}
          >
            {isRemoving ? 'Keep' : 'Remove'}
          </button>
        )}
      </div>
      {hint && <div className="field-hint">{hint}</div>}
    </div>
  );
}
