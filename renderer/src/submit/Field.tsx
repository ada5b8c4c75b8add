// One labelled form field with its limit counter and its validation message right under it.
import { useId, type ReactNode } from 'react';

interface FieldProps {
  label: string;
  hint?: string;
  error?: string | undefined;
  count?: { value: string; max: number };
  children: (props: {
    id: string;
    'aria-invalid': boolean;
    'aria-describedby': string | undefined;
  }) => ReactNode;
}

export function Field({ label, hint, error, count, children }: FieldProps) {
  const id = useId();
  const messageId = `${id}-message`;
  const length = count ? Array.from(count.value).length : 0;
  return (
    <div className={`field${error ? ' has-error' : ''}`}>
      <div className="field-label-row">
        <label htmlFor={id}>{label}</label>
        {count && (
          <span className={`counter${length > count.max ? ' over' : ''}`} aria-hidden="true">
            {length}/{count.max}
          </span>
        )}
      </div>
      {children({
        id,
        'aria-invalid': Boolean(error),
        'aria-describedby': error || hint ? messageId : undefined,
      })}
      {error ? (
        <div className="field-error" id={messageId} role="alert">
          {error}
        </div>
      ) : (
        hint && (
          <div className="field-hint" id={messageId}>
            {hint}
          </div>
        )
      )}
    </div>
  );
}
