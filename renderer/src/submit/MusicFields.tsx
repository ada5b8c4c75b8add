// The fields of add-instrumental and add-vocals, with KIE's limits and defaults.
import { NEGATIVE_TAGS_MAX, STYLE_MAX, TAGS_MAX, TITLE_MAX } from '../../../shared/kie/limits.ts';
import { Field } from './Field.tsx';
import { modelsFor, type FieldErrors, type FormValues, type WeightName } from './form-model.ts';
import { WeightField } from './WeightField.tsx';

interface MusicFieldsProps {
  values: FormValues;
  errors: FieldErrors;
  onChange: (patch: Partial<FormValues>) => void;
}

const WEIGHTS: Array<{ name: WeightName; label: string }> = [
  { name: 'styleWeight', label: 'Style weight' },
  { name: 'weirdnessConstraint', label: 'Weirdness' },
  { name: 'audioWeight', label: 'Audio weight' },
];

export function MusicFields({ values, errors, onChange }: MusicFieldsProps) {
  const isVocals = values.operation === 'add-vocals';
  return (
    <div className="form-grid">
      <Field label="Title" error={errors.title} count={{ value: values.title, max: TITLE_MAX }}>
        {(props) => (
          <input
            {...props}
            name="title"
            value={values.title}
            onChange={(e) => onChange({ title: e.currentTarget.value })}
          />
        )}
      </Field>
      {isVocals ? (
        <Field
          label="Style"
          error={errors.style}
          count={{ value: values.style, max: STYLE_MAX }}
          hint="Genre, mood, voice: e.g. synth pop, airy female vocal"
        >
          {(props) => (
            <input
              {...props}
              name="style"
              value={values.style}
              onChange={(e) => onChange({ style: e.currentTarget.value })}
            />
          )}
        </Field>
      ) : (
        <Field
          label="Style tags"
          error={errors.tags}
          count={{ value: values.tags, max: TAGS_MAX }}
          hint="What the band should sound like: e.g. indie folk, brushed drums, warm"
        >
          {(props) => (
            <input
              {...props}
              name="tags"
              value={values.tags}
              onChange={(e) => onChange({ tags: e.currentTarget.value })}
            />
          )}
        </Field>
      )}
      {isVocals && (
        <div className="span-2">
          <Field
            label="Lyrics / singing direction"
            error={errors.prompt}
            hint="Lyrics with [Verse] / [Chorus] markers, or how the vocal should sound"
          >
            {(props) => (
              <textarea
                {...props}
                name="prompt"
                rows={4}
                value={values.prompt}
                onChange={(e) => onChange({ prompt: e.currentTarget.value })}
              />
            )}
          </Field>
        </div>
      )}
      <Field
        label="Styles to avoid"
        error={errors.negativeTags}
        count={{ value: values.negativeTags, max: NEGATIVE_TAGS_MAX }}
      >
        {(props) => (
          <input
            {...props}
            name="negativeTags"
            value={values.negativeTags}
            placeholder="e.g. edm, autotune"
            onChange={(e) => onChange({ negativeTags: e.currentTarget.value })}
          />
        )}
      </Field>
      <div className="field-pair">
        <Field label="Model" error={errors.model}>
          {(props) => (
            <select
              {...props}
              name="model"
              value={values.model}
              onChange={(e) => onChange({ model: e.currentTarget.value })}
            >
              {modelsFor(values.operation).map((model) => (
                <option key={model} value={model}>
                  {model.replace(/_/g, '.').replace('PLUS', '+')}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Vocal gender" error={errors.vocalGender}>
          {(props) => (
            <select
              {...props}
              name="vocalGender"
              value={values.vocalGender}
              onChange={(e) => onChange({ vocalGender: e.currentTarget.value as FormValues['vocalGender'] })}
            >
              <option value="">Any</option>
              <option value="f">Female</option>
              <option value="m">Male</option>
            </select>
          )}
        </Field>
      </div>
      <div className="weights span-2">
        {WEIGHTS.map((w) => (
          <WeightField
            key={w.name}
            label={w.label}
            value={values.weights[w.name]}
            error={errors[w.name]}
            onChange={(value) => onChange({ weights: { ...values.weights, [w.name]: value } })}
          />
        ))}
      </div>
    </div>
  );
}
