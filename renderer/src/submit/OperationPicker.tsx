// Which of the three operations to run on the file, as one keyboard-friendly radio group.
import type { Operation } from './form-model.ts';

const OPERATIONS: Array<{ value: Operation; label: string; detail: string }> = [
  { value: 'add-instrumental', label: 'Add instrumental', detail: 'Build a band around a vocal' },
  { value: 'add-vocals', label: 'Add vocals', detail: 'Sing on a beat or instrumental' },
  { value: 'separate', label: 'Separate', detail: 'Split a song into stems' },
];

export function OperationPicker({
  value,
  onChange,
}: {
  value: Operation;
  onChange: (value: Operation) => void;
}) {
  return (
    <div className="segmented" role="radiogroup" aria-label="Operation">
      {OPERATIONS.map((op) => (
        <label key={op.value} className={`segment${value === op.value ? ' selected' : ''}`}>
          <input
            type="radio"
            name="operation"
            value={op.value}
            checked={value === op.value}
            onChange={() => onChange(op.value)}
          />
          <span className="segment-title">{op.label}</span>
          <span className="segment-detail">{op.detail}</span>
        </label>
      ))}
    </div>
  );
}
