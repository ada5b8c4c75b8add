// Input limits shared by the client, the CLI and the UI: every documented bound, on both sides of the edge.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MODEL,
  MODELS,
  NEGATIVE_TAGS_MAX,
  SEPARATION_TYPES,
  TAGS_MAX,
  TITLE_MAX,
  validateAddInstrumental,
  validateAddVocals,
  validateCallBackUrl,
  validateSeparation,
  validateWavConversion,
} from '../../shared/kie/limits.ts';
import type { AddInstrumentalInput, AddVocalsInput } from '../../shared/kie/limits.ts';

const instrumental: AddInstrumentalInput = {
  uploadUrl: 'https://tempfile.redpandaai.co/kieai/1/audio/vox.mp3',
  title: 'Harbor Lights',
  tags: 'indie folk',
  negativeTags: 'edm',
};
const vocals: AddVocalsInput = {
  uploadUrl: 'https://tempfile.redpandaai.co/kieai/1/audio/beat.mp3',
  prompt: '[Verse] neon on the water',
  title: 'Hold the Night',
  style: 'synth pop',
  negativeTags: '',
};

const fieldsOf = (errors: Array<{ field: string }>) => errors.map((e) => e.field);

describe('constants', () => {
  it('match the documented enums and limits', () => {
    expect(DEFAULT_MODEL).toBe('V4_5PLUS');
    expect(MODELS.addInstrumental).toEqual(['V4_5PLUS', 'V5', 'V5_5']);
    expect(MODELS.addVocals).toEqual(['V4_5PLUS', 'V5']);
    expect([TAGS_MAX, NEGATIVE_TAGS_MAX, TITLE_MAX]).toEqual([1000, 200, 100]);
    expect(SEPARATION_TYPES).toEqual(['separate_vocal', 'split_stem']);
  });
});

describe('validateAddInstrumental', () => {
  it('accepts a complete input with every option', () => {
    const full = {
      ...instrumental,
      model: 'V5_5',
      vocalGender: 'm',
      styleWeight: 0,
      weirdnessConstraint: 0.55,
      audioWeight: 1,
    } as const;
    expect(validateAddInstrumental(full)).toEqual([]);
  });

  it.each([
    ['title', { title: 'x'.repeat(TITLE_MAX) }, []],
    ['title', { title: 'x'.repeat(TITLE_MAX + 1) }, ['title']],
    ['title', { title: '   ' }, ['title']],
    ['tags', { tags: 't'.repeat(TAGS_MAX) }, []],
    ['tags', { tags: 't'.repeat(TAGS_MAX + 1) }, ['tags']],
    ['negativeTags', { negativeTags: 'n'.repeat(NEGATIVE_TAGS_MAX) }, []],
    ['negativeTags', { negativeTags: 'n'.repeat(NEGATIVE_TAGS_MAX + 1) }, ['negativeTags']],
    ['negativeTags', { negativeTags: '' }, []],
    ['negativeTags', { negativeTags: undefined }, ['negativeTags']],
    ['uploadUrl', { uploadUrl: 'file:///Users/me/vox.mp3' }, ['uploadUrl']],
    ['uploadUrl', { uploadUrl: '' }, ['uploadUrl']],
    ['uploadUrl', { uploadUrl: 'http://127.0.0.1:9000/files/vox.mp3' }, []],
    ['model', { model: 'V4' }, ['model']],
    ['vocalGender', { vocalGender: 'x' }, ['vocalGender']],
    ['styleWeight', { styleWeight: 1.01 }, ['styleWeight']],
    ['styleWeight', { styleWeight: -0.01 }, ['styleWeight']],
    ['weirdnessConstraint', { weirdnessConstraint: 0.555 }, ['weirdnessConstraint']],
    ['weirdnessConstraint', { weirdnessConstraint: 0.07 }, []],
    ['audioWeight', { audioWeight: Number.NaN }, ['audioWeight']],
    ['audioWeight', { audioWeight: '0.5' }, ['audioWeight']],
  ])('%s: %j → %j', (_field, patch, expected) => {
    expect(fieldsOf(validateAddInstrumental({ ...instrumental, ...patch }))).toEqual(expected);
  });

  it('counts characters, not UTF-16 units, against the title limit', () => {
    expect(validateAddInstrumental({ ...instrumental, title: '🎸'.repeat(TITLE_MAX) })).toEqual([]);
  });

  it('reports every problem at once in plain language', () => {
    const errors = validateAddInstrumental({
      uploadUrl: undefined,
      title: '',
      tags: '',
      negativeTags: 'x'.repeat(201),
    });
    expect(fieldsOf(errors)).toEqual(['uploadUrl', 'title', 'tags', 'negativeTags']);
    expect(errors[3]?.message).toBe('Styles to avoid is too long: 201 characters, the limit is 200.');
  });
});

describe('validateAddVocals', () => {
  it('accepts a valid input', () => {
    expect(validateAddVocals({ ...vocals, model: 'V5', vocalGender: 'f', audioWeight: 0.8 })).toEqual([]);
  });

  it('requires prompt and style, and knows the add-vocals models', () => {
    const errors = validateAddVocals({ ...vocals, prompt: '', style: undefined, model: 'V5_5' });
    expect(fieldsOf(errors)).toEqual(['prompt', 'style', 'model']);
    expect(errors[2]?.message).toBe('Model must be one of: V4_5PLUS, V5.');
  });

  it('limits style like tags and the title to 100 characters', () => {
    expect(
      fieldsOf(validateAddVocals({ ...vocals, style: 's'.repeat(1001), title: 't'.repeat(101) })),
    ).toEqual(['title', 'style']);
  });
});

describe('validateSeparation', () => {
  it('accepts form A and form B', () => {
    expect(validateSeparation({ taskId: 't1', audioId: 'a1', type: 'split_stem' })).toEqual([]);
    expect(validateSeparation({ audioUrl: 'https://x.example/mix.mp3', type: 'separate_vocal' })).toEqual([]);
  });

  it('rejects mixing the forms, missing ids and unknown types', () => {
    expect(
      fieldsOf(
        validateSeparation({
          taskId: 't',
          audioId: 'a',
          audioUrl: 'https://x.example/a.mp3',
          type: 'split_stem',
        }),
      ),
    ).toEqual(['audioUrl']);
    expect(fieldsOf(validateSeparation({ taskId: 't', type: 'separate_vocal' }))).toEqual(['audioId']);
    expect(fieldsOf(validateSeparation({ type: 'split_stem_advanced', taskId: 't', audioId: 'a' }))).toEqual([
      'type',
    ]);
    expect(fieldsOf(validateSeparation({ audioUrl: 'ftp://x/a.mp3', type: undefined }))).toEqual([
      'type',
      'audioUrl',
    ]);
  });
});

describe('WAV and callback checks', () => {
  it('needs task and track ids and an http(s) callback', () => {
    expect(fieldsOf(validateWavConversion({ taskId: 't', audioId: '' }))).toEqual(['audioId']);
    expect(validateWavConversion({ taskId: 't', audioId: 'a' })).toEqual([]);
    expect(validateCallBackUrl('https://example.com/no-op')).toEqual([]);
    expect(fieldsOf(validateCallBackUrl('example.com'))).toEqual(['callBackUrl']);
  });
});
