// The submit form as data: defaults, KIE's limits through the shared validators, and the mapping to
// the contract's SubmitInput (pure, unit-tested).
import type { SubmitInput, SubmitSource } from '../../../shared/api.ts';
import type { TaskKind } from '../../../shared/domain.ts';
import {
  DEFAULT_MODEL,
  MODELS,
  TITLE_MAX,
  validateAddInstrumental,
  validateAddVocals,
  type FieldError,
} from '../../../shared/kie/limits.ts';

export const AUDIO_ACCEPT = '.wav,.mp3,.flac,.aif,.aiff,.m4a,audio/*';
const AUDIO_NAME = /\.(wav|mp3|flac|aiff?|m4a|ogg|aac)$/i;

export function isAudioFile(file: { name: string; type: string }): boolean {
  return file.type.startsWith('audio/') || AUDIO_NAME.test(file.name);
}

export type Operation = 'add-instrumental' | 'add-vocals' | 'separate';
export type WeightName = 'styleWeight' | 'weirdnessConstraint' | 'audioWeight';

export interface FormValues {
  operation: Operation;
  title: string;
  tags: string;
  negativeTags: string;
  prompt: string;
  style: string;
  model: string;
  vocalGender: '' | 'm' | 'f';
  separationType: 'separate_vocal' | 'split_stem';
  /** null leaves the weight to KIE (the field is not sent). */
  weights: Record<WeightName, number | null>;
}

export type FieldErrors = Partial<Record<string, string>>;

export function defaultValues(fileName: string): FormValues {
  return {
    operation: 'add-instrumental',
    title: Array.from(
      fileName
        .replace(/\.[^.]+$/, '')
        .replace(/[_]+/g, ' ')
        .trim(),
    )
      .slice(0, TITLE_MAX)
      .join(''),
    tags: '',
    negativeTags: '',
    prompt: '',
    style: '',
    model: DEFAULT_MODEL,
    vocalGender: '',
    separationType: 'split_stem',
    weights: { styleWeight: null, weirdnessConstraint: null, audioWeight: null },
  };
}

export function modelsFor(operation: Operation): readonly string[] {
  return operation === 'add-vocals' ? MODELS.addVocals : MODELS.addInstrumental;
}

/** Switching operation keeps what the producer typed, and drops a model the new one does not offer. */
export function withOperation(values: FormValues, operation: Operation): FormValues {
  const model = modelsFor(operation).includes(values.model) ? values.model : DEFAULT_MODEL;
  return { ...values, operation, model };
}

export function operationKind(values: FormValues): TaskKind {
  return values.operation === 'separate' ? values.separationType : values.operation;
}

function musicFields(values: FormValues) {
  const weights = Object.fromEntries(Object.entries(values.weights).filter(([, v]) => v !== null)) as Partial<
    Record<WeightName, number>
  >;
  return {
    title: values.title,
    negativeTags: values.negativeTags,
    model: values.model,
    ...(values.vocalGender ? { vocalGender: values.vocalGender } : {}),
    ...weights,
  };
}

export function toSubmitInput(values: FormValues, source: SubmitSource): SubmitInput {
  if (values.operation === 'separate') return { kind: values.separationType, source };
  if (values.operation === 'add-vocals') {
    return {
      kind: 'add-vocals',
      source,
      prompt: values.prompt,
      style: values.style,
      ...musicFields(values),
    } as SubmitInput;
  }
  return { kind: 'add-instrumental', source, tags: values.tags, ...musicFields(values) } as SubmitInput;
}

/** KIE's limits, checked with the same validators the core uses; keyed by form field. */
export function validateForm(values: FormValues): FieldErrors {
  if (values.operation === 'separate') return {};
  const uploadUrl = 'https://upload.pending.invalid/audio';
  const input = { ...musicFields(values), uploadUrl };
  const errors: FieldError[] =
    values.operation === 'add-vocals'
      ? validateAddVocals({ ...input, prompt: values.prompt, style: values.style })
      : validateAddInstrumental({ ...input, tags: values.tags });
  const byField: FieldErrors = {};
  for (const error of errors) byField[error.field] ??= error.message;
  return byField;
}
