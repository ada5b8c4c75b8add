// The one choice of a separation: vocals + instrumental, or all 12 stems (the submit form and the
// library's Split confirm).
import { OPERATION_COSTS } from './costs.ts';
import type { FormValues } from './form-model.ts';

const TYPES = [
  { value: 'separate_vocal', label: 'Vocals + instrumental', detail: '2 stems' },
  {
    value: 'split_stem',
    label: '12 stems',
    detail:
      'vocals, backing vocals, drums, bass, guitar, keys, percussion, strings, synth, FX, brass, woodwinds',
  },
] as const;

export function SeparationFields({
  values,
  onChange,
}: {
  values: Pick<FormValues, 'separationType'>;
  onChange: (patch: Pick<FormValues, 'separationType'>) => void;
}) {
  return (
    <fieldset className="choice-list">
      <legend>Separation type</legend>
      {TYPES.map((type) => (
        <label
          key={type.value}
          className={`choice${values.separationType === type.value ? ' selected' : ''}`}
        >
          <input
            type="radio"
            name="separationType"
            value={type.value}
            checked={values.separationType === type.value}
            onChange={() => onChange({ separationType: type.value })}
          />
          <span className="choice-text">
            <span className="choice-title">{type.label}</span>
            <span className="choice-detail">{type.detail}</span>
          </span>
          <span className="choice-cost">{OPERATION_COSTS[type.value]} credits</span>
        </label>
      ))}
    </fieldset>
  );
}
