// A 0..1 weight in steps of 0.01 that can also be left to KIE ("Auto", the field is not sent).
import { useId } from 'react';
import { WEIGHT_MAX, WEIGHT_MIN, WEIGHT_STEP } from '../../../shared/kie/limits.ts';

interface WeightFieldProps {
  label: string;
  value: number | null;
  error?: string | undefined;
  onChange: (value: number | null) => void;
}

export function WeightField({ label, value, error, onChange }: WeightFieldProps) {
  const id = useId();
  const isAuto = value === null;
  return (
    <div className={`field weight${error ? ' has-error' : ''}`}>
      <div className="field-label-row">
        <label htmlFor={id}>{label}</label>
        <button
          type="button"
          className={`chip${isAuto ? ' active' : ''}`}
          aria-pressed={isAuto}
          onClick={() => onChange(isAuto ? 0.5 : null)}
        >
          Auto
        </button>
      </div>
      <div className="weight-row">
        <input
          id={id}
          type="range"
          min={WEIGHT_MIN}
          max={WEIGHT_MAX}
          step={WEIGHT_STEP}
          value={value ?? 0.5}
          disabled={isAuto}
          onChange={(event) => onChange(Number(event.currentTarget.value))}
        />
        <output htmlFor={id} className="weight-value">
          {isAuto ? 'auto' : (value ?? 0).toFixed(2)}
        </output>
      </div>
      {error && (
        <div className="field-error" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}
