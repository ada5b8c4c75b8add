// Input limits of KIE's add-instrumental, add-vocals and separation endpoints, checked before anything is sent.

export const DEFAULT_MODEL = 'V4_5PLUS';

/** add-vocals lists only V4_5PLUS and V5 in KIE's docs; V5_5 is reported by third parties only, so it is left out. */
export const MODELS = {
  addInstrumental: ['V4_5PLUS', 'V5', 'V5_5'],
  addVocals: ['V4_5PLUS', 'V5'],
} as const;
export type AddInstrumentalModel = (typeof MODELS.addInstrumental)[number];
export type AddVocalsModel = (typeof MODELS.addVocals)[number];

/**
 * The largest local file we hand to KIE's File Upload API. KIE documents no hard maximum
 * (kie-api.md §8: "recommended ≤ 100 MB" for URL uploads); its upload host, like our simulator,
 * refuses stream bodies over 200 MiB, so a bigger file would be hashed and streamed for nothing.
 */
export const UPLOAD_MAX_BYTES = 200 * 1024 * 1024;

export const TAGS_MAX = 1000;
export const NEGATIVE_TAGS_MAX = 200;
/** add-vocals `style` plays the role of `tags`; KIE states no limit, so the tags limit is applied. */
export const STYLE_MAX = TAGS_MAX;
/** KIE's own docs give no limit and sunoapi pages say 80 (HTML) vs 100 (.md); we accept the larger. */
export const TITLE_MAX = 100;
export const WEIGHT_MIN = 0;
export const WEIGHT_MAX = 1;
export const WEIGHT_STEP = 0.01;
const VOCAL_GENDERS = ['m', 'f'] as const;
type VocalGender = (typeof VOCAL_GENDERS)[number];
export const SEPARATION_TYPES = ['separate_vocal', 'split_stem'] as const;
export type SeparationType = (typeof SEPARATION_TYPES)[number];
const WEIGHT_FIELDS = ['styleWeight', 'weirdnessConstraint', 'audioWeight'] as const;

export interface FieldError {
  field: string;
  message: string;
}

interface SharedOptions {
  vocalGender?: VocalGender;
  styleWeight?: number;
  weirdnessConstraint?: number;
  audioWeight?: number;
}

export interface AddInstrumentalInput extends SharedOptions {
  uploadUrl: string;
  title: string;
  tags: string;
  negativeTags: string;
  model?: AddInstrumentalModel;
}

export interface AddVocalsInput extends SharedOptions {
  uploadUrl: string;
  prompt: string;
  title: string;
  style: string;
  negativeTags: string;
  model?: AddVocalsModel;
}

interface SeparationInput {
  taskId?: string;
  audioId?: string;
  audioUrl?: string;
  type: SeparationType;
}

/** Validators accept untrusted data (CLI flags, form state), so every field is checked at runtime. */
type Unchecked<T> = { [K in keyof T]?: unknown };

export function validateAddInstrumental(input: Unchecked<AddInstrumentalInput>): FieldError[] {
  return [
    ...checkUrl('uploadUrl', input.uploadUrl, 'the audio file to build the backing track on'),
    ...checkTitle(input.title),
    ...checkText('tags', input.tags, { label: 'Style tags', max: TAGS_MAX, required: true }),
    ...checkText('negativeTags', input.negativeTags, { label: 'Styles to avoid', max: NEGATIVE_TAGS_MAX }),
    ...checkOneOf('model', input.model, MODELS.addInstrumental, 'Model'),
    ...checkSharedOptions(input),
  ];
}

export function validateAddVocals(input: Unchecked<AddVocalsInput>): FieldError[] {
  return [
    ...checkUrl('uploadUrl', input.uploadUrl, 'the instrumental to sing over'),
    ...checkText('prompt', input.prompt, { label: 'Lyrics / singing direction', required: true }),
    ...checkTitle(input.title),
    ...checkText('style', input.style, { label: 'Style', max: STYLE_MAX, required: true }),
    ...checkText('negativeTags', input.negativeTags, { label: 'Styles to avoid', max: NEGATIVE_TAGS_MAX }),
    ...checkOneOf('model', input.model, MODELS.addVocals, 'Model'),
    ...checkSharedOptions(input),
  ];
}

export function validateSeparation(input: Unchecked<SeparationInput>): FieldError[] {
  const errors = [...checkOneOf('type', input.type, SEPARATION_TYPES, 'Separation type', true)];
  const hasUrl = input.audioUrl !== undefined && input.audioUrl !== '';
  if (hasUrl && (input.audioId !== undefined || input.taskId !== undefined)) {
    errors.push({
      field: 'audioUrl',
      message: 'Choose either a track generated on KIE (task + track id) or an uploaded audio URL, not both.',
    });
    return errors;
  }
  if (hasUrl) return [...errors, ...checkUrl('audioUrl', input.audioUrl, 'the audio to separate')];
  return [
    ...errors,
    ...checkId(
      'taskId',
      input.taskId,
      'The KIE task is missing: pick the task whose track you want to separate.',
    ),
    ...checkId('audioId', input.audioId, 'The track is missing: pick which track of that task to separate.'),
  ];
}

export function validateWavConversion(input: { taskId?: unknown; audioId?: unknown }): FieldError[] {
  return [
    ...checkId('taskId', input.taskId, 'The KIE task is missing: pick the task whose track you want as WAV.'),
    ...checkId(
      'audioId',
      input.audioId,
      'The track is missing: pick which track of that task to convert to WAV.',
    ),
  ];
}

/** MIDI of a separation (kie-api.md §7.2): the separation task is required, one stem optional. */
export function validateMidi(input: { taskId?: unknown; audioId?: unknown }): FieldError[] {
  return [
    ...checkId(
      'taskId',
      input.taskId,
      'The separation is missing: pick a finished separation to transcribe.',
    ),
    ...(input.audioId === undefined
      ? []
      : checkId('audioId', input.audioId, 'The stem is missing: pick which stem to transcribe.')),
  ];
}

export function validateCallBackUrl(value: unknown): FieldError[] {
  return checkUrl('callBackUrl', value, 'where KIE reports progress');
}

function checkSharedOptions(input: Unchecked<SharedOptions>): FieldError[] {
  const errors: FieldError[] = [];
  if (input.vocalGender !== undefined && !VOCAL_GENDERS.some((g) => g === input.vocalGender)) {
    errors.push({ field: 'vocalGender', message: 'Vocal gender must be "m" (male) or "f" (female).' });
  }
  for (const field of WEIGHT_FIELDS) errors.push(...checkWeight(field, input[field]));
  return errors;
}

const WEIGHT_LABELS: Record<(typeof WEIGHT_FIELDS)[number], string> = {
  styleWeight: 'Style weight',
  weirdnessConstraint: 'Weirdness',
  audioWeight: 'Audio weight',
};

function checkWeight(field: (typeof WEIGHT_FIELDS)[number], value: unknown): FieldError[] {
  if (value === undefined) return [];
  const label = WEIGHT_LABELS[field];
  if (typeof value !== 'number' || !Number.isFinite(value) || value < WEIGHT_MIN || value > WEIGHT_MAX) {
    return [{ field, message: `${label} must be a number from 0 to 1.` }];
  }
  const hundredths = value / WEIGHT_STEP;
  if (Math.abs(hundredths - Math.round(hundredths)) > 1e-6) {
    return [{ field, message: `${label} can have at most two decimals (steps of 0.01), e.g. 0.65.` }];
  }
  return [];
}

function checkTitle(value: unknown): FieldError[] {
  return checkText('title', value, { label: 'Title', max: TITLE_MAX, required: true });
}

function checkText(
  field: string,
  value: unknown,
  rule: { label: string; max?: number; required?: boolean },
): FieldError[] {
  if (typeof value !== 'string') return [{ field, message: `${rule.label} is missing.` }];
  if (rule.required === true && value.trim() === '')
    return [{ field, message: `${rule.label} cannot be empty.` }];
  const length = Array.from(value).length;
  if (rule.max !== undefined && length > rule.max) {
    return [{ field, message: `${rule.label} is too long: ${length} characters, the limit is ${rule.max}.` }];
  }
  return [];
}

function checkOneOf(
  field: string,
  value: unknown,
  allowed: readonly string[],
  label: string,
  required = false,
): FieldError[] {
  if (value === undefined && !required) return [];
  if (typeof value === 'string' && allowed.includes(value)) return [];
  return [{ field, message: `${label} must be one of: ${allowed.join(', ')}.` }];
}

function checkId(field: string, value: unknown, message: string): FieldError[] {
  if (typeof value === 'string' && value.trim() !== '') return [];
  return [{ field, message }];
}

function checkUrl(field: string, value: unknown, what: string): FieldError[] {
  if (typeof value !== 'string' || value.trim() === '') {
    return [{ field, message: `A link to ${what} is missing.` }];
  }
  // Loopback hosts are allowed on purpose: the KIE simulator serves uploads from 127.0.0.1.
  if (!/^https?:\/\/[^\s/?#]+[^\s]*$/i.test(value)) {
    return [
      { field, message: `The link to ${what} must be a web address starting with http:// or https://.` },
    ];
  }
  return [];
}
