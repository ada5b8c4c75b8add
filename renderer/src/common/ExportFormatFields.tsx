// The format, sample-rate and mixdown choices, shared by the export dialog and the export defaults
// in Settings so both always offer the same options with the same words.
interface ExportFormatValues {
  format: string;
  rate: string;
  mixdown: string;
}

interface ExportFormatFieldsProps {
  idPrefix: string;
  values: Partial<ExportFormatValues>;
  onChange: (key: keyof ExportFormatValues, value: string) => void;
}

const FIELDS: Array<{ key: keyof ExportFormatValues; label: string; options: Array<[string, string]> }> = [
  {
    key: 'format',
    label: 'Format',
    options: [
      ['wav24', 'WAV 24-bit'],
      ['wav16', 'WAV 16-bit (dithered)'],
      ['wav32f', 'WAV 32-bit float'],
    ],
  },
  {
    key: 'rate',
    label: 'Sample rate',
    options: [
      ['source', 'Same as the source'],
      ['44100', '44.1 kHz'],
      ['48000', '48 kHz'],
    ],
  },
  {
    key: 'mixdown',
    label: 'Mixdown',
    options: [
      ['none', 'No mixdown'],
      ['mix', 'The current mix'],
      ['unity', 'All lanes at 0 dB'],
    ],
  },
];

export function ExportFormatFields({ idPrefix, values, onChange }: ExportFormatFieldsProps) {
  return (
    <div className="field-pair three">
      {FIELDS.map((field) => (
        <div className="field" key={field.key}>
          <label htmlFor={`${idPrefix}-${field.key}`}>{field.label}</label>
          <select
            id={`${idPrefix}-${field.key}`}
            value={values[field.key]}
            onChange={(e) => onChange(field.key, e.currentTarget.value)}
          >
            {field.options.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
      ))}
    </div>
  );
}
